/**
 * Runs async steps one at a time, in call order: each starts once the one
 * before has settled (failed or not), so read-modify-write steps on shared
 * state (an archive's log, stored intents) never interleave.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve()

  /** Runs `fn` after every step queued before it; resolves or rejects as `fn` does. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn)
    this.#tail = run.catch(() => undefined)
    return run
  }

  /** Settles once every step queued so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined)
  }
}
