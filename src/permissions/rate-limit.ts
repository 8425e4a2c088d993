/**
 * A token bucket per key (an origin): `burst` requests at once, refilled at
 * `perSecond`. Pure logic with an injectable clock so it can be unit tested.
 */
export interface RateLimitOptions {
  burst: number
  perSecond: number
  /** Most keys tracked at once; the least recently used are forgotten. */
  maxKeys?: number
  now?: () => number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  readonly #burst: number
  readonly #perMs: number
  readonly #maxKeys: number
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  constructor(opts: RateLimitOptions) {
    this.#burst = opts.burst
    this.#perMs = opts.perSecond / 1000
    this.#maxKeys = opts.maxKeys ?? 1024
    this.#now = opts.now ?? Date.now
  }

  /** Takes one token for `key`; false when the key is over its rate. */
  take(key: string): boolean {
    const now = this.#now()
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now }
    this.#buckets.delete(key)
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#perMs)
    bucket.at = now
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    this.#buckets.set(key, bucket)
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value
      if (oldest !== undefined) this.#buckets.delete(oldest)
    }
    return allowed
  }
}

/**
 * The per-origin budgets of page calls, wherever a page's calls are served
 * (the gatekeeper, a lobby lane): a burst of 200 calls, then 100 a second.
 * Lobby messages have their own budget: a page posts one batch at a time and
 * the engine's answer paces it (src/protocol/lobby-messages.ts), so a chatty
 * lobby neither starves the page's other calls nor is starved by them.
 */
export class PageBudgets {
  readonly #calls = new RateLimiter({ burst: 200, perSecond: 100 })
  readonly #posts = new RateLimiter({ burst: 1_000, perSecond: 1_000 })

  /** Takes one call of `method` for `origin`; false when the origin is over its budget. */
  take(method: string, origin: string): boolean {
    return (method === 'lobby.post' ? this.#posts : this.#calls).take(origin)
  }
}
