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
import type { KeyPair } from 'hypercore'
import { P2PError } from '../../src/errors.js'
import type { IceServer } from '../../src/protocol/ice.js'
import type { IdentityManager } from '../../src/identity/manager.js'
import { LobbyLog } from '../../src/signaling/lobby-log.js'
import { LOG_CHANNEL, LOG_INVITE_CHANNEL, LogMesh } from '../../src/signaling/log-mesh.js'
import { PeerRelay } from '../../src/signaling/peer-relay.js'
import { WebTorrentTracker } from '../../src/signaling/webtorrent-tracker.js'
import { sharedProfile } from '../../src/identity/shared-profile.js'
import { ArchiveReplicator } from '../../src/replication/replicator.js'
import { localPeerFromSecretKey } from '../../src/swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, MAX_OFFER_POOL, Swarm } from '../../src/swarm/swarm.js'
import { ADMISSION_CHANNEL } from '../../src/sessions/admission.js'
import { FRIENDS_CHANNEL } from '../../src/friends/claim.js'

/** A swarm and what peers' profiles come from. */
export interface Peering {
  swarm: Swarm
  /** Peers' profiles, from their replicated archives; null in tests that need none. */
  replicator: ArchiveReplicator | null
  /** Lobby-log signaling for hosted sessions (absent in tests that need none). */
  lobbyLog?: LobbyLog
  logMesh?: LogMesh
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

/** What RTCPeerConnection gets: the servers, or nothing (host candidates only). */
export function rtcConfigOf(ice: readonly IceServer[]): RTCConfiguration | undefined {
  return ice.length > 0 ? { iceServers: ice.map((s) => ({ ...s })) } : undefined
}

/**
 * The engine's real swarms: WebTorrent trackers to meet a lobby's first peer,
 * the peer relay for the rest (and when trackers are down), ICE servers, the
 * identity's key, the device id.
 */
export function trackerSwarms(identities: () => Promise<IdentityManager>): SwarmFactory {
  return async (identity, trackers, ice) => {
    const manager = await identities()
    const archive = manager.archive(identity)
    const secretKey = archive.core.keyPair?.secretKey
    if (!secretKey) throw P2PError.PERMISSION_DENIED('this identity has no secret key here')
    const signer = await localPeerFromSecretKey({
      secretKey,
      identityUrl: archive.url,
      instance: manager.deviceId,
    })
    // Each hello carries the archive's current name: peers show it without replicating first.
    const local = Object.freeze({ ...signer, profile: () => sharedProfile(archive.profile) })
    // The lobby log needs the swarm to carry its logs, and the swarm its adapter: bind late.
    let network: LogMesh | null = null
    const lobbyLog = new LobbyLog({
      local,
      network: {
        identityKey: '',
        append: (block) => network?.append(block) ?? Promise.resolve(),
        follow: (key, onBlock) => network?.follow(key, onBlock) ?? (() => undefined),
        invite: (key) => network?.invite(key),
        onInvite: (listener) => network?.onInvite(listener) ?? (() => undefined),
      },
    })
    const rtcConfig = rtcConfigOf(ice)
    const swarm = new Swarm({
      local,
      adapters: [new WebTorrentTracker({ urls: trackers }), new PeerRelay({ local }), lobbyLog],
      ...(rtcConfig ? { rtcConfig } : {}),
      // A lobby's first announce carries offers made before it was joined.
      offerPool: MAX_OFFER_POOL,
      // Hosted sessions admit guests, and friends claim invites, on channels of their own.
      extensions: [
        ...DEFAULT_EXTENSIONS,
        ADMISSION_CHANNEL,
        FRIENDS_CHANNEL,
        LOG_CHANNEL,
        LOG_INVITE_CHANNEL,
      ],
    })
    const mesh = new LogMesh({ swarm, keyPair: archive.core.keyPair as KeyPair })
    network = mesh
    return { swarm, replicator: new ArchiveReplicator({ swarm, archive }), lobbyLog, logMesh: mesh }
  }
}

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
          peering.logMesh?.destroy().catch(() => undefined)
          peering.swarm.destroy()
        }, this.#idleMs)
      },
    }
  }
}
