/**
 * Liveness of one connection. A peer whose tab closes usually takes its data
 * channel down at once, but a peer that dies silently (crash, sleep, network
 * gone) leaves the channel open for up to ICE's ~30 s consent timeout. So each
 * side says something at least every `interval` (a ping when it has nothing
 * else to say), and a side that has heard nothing for `timeout` is dead.
 *
 * A remote that hangs still answers ICE (its network process lives on), so
 * the connection's ICE stays up; when ICE itself reports the path down (a
 * cable pulled, Wi-Fi changing, a laptop waking up), the owner gives the
 * path `pathGrace` more to come back before calling the remote dead.
 */
export interface HeartbeatOptions {
  /** Longest quiet stretch before we ping, ms. */
  interval: number
  /** Silence after which the remote is taken for dead, ms. */
  timeout: number
  /** Extra silence allowed while the network path is down (ICE disconnected), ms. */
  pathGrace?: number
  now?: () => number
}

export const DEFAULT_HEARTBEAT: Readonly<HeartbeatOptions> = Object.freeze({
  interval: 1_000,
  timeout: 4_000,
  // None by default: a peer that vanishes without a goodbye (its tab or
  // browser killed) looks exactly like a cut path, and lobbies promise such a
  // peer leaves within 5 s. A swarm may trade that bound for riding out
  // longer outages by setting it.
  pathGrace: 0,
})

export type HeartbeatAction = 'ping' | 'dead' | null

export class Heartbeat {
  readonly interval: number
  readonly timeout: number
  readonly pathGrace: number
  readonly #now: () => number
  #heardAt: number
  #spokeAt: number

  constructor(opts: HeartbeatOptions = DEFAULT_HEARTBEAT) {
    this.interval = opts.interval
    this.timeout = Math.max(opts.timeout, opts.interval * 2)
    this.pathGrace = Math.max(0, opts.pathGrace ?? 0)
    this.#now = opts.now ?? (() => performance.now())
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

  /**
   * What to do now; call it at least every interval / 2. `pathDown`: the
   * transport reports the network path down, so `pathGrace` is added.
   */
  tick(pathDown = false): HeartbeatAction {
    const now = this.#now()
    const limit = this.timeout + (pathDown ? this.pathGrace : 0)
    if (now - this.#heardAt >= limit) return 'dead'
    if (now - this.#spokeAt >= this.interval) return 'ping'
    return null
  }
}
