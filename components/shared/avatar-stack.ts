/**
 * A row of overlapping avatars, one per person, with "+N" for the people
 * past `max`. Used by `<p2p-peer-list>` and by `<p2p-host>` for its guests.
 */
import { css, html, nothing, type TemplateResult } from 'lit'
import { renderAvatar, type AvatarOptions } from './avatar.js'
import { displayName, type Person } from './people.js'

export interface StackOptions {
  /** Most avatars drawn before "+N" (at least 1). */
  max: number
  /** Accessible name of the whole list. */
  label: string
  size?: AvatarOptions['size']
}

/** How a person is named in a stack: their name, "(you)", and how many browsers they are in. */
export function personLabel(person: Person): string {
  const name = displayName(person.identity) + (person.isSelf ? ' (you)' : '')
  const n = person.peers.length
  return n > 1 ? `${name}, in ${n} browsers` : name
}

export function renderAvatarStack(people: readonly Person[], opts: StackOptions): TemplateResult {
  const max = Math.max(1, Math.floor(opts.max))
  // Never show "+1": when one more would fit where the counter goes, show it.
  const shown = people.length <= max ? people : people.slice(0, max - 1)
  const hidden = people.length - shown.length
  const size = opts.size ?? 'medium'
  return html`<ul part="stack" class="stack" aria-label=${opts.label}>
    ${shown.map(
      (person) =>
        html`<li class="stack-item" data-key=${person.key}>
          ${renderAvatar(person.identity, {
            size,
            label: personLabel(person),
            parts: person.isSelf ? 'self-avatar' : '',
          })}
        </li>`,
    )}
    ${hidden > 0 ? renderOverflow(people.slice(shown.length), size) : nothing}
  </ul>`
}

/** "+N" for the people not drawn, named for screen readers as well as on hover. */
function renderOverflow(hidden: readonly Person[], size: string): TemplateResult {
  const names = hidden.map((p) => displayName(p.identity)).join(', ')
  return html`<li class="stack-item">
    <span
      part="overflow"
      class="avatar overflow ${size}"
      role="img"
      aria-label=${`and ${hidden.length} more: ${names}`}
      title=${names}
      >+${hidden.length}</span
    >
  </li>`
}

export const avatarStackStyles = css`
  .stack {
    display: flex;
    align-items: center;
    margin: 0;
    padding: 0 0 0 4px;
    list-style: none;
  }
  .stack-item {
    display: flex;
    margin-left: calc(var(--p2p-avatar-size, 36px) * -0.12);
  }
  .stack-item .avatar {
    box-shadow: 0 0 0 2px var(--_bg);
  }
  .avatar.overflow {
    background: var(--_subtle);
    color: var(--_text);
    font-size: calc(var(--_size) * 0.34);
    box-shadow:
      0 0 0 2px var(--_bg),
      inset 0 0 0 1px var(--_border);
  }
`
