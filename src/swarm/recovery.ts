/**
 * When a ready connection whose network path went down (ICE `disconnected`
 * or `failed`, or nothing at all arriving) tries to get it back, within the
 * heartbeat's leave bound (see heartbeat.ts):
 *
 * - `restart`: an ICE restart (a fresh offer/answer with new ICE credentials,
 *   gathered anew: new addresses after a Wi-Fi change or a wake-up), carried
 *   by a signaling path that does not need the broken connection. Only the
 *   side that made the connection's original offer restarts (both sides know
 *   which one that is), so the two never send crossing restart offers; it
 *   tries again every `restartEvery` while the path stays down, as a restart
 *   sent while our own uplink was down is lost.
 * - `fresh`: once, after `freshAfter` of path down, both sides look for the
 *   peer again through their signaling paths, so a new connection can take
 *   over (the swarm keeps the peer while one of its connections lives, so
 *   the lobby sees no leave and join) should this one not come back.
 *
 * Pure: the owner calls `tick` on each heartbeat tick with the path's state.
 */
import { realClock } from '../clock.js'

export interface RecoveryOptions {
  /** Path down this long before the first restart, ms. */
  firstRestart: number
  /** Pause between two restarts while the path stays down, ms. */
  restartEvery: number
  /** Path down this long before looking for a fresh connection, ms. */
  freshAfter: number
  now?: () => number
}

export const DEFAULT_RECOVERY: Readonly<RecoveryOptions> = Object.freeze({
  // The path is only called down after ~2 s of silence (connection.ts): restart at once.
  firstRestart: 0,
  restartEvery: 2_500,
  // With a 4 s timeout and 6 s grace (10 s bound from the last byte heard,
  // ~2 s of which pass before the path is called down) a fresh connection
  // asked for 2 s later still has ~6 s to be signaled and handshake.
  freshAfter: 2_000,
})

export type RecoveryAction = 'restart' | 'fresh' | null

/** Whether this side restarts ICE: the side that made the original offer. */
export function restartsIce(conn: { initiator: boolean }): boolean {
  return conn.initiator
}

export class Recovery {
  readonly #opts: Required<RecoveryOptions>
  readonly #restarts: boolean
  /** When the path was first seen down in this outage; null while it is up. */
  #downSince: number | null = null
  #lastRestart = Number.NEGATIVE_INFINITY
  #freshAsked = false
  #count = 0

  /** `restarts`: this side restarts ICE (see restartsIce). */
  constructor(restarts: boolean, opts: Partial<RecoveryOptions> = {}) {
    this.#restarts = restarts
    this.#opts = { ...DEFAULT_RECOVERY, now: realClock.now, ...opts }
  }

  /** Restarts asked for so far (all outages). */
  get restarts(): number {
    return this.#count
  }

  /** Path down right now (as of the last tick). */
  get down(): boolean {
    return this.#downSince !== null
  }

  /** What to do now, given whether the path is down. */
  tick(pathDown: boolean): RecoveryAction {
    const now = this.#opts.now()
    if (!pathDown) {
      this.#downSince = null
      this.#lastRestart = Number.NEGATIVE_INFINITY
      this.#freshAsked = false
      return null
    }
    this.#downSince ??= now
    const down = now - this.#downSince
    if (!this.#freshAsked && down >= this.#opts.freshAfter) {
      this.#freshAsked = true
      return 'fresh'
    }
    if (
      this.#restarts &&
      down >= this.#opts.firstRestart &&
      now - this.#lastRestart >= this.#opts.restartEvery
    ) {
      this.#lastRestart = now
      this.#count++
      return 'restart'
    }
    return null
  }
}
