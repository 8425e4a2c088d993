/**
 * Publishes a hosted session as `session.json` in the host's identity
 * archive (seed 000): written when hosting starts, `peers` rewritten when
 * someone joins or leaves, `last_update` refreshed every heartbeat interval
 * (stated as `heartbeat_ms`, so readers judge it by ours), and the entry
 * deleted when hosting ends. Friends replicating the archive
 * see each write.
 */
import { realClock, type Clock } from '../clock.js'
import type { IdentityArchive } from '../identity/archive.js'
import { SESSION, type Session } from '../identity/records.js'
import { DEFAULT_HEARTBEAT_MS } from './liveness.js'

export interface PublisherOptions {
  /** Where session.json goes: the identity archive (its put and delete). */
  archive: Pick<IdentityArchive, 'put' | 'delete'>
  session: Omit<Session, 'last_update' | 'peers' | 'heartbeat_ms'>
  /** Heartbeat interval, ms. */
  interval?: number
  /** Wall-clock time for `last_update`, ms since the epoch. */
  now?: () => number
  /** The heartbeat's timers (realClock). */
  clock?: Clock
  /** A write failed after hosting started (logged by default). */
  onError?: (err: unknown) => void
}

export class SessionPublisher {
  readonly #opts: PublisherOptions
  #peers = 1
  #timer: unknown = null
  #stopped = false

  constructor(opts: PublisherOptions) {
    this.#opts = opts
  }

  /** The heartbeat interval in use, ms. */
  get interval(): number {
    return this.#opts.interval ?? DEFAULT_HEARTBEAT_MS
  }

  /** Writes the first entry (rejects if the archive cannot be written) and starts the heartbeat. */
  async start(): Promise<Session> {
    const written = await this.#write()
    this.#beat()
    return written
  }

  /** Rewrites the entry every interval until stopped. */
  #beat(): void {
    if (this.#stopped) return
    const clock = this.#opts.clock ?? realClock
    this.#timer = clock.setTimeout(() => {
      this.#write().catch(this.#fail)
      this.#beat()
    }, this.interval)
  }

  /** Everyone in the session, the host included. */
  setPeers(peers: number): void {
    if (this.#stopped || peers === this.#peers) return
    this.#peers = peers
    void this.#write().catch(this.#fail)
  }

  /** Stops the heartbeat and deletes the entry. */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    if (this.#timer !== null) (this.#opts.clock ?? realClock).clearTimeout(this.#timer)
    await this.#opts.archive.delete(SESSION).catch(this.#fail)
  }

  #write(): Promise<Session> {
    const now = (this.#opts.now ?? Date.now)()
    const { session } = this.#opts
    const peers = Math.min(this.#peers, session.max_peers)
    return this.#opts.archive.put(SESSION, {
      ...session,
      peers,
      last_update: now,
      heartbeat_ms: this.interval,
    })
  }

  readonly #fail = (err: unknown): void => {
    if (this.#opts.onError) this.#opts.onError(err)
    else console.error('Porchlight: could not update session.json', err)
  }
}
