/**
 * EventTarget with typed `CustomEvent` details: `on(type, fn)` gets the
 * detail and returns an unsubscribe; `emit(type, detail)` dispatches. The
 * events stay ordinary DOM events for anyone using addEventListener.
 */
export class Emitter<Events extends object> extends EventTarget {
  /** Listens to `type`; returns a function that stops listening. */
  on<K extends keyof Events & string>(
    type: K,
    listener: (detail: Events[K]) => void,
    opts: { signal?: AbortSignal } = {},
  ): () => void {
    const wrapped = (event: Event) => listener((event as CustomEvent<Events[K]>).detail)
    this.addEventListener(type, wrapped, opts.signal ? { signal: opts.signal } : undefined)
    return () => this.removeEventListener(type, wrapped)
  }

  /** Dispatches `type` with `detail`; a throwing listener does not stop the others. */
  emit<K extends keyof Events & string>(type: K, detail: Events[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
