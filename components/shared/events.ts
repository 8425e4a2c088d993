/** Dispatching the elements' `p2p-*` events and listening to the provider's. */

/**
 * Dispatches a `p2p-*` event from `host`: bubbling, composed, with `detail`.
 * Returns false when a listener cancelled a cancelable event.
 */
export function emit<D>(
  host: EventTarget,
  type: `p2p-${string}`,
  detail: D,
  opts: { cancelable?: boolean } = {},
): boolean {
  return host.dispatchEvent(
    new CustomEvent<D>(type, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: opts.cancelable ?? false,
    }),
  )
}

/**
 * Listens to `type` on `target` until `signal` aborts. The listener gets the
 * event's `detail` (undefined for a plain Event).
 */
export function listen<D = unknown>(
  target: EventTarget,
  type: string,
  fn: (detail: D | undefined, event: Event) => void,
  signal: AbortSignal,
): void {
  target.addEventListener(
    type,
    (event) => fn(event instanceof CustomEvent ? (event.detail as D) : undefined, event),
    { signal },
  )
}
