/**
 * One swarm per identity (and tracker and ICE server lists) in use: the lobbies of every site
 * that was granted the same identity share its connections, so two browsers
 * have one connection between them whatever number of lobbies they share.
 *
 * The swarm signs with the identity's key (from its archive; the key stays in
 * this document) and its peer id is derived from that key and this browser's
 * device id, so each browser of one identity is its own peer. A swarm lives
 * while a lobby uses it, and a little longer (IDLE_SWARM_MS): a page that
 * reloads, or the next page of a site, finds its tracker sockets open and
 * offers made ahead (the swarm's offer pool), so its lobby's first announce
 * goes out at once. Changed settings take effect for the swarms made after
 * the change.
 */
import { P2PError } from '../../src/errors.js'
import type { IceServer } from '../../src/protocol/ice.js'
import type { LobbyLog } from '../../src/signaling/lobby-log.js'
import type { ArchiveReplicator } from '../../src/replication/replicator.js'
import type { Swarm } from '../../src/swarm/swarm.js'

/** A swarm and what peers' profiles come from. */
export interface Peering {
  swarm: Swarm
  /** Peers' profiles, from their replicated archives; null in tests that need none. */
  replicator: ArchiveReplicator | null
  /** Lobby-log signaling for hosted sessions (absent in tests that need none). */
  lobbyLog?: LobbyLog
  /** Ends what the signaling backends carry over the swarm (their `attach`). */
  detach?: () => Promise<void>
}

export interface SwarmLease extends Peering {
  readonly identity: string
  /** Gives the swarm back; the last release destroys it. */
  release(): void
}

interface Entry {
  peering: Promise<Peering>
  users: number
  /** Set while no lobby uses it: ends it when it fires. */
  idle?: ReturnType<typeof setTimeout> | undefined
}

/** How long a swarm no lobby uses is kept for the next one, ms. */
export const IDLE_SWARM_MS = 30_000

export type SwarmFactory = (
  identity: string,
  trackers: readonly string[],
  ice: readonly IceServer[],
) => Promise<Peering>

export class SwarmPool {
  readonly #entries = new Map<string, Entry>()
  readonly #create: SwarmFactory
  readonly #idleMs: number

  /** `idleMs`: how long a swarm outlives its last lease (IDLE_SWARM_MS unless given). */
  constructor(create: SwarmFactory, opts: { idleMs?: number } = {}) {
    this.#create = create
    this.#idleMs = opts.idleMs ?? IDLE_SWARM_MS
  }

  /** The swarm of `identity` over `trackers` and `ice`, created on first use. */
  async lease(
    identity: string,
    trackers: readonly string[],
    ice: readonly IceServer[] = [],
  ): Promise<SwarmLease> {
    if (trackers.length === 0) {
      throw P2PError.NOT_CONNECTED('no signaling server is configured (see the options page)')
    }
    const servers = ice.map((s) => [s.urls, s.username ?? '', s.credential ?? ''])
    const key = JSON.stringify([identity, [...trackers].sort(), servers.sort()])
    let entry = this.#entries.get(key)
    if (!entry) {
      const created: Entry = { peering: this.#create(identity, trackers, ice), users: 0 }
      created.peering.catch(() => {
        if (this.#entries.get(key) === created) this.#entries.delete(key)
      })
      this.#entries.set(key, created)
      entry = created
    }
    entry.users++
    clearTimeout(entry.idle)
    entry.idle = undefined
    const current = entry
    let peering: Peering
    try {
      peering = await current.peering
    } catch (err) {
      current.users--
      throw P2PError.from(err)
    }
    let released = false
    return {
      ...peering,
      identity,
      release: () => {
        if (released) return
        released = true
        if (--current.users > 0) return
        current.idle = setTimeout(() => {
          if (current.users > 0) return
          if (this.#entries.get(key) === current) this.#entries.delete(key)
          peering.replicator?.destroy().catch(() => undefined)
          peering.detach?.().catch(() => undefined)
          peering.swarm.destroy()
        }, this.#idleMs)
      },
    }
  }
}
