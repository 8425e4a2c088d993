/**
 * Liveness of one connection. A peer whose tab closes usually takes its data
 * channel down at once, but a peer that dies silently (crash, sleep, network
 * gone) leaves the channel open for up to ICE's ~30 s consent timeout. So each
 * side says something at least every `interval` (a ping when it has nothing
 * else to say), and a side that has heard nothing for `timeout` is dead.
 */
export interface HeartbeatOptions {
  /** Longest quiet stretch before we ping, ms. */
  interval: number
  /** Silence after which the remote is taken for dead, ms. */
  timeout: number
  now?: () => number
}

export const DEFAULT_HEARTBEAT: Readonly<HeartbeatOptions> = Object.freeze({
  interval: 1_000,
  timeout: 4_000,
})

export type HeartbeatAction = 'ping' | 'dead' | null

export class Heartbeat {
  readonly interval: number
  readonly timeout: number
  readonly #now: () => number
  #heardAt: number
  #spokeAt: number

  constructor(opts: HeartbeatOptions = DEFAULT_HEARTBEAT) {
    this.interval = opts.interval
    this.timeout = Math.max(opts.timeout, opts.interval * 2)
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

  /** What to do now; call it at least every interval / 2. */
  tick(): HeartbeatAction {
    const now = this.#now()
    if (now - this.#heardAt >= this.timeout) return 'dead'
    if (now - this.#spokeAt >= this.interval) return 'ping'
    return null
  }
}
