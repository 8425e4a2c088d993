/** Small helpers for reaching into the elements' shadow DOM in tests. */
import { sendKeys } from '@web/test-runner-commands'

/** The first match in `el`'s shadow root; throws when there is none (so tests fail loudly). */
export function shadow<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot?.querySelector<E>(selector)
  if (!found) throw new Error(`no ${selector} in <${el.localName}>'s shadow root`)
  return found
}

/** Every match in `el`'s shadow root. */
export function shadowAll<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  return [...(el.shadowRoot?.querySelectorAll<E>(selector) ?? [])]
}

/** Text of a node, whitespace collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The element focused inside `el`'s shadow root, if any. */
export function focusedIn(el: Element): Element | null {
  return el.shadowRoot?.activeElement ?? null
}

/**
 * Presses Tab (from the start of the page) until `target` has focus, at most
 * `max` times; returns how many presses it took, or -1 if it never got there.
 */
export async function tabTo(host: Element, target: Element, max = 10): Promise<number> {
  ;(document.activeElement as HTMLElement | null)?.blur()
  for (let i = 1; i <= max; i++) {
    await sendKeys({ press: 'Tab' })
    if (focusedIn(host) === target) return i
  }
  return -1
}

/** Presses a key on whatever has focus. */
export function press(key: string): Promise<void> {
  return sendKeys({ press: key })
}

/** An element that reflects what it is doing as `state`, like every `<p2p-*>` element. */
interface Stateful extends HTMLElement {
  state: string
  updateComplete: Promise<boolean>
}

/** Waits until `el.state` is `state` (and the element has rendered it), at most `timeout` ms. */
export async function reachState<E extends Stateful>(
  el: E,
  state: E['state'],
  timeout = 1000,
): Promise<void> {
  const started = Date.now()
  while (el.state !== state) {
    if (Date.now() - started > timeout)
      throw new Error(`<${el.localName}> never reached state ${state} (is ${el.state})`)
    await new Promise((r) => setTimeout(r, 10))
  }
  await el.updateComplete
}
