/**
 * The toolbar popup: the main identity (name, URL, Copy). Plain DOM for now;
 * the Lit UI (issue 6) replaces it.
 */
import { P2PError } from '../../src/errors.js'
import type { Identity } from '../../src/protocol/messages.js'
import { admin } from '../admin/client.js'

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), props)
}

function identityCard(identity: Identity): HTMLElement {
  const card = el('section', { id: 'identity' })
  const name = el('h2', { id: 'identity-name', textContent: identity.name })
  const url = el('code', { id: 'identity-url', textContent: identity.url })
  const copy = el('button', { id: 'identity-copy', type: 'button', textContent: 'Copy' })
  const status = el('span', { id: 'identity-copy-status', role: 'status' })
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(identity.url).then(
      () => (status.textContent = 'Copied'),
      () => (status.textContent = 'Could not copy; select the address instead'),
    )
  })
  const label = el('p', { textContent: 'Your identity' })
  const actions = el('p')
  actions.append(copy, ' ', status)
  card.append(label, name, url, actions)
  return card
}

async function render(app: HTMLElement): Promise<void> {
  const { name, version } = chrome.runtime.getManifest()
  app.replaceChildren(
    el('h1', { textContent: name }),
    el('p', { textContent: `Version ${version}. Sites you allow can show who else is here.` }),
  )
  try {
    app.append(identityCard(await admin('identities.main')))
  } catch (err) {
    const message = P2PError.from(err).detail
    app.append(el('p', { id: 'identity-error', role: 'alert', textContent: message }))
  }
}

const app = document.getElementById('app')
if (app) void render(app)
