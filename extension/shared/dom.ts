/** Small DOM helpers for the extension's own pages. */
import { P2PError } from '../../src/errors.js'

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (!el) throw new Error(`#${id} is missing from the page`)
  return el as T
}

/** Creates an element with text and attributes (never HTML from data). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) node.setAttribute(key, value)
  }
  node.append(...children)
  return node
}

/** Shows an error in the page's alert region. */
export function showError(err: unknown, id = 'error'): void {
  const box = byId(id)
  box.hidden = false
  box.textContent = P2PError.from(err).detail
}
