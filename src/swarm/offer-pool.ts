/**
 * Offers made ahead of need. Making an offer costs a new RTCPeerConnection
 * and its ICE gathering (tens of ms for the five a tracker announce carries),
 * and that used to stand between joining a topic and its first announce. The
 * swarm keeps a few offers made before any topic asks (topic-independent
 * until handed out), so a new topic's first announce carries offers at once.
 *
 * - Bounded: at most `size` entries, each one RTCPeerConnection.
 * - Entries still gathering are handed out too (a topic joined right after
 *   the swarm started takes them over instead of making more).
 * - An entry not handed out within `ttl` is closed (its candidates and
 *   ports may be stale by then) and replaced while the pool is in use: until
 *   `keepWarm` after the last `take` or `fill`. Past that it is not
 *   replaced: an always-joined topic (the friends circle) keeps its swarm
 *   alive for hours, and a pool kept full all that time made five
 *   RTCPeerConnections, and their STUN requests, every `ttl` for nobody.
 *   The next `take` (a topic's announce) finds it empty, so its offers are
 *   made then, and fills it again. One whose offer failed, or that closed
 *   on its own, is dropped.
 * - After entries were handed out the pool fills up again, `refillDelay`
 *   later: not while the connections just handed out are being set up.
 * - `close()` closes every entry; the pool makes none after it.
 *
 * Generic over what it pools (the swarm's connections; fakes in unit tests).
 */
import { realClock, type Clock } from '../clock.js'

/** What the pool keeps: something that makes one offer and can be closed. */
export interface Poolable {
  /** Resolves to the offer's SDP once gathered; rejects when it cannot be made. */
  offer(): Promise<string>
  /** Closes it (the pool's reason is always 'local': we dropped it). */
  close(reason: 'local'): void
}

export interface OfferPoolOptions<T extends Poolable> {
  /** Most entries kept. */
  size: number
  /** How long an entry waits to be handed out before it is replaced, ms. */
  ttl: number
  /** Delay between handing entries out and making their replacements, ms. */
  refillDelay: number
  /** How long after the last take or fill expired entries are still replaced, ms (default 60 s). */
  keepWarm?: number
  /** Makes one entry (an initiator connection bound to no topic); null when there is no room now. */
  make(): T | null
  /** Times the entries and refills (default the real one). */
  clock?: Clock
}

/** An entry handed out: its offer's SDP resolves once gathered. */
export interface Pooled<T extends Poolable> {
  item: T
  sdp: Promise<string>
  /** When it was made (the pool's clock), for the offer's remaining lifetime. */
  madeAt: number
}

interface Entry<T extends Poolable> extends Pooled<T> {
  ready: boolean
  timer: unknown
}

export class OfferPool<T extends Poolable> {
  readonly #opts: OfferPoolOptions<T>
  readonly #clock: Clock
  readonly #entries: Entry<T>[] = []
  #refill: unknown
  #closed = false
  /** When the pool was last taken from or filled (its clock). */
  #usedAt: number

  constructor(opts: OfferPoolOptions<T>) {
    this.#opts = opts
    this.#clock = opts.clock ?? realClock
    this.#usedAt = this.#clock.now()
  }

  /** Entries kept now, gathering or ready. */
  get size(): number {
    return this.#entries.length
  }

  /** Entries whose offer is gathered. */
  get ready(): number {
    return this.#entries.filter((e) => e.ready).length
  }

  /** The entries kept now, oldest first. */
  get items(): T[] {
    return this.#entries.map((e) => e.item)
  }

  /** Whether `item` is one of the pool's entries (not handed out). */
  has(item: T): boolean {
    return this.#entries.some((e) => e.item === item)
  }

  /** Makes entries until the pool is full (or `make` has no room); counts as a use. */
  fill(): void {
    this.#usedAt = this.#clock.now()
    this.#top()
  }

  /**
   * Hands out up to `n` entries, gathered ones first, freshest first; they
   * leave the pool (the caller owns them now) and replacements follow after
   * `refillDelay`. An empty pool (gone cold) is filled then too.
   */
  take(n: number): Pooled<T>[] {
    if (this.#closed || n <= 0) return []
    this.#usedAt = this.#clock.now()
    if (this.#entries.length === 0) {
      this.#scheduleRefill()
      return []
    }
    const order = [...this.#entries].sort(
      (a, b) => Number(b.ready) - Number(a.ready) || b.madeAt - a.madeAt,
    )
    const taken = order.slice(0, n)
    for (const entry of taken) this.#remove(entry)
    this.#scheduleRefill()
    return taken.map(({ item, sdp, madeAt }) => ({ item, sdp, madeAt }))
  }

  /** `item` closed on its own (or its owner closes it): forget it; true when it was pooled. */
  forget(item: T): boolean {
    const entry = this.#entries.find((e) => e.item === item)
    if (!entry) return false
    this.#remove(entry)
    this.#scheduleRefill()
    return true
  }

  /** Closes every entry; the pool stays empty. */
  close(): void {
    this.#closed = true
    this.#clock.clearTimeout(this.#refill)
    for (const entry of [...this.#entries]) {
      this.#remove(entry)
      entry.item.close('local')
    }
  }

  #add(item: T): void {
    const entry: Entry<T> = {
      item,
      sdp: item.offer(),
      madeAt: this.#clock.now(),
      ready: false,
      timer: this.#clock.setTimeout(() => this.#expire(entry), this.#opts.ttl),
    }
    this.#entries.push(entry)
    entry.sdp.then(
      () => {
        entry.ready = true
      },
      () => {
        // Not handed out yet: drop it (a replacement comes with the next refill).
        if (this.#entries.includes(entry)) {
          this.#remove(entry)
          item.close('local')
        }
      },
    )
  }

  #expire(entry: Entry<T>): void {
    if (!this.#entries.includes(entry)) return
    this.#remove(entry)
    entry.item.close('local')
    if (this.#clock.now() - this.#usedAt < (this.#opts.keepWarm ?? 60_000)) this.#top()
  }

  #top(): void {
    this.#clock.clearTimeout(this.#refill)
    this.#refill = undefined
    while (!this.#closed && this.#entries.length < this.#opts.size) {
      const item = this.#opts.make()
      if (!item) return
      this.#add(item)
    }
  }

  #remove(entry: Entry<T>): void {
    this.#clock.clearTimeout(entry.timer)
    const i = this.#entries.indexOf(entry)
    if (i >= 0) this.#entries.splice(i, 1)
  }

  #scheduleRefill(): void {
    if (this.#closed || this.#refill !== undefined) return
    this.#refill = this.#clock.setTimeout(() => this.#top(), this.#opts.refillDelay)
  }
}
