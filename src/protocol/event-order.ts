/**
 * A lobby's events in the order the engine numbered them. They reach a page
 * two ways, over its lobby lane and the long way through the service worker
 * (src/protocol/lane.ts), so the first events over a new lane may overtake the
 * last ones sent the long way. One that comes early waits for those before
 * it; if one of them was lost (the worker restarted while it was on its way),
 * the wait ends after `gapMs` and the gap is skipped.
 */
import type { EventMessage } from './messages.js'

export interface EventOrderOptions {
  /** The number the lobby's snapshot was taken at: events up to it are in it. */
  seq: number
  /** Applies one event, in order. */
  apply(evt: EventMessage & { seq: number }): void
  /** Longest wait for a missing event, ms. */
  gapMs?: number
  /** Most events held at once; past it the gap is skipped at once. */
  maxAhead?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export const GAP_MS = 500
const MAX_AHEAD = 1024

export class EventOrder {
  #seq: number
  readonly #ahead = new Map<number, EventMessage & { seq: number }>()
  readonly #opts: EventOrderOptions
  #timer: unknown = null

  constructor(opts: EventOrderOptions) {
    this.#opts = opts
    this.#seq = opts.seq
  }

  /** The number of the last event applied (or skipped). */
  get seq(): number {
    return this.#seq
  }

  /** Takes one event: applied now, held for those before it, or dropped as old. */
  push(evt: EventMessage): void {
    const seq = evt.seq
    if (seq === undefined || seq <= this.#seq || this.#ahead.has(seq)) return
    this.#ahead.set(seq, { ...evt, seq })
    if (seq === this.#seq + 1) return this.#drain()
    if (this.#ahead.size > (this.#opts.maxAhead ?? MAX_AHEAD)) return this.#skip()
    this.#arm()
  }

  /** Drops whatever is held (the lobby closed). */
  clear(): void {
    this.#ahead.clear()
    this.#stopTimer()
  }

  /** Gives up on the missing events: on from the first one held. */
  #skip(): void {
    if (this.#ahead.size === 0) return
    this.#seq = Math.min(...this.#ahead.keys()) - 1
    this.#drain()
  }

  #drain(): void {
    for (let next = this.#ahead.get(this.#seq + 1); next; next = this.#ahead.get(this.#seq + 1)) {
      this.#ahead.delete(next.seq)
      this.#seq = next.seq
      this.#opts.apply(next)
    }
    if (this.#ahead.size === 0) this.#stopTimer()
    else this.#arm()
  }

  /** Waits for the missing event, unless already waiting. */
  #arm(): void {
    if (this.#timer !== null) return
    const set = this.#opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.#timer = set(() => {
      this.#timer = null
      this.#skip()
    }, this.#opts.gapMs ?? GAP_MS)
  }

  #stopTimer(): void {
    if (this.#timer === null) return
    const clear = this.#opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>))
    clear(this.#timer)
    this.#timer = null
  }
}
