/**
 * One-way delays of stamped messages, collected by a receiver that is armed
 * before the sender starts. The bench drives the two pages from Node with
 * two `page.evaluate` calls; had the receiver only started listening in its
 * own call, a stamp that overtook that call (a raw data channel delivers in
 * well under a millisecond) was dropped and the collection waited out its
 * timeout ("no stamp in 10000 ms"). So: `arm()` in one call (it resolves at
 * once), start the sender, then await `result()`.
 */

export interface StampSink {
  /** Takes one stamped message (`at` on the clock both pages share). */
  stamp(at: number): void
}

/** Collects the delays of the next `count` stamps, from the moment it is made. */
export class StampCollector implements StampSink {
  readonly #delays: number[] = []
  readonly #count: number
  readonly #now: () => number
  readonly #result: Promise<number[]>
  #resolve: (delays: number[]) => void = () => undefined

  /** Rejects `result()` when the stamps are not all in `timeoutMs` after arming. */
  constructor(count: number, timeoutMs: number, now: () => number) {
    this.#count = count
    this.#now = now
    this.#result = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.#delays.length
        reject(new Error(`no "stamp" in ${timeoutMs} ms (${got} of ${count} arrived)`))
      }, timeoutMs)
      this.#resolve = (delays) => {
        clearTimeout(timer)
        resolve(delays)
      }
    })
    // Nobody may await it if the bench gave up on the run: no unhandled rejection.
    this.#result.catch(() => undefined)
  }

  stamp(at: number): void {
    if (this.#delays.length >= this.#count) return
    this.#delays.push(this.#now() - at)
    if (this.#delays.length === this.#count) this.#resolve([...this.#delays])
  }

  /** The delays (ms), once `count` stamps arrived. */
  result(): Promise<number[]> {
    return this.#result
  }
}
