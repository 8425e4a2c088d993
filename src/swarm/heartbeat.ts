/**
 * Liveness of one connection. A peer whose tab closes usually takes its data
 * channel down at once, but a peer that dies silently (crash, sleep, network
 * gone) leaves the channel open for up to ICE's ~30 s consent timeout. So each
 * side says something at least every `interval` (a ping when it has nothing
 * else to say), and a side that has heard nothing for `timeout` is dead.
 *
 * A remote that hangs still answers ICE (its network process lives on), so
 * the connection's ICE stays up; when the path itself is down (nothing at all
 * arrives: a cable pulled, Wi-Fi changing, a laptop waking up), the owner
 * gives the path `pathGrace` more to come back before calling the remote
 * dead. When the path comes back, the data channel needs a moment to resume
 * (SCTP's retransmission timer backed off during the outage), so the remote
 * gets `timeout` from then, never beyond `timeout + pathGrace` of silence:
 * that sum is the longest a remote that vanished without a word is kept
 * (a lobby's leave bound, 10 s by default).
 */
import { realClock } from '../clock.js'

export interface HeartbeatOptions {
  /** Longest quiet stretch before we ping, ms. */
  interval: number
  /** Silence after which the remote is taken for dead, ms. */
  timeout: number
  /** Extra silence allowed while the network path is down (nothing arrives at all), ms. */
  pathGrace?: number
  now?: () => number
}

export const DEFAULT_HEARTBEAT: Readonly<HeartbeatOptions> = Object.freeze({
  interval: 1_000,
  timeout: 4_000,
  // A peer that vanishes without a goodbye (its browser killed, its machine
  // off the network) looks exactly like a cut path, so the grace is also how
  // long such a peer stays: 4 s + 6 s. Enough for a 3 s cut and the data
  // channel's resumption after it (about 4 s more, measured; without a grace
  // the cut is a peer-leave); 20 s kept browsers closed under load (their
  // goodbye lost) for 24 s.
  pathGrace: 6_000,
})

export type HeartbeatAction = 'ping' | 'dead' | null

export class Heartbeat {
  readonly interval: number
  readonly timeout: number
  readonly pathGrace: number
  readonly #now: () => number
  #heardAt: number
  #spokeAt: number
  /** When a tick last saw the path down. */
  #downAt = Number.NEGATIVE_INFINITY

  constructor(opts: HeartbeatOptions = DEFAULT_HEARTBEAT) {
    this.interval = opts.interval
    this.timeout = Math.max(opts.timeout, opts.interval * 2)
    this.pathGrace = Math.max(0, opts.pathGrace ?? 0)
    this.#now = opts.now ?? realClock.now
    this.#heardAt = this.#spokeAt = this.#now()
  }

  /** Anything arrived from the remote. */
  heard(): void {
    this.#heardAt = this.#now()
  }

  /** We sent something. */
  spoke(): void {
    this.#spokeAt = this.#now()
  }

  /** How long nothing has been heard, ms. */
  get quiet(): number {
    return this.#now() - this.#heardAt
  }

  /** Quiet long enough that at least two pings were missed: the remote may be gone. */
  get stalled(): boolean {
    return this.quiet >= this.interval * 2.5
  }

  /** The longest silence ever allowed: `timeout + pathGrace`, ms. */
  get bound(): number {
    return this.timeout + this.pathGrace
  }

  /**
   * What to do now; call it at least every interval / 2. `pathDown`: the
   * transport reports the network path down, so up to `pathGrace` is added,
   * and `timeout` more once it is back up.
   */
  tick(pathDown = false): HeartbeatAction {
    const now = this.#now()
    if (pathDown) this.#downAt = now
    const quiet = now - this.#heardAt
    const recovering = now - this.#downAt < this.timeout
    if (quiet >= this.bound || (quiet >= this.timeout && !recovering)) return 'dead'
    if (now - this.#spokeAt >= this.interval) return 'ping'
    return null
  }
}
