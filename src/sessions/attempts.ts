/**
 * How often a host lets a guest try a password. After a wrong one the guest
 * waits (5 s, doubling to 5 min) before the host checks another from the same
 * identity; and all guests together get at most `perMinute` wrong tries a
 * minute, so cycling through fresh identities does not help. A try inside a
 * wait is answered `rate-limited` without being checked.
 *
 * That shared cap would let anyone with fresh identities lock everyone out,
 * so it does not hold back guests with standing: the host's friends (their
 * identity is authenticated by the connection) and identities that gave the
 * right password before. Those wait only for their own wrong tries.
 */

export interface AttemptOptions {
  /** First wait after a wrong password, ms. */
  initial?: number
  /** Longest wait, ms. */
  max?: number
  /** Wrong passwords per minute over all guests. */
  perMinute?: number
  now?: () => number
}

interface Entry {
  failures: number
  until: number
}

/** Identities remembered as having given the right password (oldest forgotten first). */
const MAX_REMEMBERED = 1024

export class Attempts {
  readonly #records = new Map<string, Entry>()
  readonly #recent: number[] = []
  /** Identities that gave the right password, in insertion order. */
  readonly #known = new Set<string>()
  readonly #initial: number
  readonly #max: number
  readonly #perMinute: number
  readonly #now: () => number

  constructor(opts: AttemptOptions = {}) {
    this.#initial = opts.initial ?? 5_000
    this.#max = opts.max ?? 5 * 60_000
    this.#perMinute = opts.perMinute ?? 20
    this.#now = opts.now ?? Date.now
  }

  /**
   * 0 when `who` may try now, else how many ms it must wait. `trusted` (the
   * host's friend) and identities that got in before skip the shared cap.
   */
  wait(who: string, trusted = false): number {
    const now = this.#now()
    while (this.#recent.length > 0 && now - (this.#recent[0] ?? 0) >= 60_000) this.#recent.shift()
    const own = Math.max(0, (this.#records.get(who)?.until ?? 0) - now)
    const capped = !trusted && !this.#known.has(who) && this.#recent.length >= this.#perMinute
    const global = capped ? 60_000 - (now - (this.#recent[0] ?? now)) : 0
    return Math.max(own, global)
  }

  /** A wrong password from `who`: its wait grows. */
  fail(who: string): void {
    const now = this.#now()
    const failures = (this.#records.get(who)?.failures ?? 0) + 1
    const wait = Math.min(this.#max, this.#initial * 2 ** (failures - 1))
    this.#records.set(who, { failures, until: now + wait })
    this.#recent.push(now)
    // Forget guests whose wait ended long ago, so the map stays small.
    if (this.#records.size > 1024) {
      for (const [key, r] of this.#records) if (r.until + this.#max < now) this.#records.delete(key)
    }
  }

  /** A right password from `who`: it starts afresh, and has standing from now on. */
  succeed(who: string): void {
    this.#records.delete(who)
    this.#known.delete(who)
    this.#known.add(who)
    if (this.#known.size > MAX_REMEMBERED) {
      const oldest = this.#known.values().next().value
      if (oldest !== undefined) this.#known.delete(oldest)
    }
  }
}
