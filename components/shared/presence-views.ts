/**
 * What an element shows before it has presence: a quiet placeholder while
 * looking for the provider, a note when Porchlight is unavailable, and the
 * "Show my presence" button that asks for permission.
 */
import { css, html, nothing, type TemplateResult } from 'lit'
import { presenceIcon, retryIcon } from './icons.js'
import { errorMessage } from './errors.js'
import type { PresenceController } from './presence-controller.js'

/** Placeholder rows the size of real ones, so nothing jumps when content arrives. */
export function renderSkeleton(rows = 2): TemplateResult {
  return html`<div class="skeleton" aria-hidden="true">
    ${Array.from(
      { length: rows },
      () =>
        html`<div class="skeleton-row">
          <span class="skeleton-circle"></span><span class="skeleton-line"></span>
        </div>`,
    )}
  </div>`
}

export function renderUnavailable(): TemplateResult {
  return html`<p class="message" part="message">
    <strong>Porchlight is not available.</strong> Install or enable the Porchlight extension to see
    who else is here.
  </p>`
}

/** The "Show my presence" button (parts `button presence-button`), busy while the prompt is open. */
export function renderPresenceButton(
  presence: PresenceController,
  onClick: () => void,
): TemplateResult {
  return html`<button
    part="button presence-button"
    class="button"
    type="button"
    aria-disabled=${presence.asking ? 'true' : 'false'}
    @click=${onClick}
  >
    ${presence.asking ? html`<span class="spinner" aria-hidden="true"></span>` : presenceIcon}
    ${presence.asking ? 'Waiting for your answer…' : 'Show my presence'}
  </button>`
}

/** Said under the explanation once the user has refused presence for the site. */
export const DENIED_NOTE = 'Presence is off for this site. You can turn it on whenever you like.'

/** The explanation, the note after a refusal, and the "Show my presence" button. */
export function renderPresencePrompt(
  presence: PresenceController,
  explanation: string,
  onClick: () => void,
): TemplateResult {
  return html`<p class="message" part="message">${explanation}</p>
    ${presence.denied ? html`<p class="message note" part="message">${DENIED_NOTE}</p>` : nothing}
    ${
      presence.failure
        ? html`<p class="message note" part="message">${errorMessage(presence.failure)}</p>`
        : nothing
    }
    ${renderPresenceButton(presence, onClick)}`
}

/** What went wrong and a button to try again (parts `button retry-button`). */
export function renderRetry(message: string, action: string, onClick: () => void): TemplateResult {
  return html`<p part="message" class="message">${message}</p>
    <button part="button retry-button" class="button secondary" type="button" @click=${onClick}>
      ${retryIcon} ${action}
    </button>`
}

export const presenceViewStyles = css`
  .note {
    margin-top: -6px;
    font-size: 0.93em;
  }
  .skeleton {
    display: grid;
    gap: 10px;
    padding: 6px 0 2px;
  }
  .skeleton-row {
    display: flex;
    align-items: center;
    gap: 12px;
    height: 36px;
  }
  .skeleton-circle,
  .skeleton-line {
    background: var(--_subtle);
    animation: p2p-shimmer 1.6s ease-in-out infinite;
  }
  .skeleton-circle {
    width: 36px;
    height: 36px;
    border-radius: 50%;
  }
  .skeleton-line {
    width: 60%;
    height: 12px;
    border-radius: 6px;
  }
  .skeleton-row:nth-child(2n) .skeleton-line {
    width: 42%;
  }
  @keyframes p2p-shimmer {
    50% {
      opacity: 0.55;
    }
  }
`
