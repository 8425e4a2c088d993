/**
 * Copying a link to the clipboard with feedback: the button shows a tick for
 * a moment and the element's live region says what happened.
 */
import {
  html,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit'
import type { Announcer } from './announcer.js'
import { checkIcon, copyIcon } from './icons.js'

/** How long the tick stays, in ms. */
const FEEDBACK_MS = 2000

export class CopyController implements ReactiveController {
  /** True for a moment after a successful copy. */
  copied = false
  readonly #host: ReactiveControllerHost
  readonly #announcer: Announcer
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(host: ReactiveControllerHost, announcer: Announcer) {
    this.#host = host
    this.#announcer = announcer
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#timer)
    this.copied = false
  }

  /** Copies `text`; `what` names it in the announcement ("Identity link copied."). */
  async copy(text: string, what: string): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      this.#announcer.announce(`Could not copy the ${what.toLowerCase()}.`)
      return false
    }
    this.copied = true
    this.#announcer.announce(`${what} copied.`)
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.copied = false
      this.#host.requestUpdate()
    }, FEEDBACK_MS)
    this.#host.requestUpdate()
    return true
  }

  /** An icon button (parts `button copy-button`) named `label` that calls `onClick`. */
  renderButton(label: string, onClick: () => void): TemplateResult {
    return html`<button
      part="button copy-button"
      class="button quiet icon"
      type="button"
      aria-label=${label}
      title=${label}
      @click=${onClick}
    >
      ${this.copied ? checkIcon : copyIcon}
    </button>`
  }
}
