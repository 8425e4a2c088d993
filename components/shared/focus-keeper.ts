/**
 * Keeps keyboard focus in an element whose focused control disappears: "Show
 * my presence" once granted, "Try again" once it worked, "Stop" once stopped.
 * Without it focus falls to the page's `<body>`, and a keyboard or screen
 * reader user starts again from the top. Focus goes to the element's first
 * control now shown, else to its title (made focusable with `tabindex=-1`),
 * else its base. (A focus that fell to an enclosing shadow root's host is
 * left alone.)
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'

const CONTROLS = [
  'button:not([disabled])',
  'input:not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'a[href]',
]
  .map((c) => `[part~="base"] ${c}`)
  .join(', ')

export class FocusKeeper implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement
  /** Focus was inside the element when the update began. */
  #had = false

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host
    host.addController(this)
  }

  hostUpdate(): void {
    this.#had = Boolean(this.#host.shadowRoot?.activeElement)
  }

  hostUpdated(): void {
    if (!this.#had) return
    this.#had = false
    const root = this.#host.shadowRoot
    if (!root || root.activeElement) return
    // Only a focus that fell to the page, not one the page moved elsewhere.
    const active = document.activeElement
    if (active && active !== document.body) return
    const target =
      root.querySelector<HTMLElement>(CONTROLS) ??
      root.querySelector<HTMLElement>('#title') ??
      root.querySelector<HTMLElement>('[part~="base"]')
    if (!target) return
    if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1
    target.focus({ preventScroll: true })
  }
}
