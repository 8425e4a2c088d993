/**
 * A polite ARIA live region for one element: joins, leaves, "Copied". The
 * region is always rendered (a region added together with its text is not
 * read out); repeated text is still announced because every message is a new
 * text node.
 */
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit'
import { repeat } from 'lit/directives/repeat.js'

/** Messages kept in the region; older ones are dropped. */
const KEEP = 3

export class Announcer implements ReactiveController {
  #messages: Array<{ id: number; text: string }> = []
  #next = 0
  readonly #host: ReactiveControllerHost

  constructor(host: ReactiveControllerHost) {
    this.#host = host
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#messages = []
  }

  /** The last messages, oldest first. */
  get messages(): string[] {
    return this.#messages.map((m) => m.text)
  }

  announce(text: string): void {
    this.#messages = [...this.#messages, { id: this.#next++, text }].slice(-KEEP)
    this.#host.requestUpdate()
  }

  /** The live region, part `announcer`; put it once in the element's template. */
  render(): unknown {
    return html`<div part="announcer" class="visually-hidden" role="status" aria-live="polite">
      ${repeat(
        this.#messages,
        (m) => m.id,
        (m) => html`<p>${m.text}</p>`,
      )}
    </div>`
  }
}
