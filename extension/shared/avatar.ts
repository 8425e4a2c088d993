/**
 * The avatar of an identity on the extension's pages: the same initials and
 * colour the elements draw (components/shared/identity-colour.ts), as plain
 * DOM so the pages need no Lit. Decorative: the name is always next to it.
 */
import { colourFor, initialsFor } from '../../components/shared/identity-colour.js'
import type { Identity } from '../../src/protocol/messages.js'
import { el } from './dom.js'

export function avatar(identity: Pick<Identity, 'url' | 'name'>): HTMLSpanElement {
  const node = el('span', { class: 'avatar', 'aria-hidden': 'true' }, initialsFor(identity.name))
  node.style.setProperty('--avatar-colour', colourFor(identity.url))
  return node
}
