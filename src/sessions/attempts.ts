/**
 * How often a host lets a guest try a password. After a wrong one the guest
 * waits (5 s, doubling to 5 min) before the host checks another from the same
 * identity; and all guests together get at most `perMinute` wrong tries a
 * minute, so cycling through fresh identities does not help. A try inside a
 * wait is answered `rate-limited` without being checked.
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

export class Attempts {
  readonly #records = new Map<string, Entry>()
  readonly #recent: number[] = []
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

  /** 0 when `who` may try now, else how many ms it must wait. */
  wait(who: string): number {
    const now = this.#now()
    while (this.#recent.length > 0 && now - (this.#recent[0] ?? 0) >= 60_000) this.#recent.shift()
    const own = Math.max(0, (this.#records.get(who)?.until ?? 0) - now)
    const global =
      this.#recent.length >= this.#perMinute ? 60_000 - (now - (this.#recent[0] ?? now)) : 0
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

  /** A right password from `who`: it starts afresh. */
  succeed(who: string): void {
    this.#records.delete(who)
  }
}
