/**
 * The avatar every element draws for an identity: initials on the identity's
 * colour ({@link colourFor}), as part `avatar`. Decorative next to a visible
 * name; an image with the name as its label when it stands alone.
 */
import { css, html, nothing, type TemplateResult } from 'lit'
import { styleMap } from 'lit/directives/style-map.js'
import type { Identity } from '../../src/index.js'
import { colourFor, initialsFor } from './identity-colour.js'

export interface AvatarOptions {
  /** `small` 28px, `medium` 36px (default), `large` 44px; `--p2p-avatar-size` scales medium. */
  size?: 'small' | 'medium' | 'large'
  /** Makes the avatar an image with this accessible name; without it the avatar is decorative. */
  label?: string
  /** Extra parts besides `avatar`, e.g. `self-avatar`. */
  parts?: string
}

export function renderAvatar(
  identity: Identity | null | undefined,
  opts: AvatarOptions = {},
): TemplateResult {
  const colour = colourFor(identity?.url)
  return html`<span
    part="avatar ${opts.parts ?? ''}"
    class="avatar ${opts.size ?? 'medium'}"
    style=${styleMap({ '--_avatar-colour': colour })}
    role=${opts.label ? 'img' : nothing}
    aria-label=${opts.label ?? nothing}
    aria-hidden=${opts.label ? nothing : 'true'}
    title=${opts.label ?? nothing}
    >${initialsFor(identity?.name)}</span
  >`
}

export const avatarStyles = css`
  .avatar {
    --_size: var(--p2p-avatar-size, 36px);
    display: inline-grid;
    place-items: center;
    flex: none;
    width: var(--_size);
    height: var(--_size);
    border-radius: 50%;
    background: var(--_avatar-colour, #6b645b);
    color: #ffffff;
    font-size: calc(var(--_size) * 0.38);
    font-weight: 600;
    letter-spacing: 0.02em;
    line-height: 1;
    user-select: none;
  }
  .avatar.small {
    --_size: calc(var(--p2p-avatar-size, 36px) * 0.78);
  }
  .avatar.large {
    --_size: calc(var(--p2p-avatar-size, 36px) * 1.22);
  }
`
