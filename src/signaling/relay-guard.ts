/**
 * What keeps the peer relay from being a megaphone: each neighbour may hand
 * us so many messages (a burst, then a rate), each sender may have so many
 * envelopes relayed or delivered, and an envelope seen once (by its
 * signature, which nobody can make without the sender's key) is dropped
 * when it comes again by another way, or later. A signature is remembered
 * for as long as its envelope could pass the time window: when the memory is
 * full of ones that young, a new envelope is dropped rather than one of them
 * forgotten (a flood costs signals, never a replay). Pure logic with an
 * injectable clock.
 */
import { RateLimiter, type RateLimitOptions } from '../permissions/rate-limit.js'
import { RELAY_MAX_AGE } from './relay-envelope.js'

export interface RelayGuardOptions {
  /** Messages one neighbour may hand us (members and signals). */
  perNeighbour?: Omit<RateLimitOptions, 'now'>
  /** Envelopes one sender may have relayed or delivered through us. */
  perSender?: Omit<RateLimitOptions, 'now'>
  /** Envelope signatures remembered for de-duplication. */
  maxSeen?: number
  /** How long a signature is remembered, ms (at least the envelopes' whole time window, ±). */
  seenFor?: number
  now?: () => number
}

export const RELAY_LIMITS = Object.freeze({
  perNeighbour: { burst: 64, perSecond: 16 },
  perSender: { burst: 32, perSecond: 8 },
  maxSeen: 4_096,
})

export class RelayGuard {
  readonly #neighbours: RateLimiter
  readonly #senders: RateLimiter
  readonly #seen = new Map<string, number>()
  readonly #maxSeen: number
  readonly #seenFor: number
  readonly #now: () => number

  constructor(opts: RelayGuardOptions = {}) {
    this.#now = opts.now ?? Date.now
    const now = this.#now
    this.#neighbours = new RateLimiter({
      ...(opts.perNeighbour ?? RELAY_LIMITS.perNeighbour),
      now,
    })
    this.#senders = new RateLimiter({ ...(opts.perSender ?? RELAY_LIMITS.perSender), now })
    this.#maxSeen = opts.maxSeen ?? RELAY_LIMITS.maxSeen
    this.#seenFor = opts.seenFor ?? 2 * RELAY_MAX_AGE
  }

  /** A message from neighbour `peerId`: false when it is over its rate. */
  fromNeighbour(peerId: string): boolean {
    return this.#neighbours.take(peerId)
  }

  /** An envelope from sender `peerId`: false when the sender is over its rate. */
  fromSender(peerId: string): boolean {
    return this.#senders.take(peerId)
  }

  /**
   * True the first time an envelope signature is seen (within `seenFor`),
   * false after, and false while `maxSeen` signatures younger than that are held.
   */
  firstSight(sig: string): boolean {
    const now = this.#now()
    // Oldest first: forget what is past its time.
    for (const [key, when] of this.#seen) {
      if (now - when < this.#seenFor) break
      this.#seen.delete(key)
    }
    if (this.#seen.has(sig) || this.#seen.size >= this.#maxSeen) return false
    this.#seen.set(sig, now)
    return true
  }
}
