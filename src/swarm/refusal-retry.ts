/**
 * After a peer refused our offer because it is full, the topic is announced
 * again soon, not at the tracker's next interval (minutes): a newcomer with a
 * small budget whose few offers all reached full members would otherwise sit
 * alone while members with room are on the same tracker. A tracker hands
 * each offer to a member at random, so the first `quick` retries keep the
 * first delay (each is a new draw); then they back off (doubling up to
 * `max`) while refusals continue, and start over once the topic gets a peer,
 * so a lobby that really is full costs its tracker little.
 */
import { realClock, type Clock } from '../clock.js'

export interface RefusalRetryOptions {
  /** Announces the topic again, if it still wants peers. */
  announce(hex: string): void
  /** First delay, ms (default 500). */
  initial?: number
  /** Longest delay, ms (default 30 s). */
  max?: number
  /** Retries at the first delay before backing off (default 3). */
  quick?: number
  clock?: Clock
}

export class RefusalRetry {
  readonly #opts: Required<RefusalRetryOptions>
  readonly #topics = new Map<string, { tries: number; timer: unknown }>()

  constructor(opts: RefusalRetryOptions) {
    this.#opts = { initial: 500, max: 30_000, quick: 3, clock: realClock, ...opts }
  }

  /** A peer refused an offer of topic `hex`: announce again after the current delay. */
  refused(hex: string): void {
    const entry = this.#topics.get(hex) ?? { tries: 0, timer: undefined }
    this.#topics.set(hex, entry)
    if (entry.timer !== undefined) return
    const doublings = Math.max(0, entry.tries - this.#opts.quick + 1)
    const delay = Math.min(this.#opts.initial * 2 ** doublings, this.#opts.max)
    entry.tries++
    entry.timer = this.#opts.clock.setTimeout(() => {
      entry.timer = undefined
      this.#opts.announce(hex)
    }, delay)
  }

  /** Topic `hex` got a peer: the next refusal starts from the first delay. */
  joined(hex: string): void {
    const entry = this.#topics.get(hex)
    if (entry && entry.timer === undefined) this.#topics.delete(hex)
    else if (entry) entry.tries = 0
  }

  /** Topic `hex` was left: no retry. */
  forget(hex: string): void {
    const entry = this.#topics.get(hex)
    if (entry?.timer !== undefined) this.#opts.clock.clearTimeout(entry.timer)
    this.#topics.delete(hex)
  }
}
