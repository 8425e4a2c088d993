/**
 * Replicates identity archives over every connection of a swarm: to each
 * connected peer our archive (we are its writer), and from each peer a
 * read-only copy of its archive, whose profile.json and session.json we read
 * and report.
 *
 *   const replicator = new ArchiveReplicator({ swarm, archive })
 *   replicator.on('profile', ({ peer, profile }) => …)
 *   const { name } = await replicator.profile(peerId)
 *
 * The Noise static key of every replication stream is the identity key, and
 * the remote's must be the key its hello was signed with: a peer whose key
 * differs is rejected (its connections close with `unauthenticated`) and
 * nothing of its archive is read. So `peer.identity` is authenticated twice:
 * by the hello over the DTLS fingerprints and by Noise over the stream.
 *
 * A replication stream lives on one connection (see ChannelStream). We
 * start on the peer's primary connection and, when that one closes while the
 * peer remains (a duplicate merged away), start again on the new primary. A
 * stream the remote starts on another connection (its primary was another
 * one at the time) is answered there; both run until one connection closes. Copies of peers' archives come from a ReplicaStore
 * (memory by default) and are released when the peer goes.
 *
 * A peer of our own identity (the same identity open in another browser) is
 * not replicated with: both copies would be writable, and two writers of one
 * hypercore fork it (docs/identity.md). Its profile is ours.
 */
import { bytesToHex } from '@noble/curves/utils.js'
import type { KeyPair } from 'hypercore'
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type { IdentityArchive } from '../identity/archive.js'
import { keyOfUrl } from '../identity/hyper-url.js'
import type { Profile, Session } from '../identity/records.js'
import type { Connection } from '../swarm/connection.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import type { ChannelStream } from './channel-stream.js'
import { ConnectionStreams } from './connection-streams.js'
import { RemoteArchive } from './remote-archive.js'
import { memoryReplicaStore, type ReplicaStore } from './replica-store.js'
import { ReplicationSession } from './session.js'

/** The connection-level channel replication streams run on. */
export const REPLICATION_CHANNEL = 'hypercore'
/** How long `profile()` waits by default, ms. */
export const PROFILE_TIMEOUT = 10_000
/**
 * How long after a peer connects we start replicating with it, ms. The
 * Noise handshake and hypercore's first requests cost tens of ms of
 * JavaScript crypto on each side; until then the connection's first small
 * exchanges (lobby joins, whose names ride signed in the hello) have the
 * engine to themselves. A stream the remote starts earlier is answered at once.
 */
export const REPLICATION_DELAY = 50

export interface ReplicatorOptions {
  swarm: Swarm
  /** Our identity: its core replicates to every peer, its key pair is our Noise key. */
  archive: IdentityArchive
  /** Where copies of peers' archives live (default: in memory, per peer). */
  store?: ReplicaStore
  /** Default wait of `profile()`, ms. */
  profileTimeout?: number
  /** From a stream's start to its Noise handshake, ms (default 15 s). */
  handshakeTimeout?: number
  /** From a peer's connection to our start of its stream, ms (default REPLICATION_DELAY). */
  startDelay?: number
}

export interface ReplicatorEvents {
  /** A peer's profile became readable, or changed (a rename). */
  profile: { peer: RemotePeer; profile: Profile }
  /** A peer's session.json changed; null when deleted. */
  session: { peer: RemotePeer; session: Session | null }
  /** A peer's Noise key is not its identity key: its connections were closed. */
  rejected: { peer: RemotePeer; error: P2PError }
  /** A peer's archive is damaged (`protocol-error`) or its stream failed; the peer stays. */
  error: { peer: RemotePeer; error: P2PError }
}

interface PeerEntry {
  peer: RemotePeer
  /** The copy of its archive; null for our own identity or a peer without the channel. */
  remote: RemoteArchive | null
  sessions: Map<Connection, ReplicationSession>
  rejected: P2PError | null
  /** The deferred first start (see REPLICATION_DELAY). */
  timer?: ReturnType<typeof setTimeout>
}

export class ArchiveReplicator extends Emitter<ReplicatorEvents> {
  readonly archive: IdentityArchive
  readonly #swarm: Swarm
  readonly #store: ReplicaStore
  readonly #keyPair: KeyPair
  readonly #ownKey: string
  readonly #profileTimeout: number
  readonly #handshakeTimeout: number
  readonly #startDelay: number
  readonly #streams: ConnectionStreams
  readonly #peers = new Map<string, PeerEntry>()
  readonly #stops: Array<() => void>
  #destroyed = false

  constructor(opts: ReplicatorOptions) {
    super()
    const keyPair = opts.archive.core.keyPair
    if (!keyPair?.secretKey) {
      throw P2PError.INVALID_ARGUMENT('replicating an identity needs its secret key')
    }
    this.archive = opts.archive
    this.#swarm = opts.swarm
    this.#store = opts.store ?? memoryReplicaStore()
    this.#keyPair = keyPair
    this.#ownKey = bytesToHex(keyOfUrl(opts.archive.url))
    this.#profileTimeout = opts.profileTimeout ?? PROFILE_TIMEOUT
    this.#handshakeTimeout = opts.handshakeTimeout ?? 15_000
    this.#startDelay = opts.startDelay ?? REPLICATION_DELAY
    this.#streams = new ConnectionStreams(this.#swarm, REPLICATION_CHANNEL, (peer, conn, stream) =>
      this.#onRemoteOpen(peer, conn, stream),
    )
    this.#stops = [
      this.#swarm.on('peer-connected', ({ peer }) => this.#add(peer)),
      this.#swarm.on('connection-closed', ({ peer, conn }) => this.#onConnectionClosed(peer, conn)),
      this.#swarm.on('peer-disconnected', ({ peer }) => this.#remove(peer)),
    ]
    for (const peer of this.#swarm.peers()) this.#add(peer)
  }

  /**
   * The profile of a connected peer, once its archive is readable. Rejects
   * with `not-connected` (no such peer, or it left), `unauthenticated` (it
   * was rejected), `protocol-error` (its archive is damaged) or `timeout`.
   */
  profile(peerId: string, opts: { timeout?: number } = {}): Promise<Profile> {
    const entry = this.#peers.get(peerId)
    if (!entry) return Promise.reject(P2PError.NOT_CONNECTED(`no connection to ${peerId}`))
    if (entry.rejected) return Promise.reject(entry.rejected)
    if (entry.peer.identityKey === this.#ownKey) {
      const own = this.archive.profile
      return own ? Promise.resolve(own) : Promise.reject(P2PError.NOT_CONNECTED('no profile'))
    }
    if (!entry.remote) {
      return Promise.reject(P2PError.NOT_CONNECTED(`${peerId} does not replicate archives`))
    }
    return entry.remote.whenProfile(opts.timeout ?? this.#profileTimeout)
  }

  /** A peer's current session.json (null when none, not yet read, or unavailable). */
  session(peerId: string): Session | null {
    return this.#peers.get(peerId)?.remote?.session ?? null
  }

  /** The connection a peer's archive currently replicates on (verified first), if any. */
  connectionOf(peerId: string): Connection | null {
    const sessions = this.#peers.get(peerId)?.sessions
    const live = [...(sessions?.entries() ?? [])].filter(([conn]) => conn.state === 'ready')
    const found = live.find(([, s]) => s.verified) ?? live[0]
    return found?.[0] ?? null
  }

  /** Stops replicating with everyone and releases the copies; the swarm stays. */
  async destroy(): Promise<void> {
    if (this.#destroyed) return
    this.#destroyed = true
    for (const stop of this.#stops) stop()
    this.#streams.destroy()
    const entries = [...this.#peers.values()]
    this.#peers.clear()
    await Promise.all(entries.map((entry) => this.#drop(entry)))
  }

  #add(peer: RemotePeer): void {
    if (this.#destroyed) return
    const old = this.#peers.get(peer.peerId)
    if (old?.peer === peer) return
    if (old) void this.#drop(old)
    const entry: PeerEntry = { peer, remote: null, sessions: new Map(), rejected: null }
    this.#peers.set(peer.peerId, entry)
    if (peer.identityKey === this.#ownKey || !peer.extensions.includes(REPLICATION_CHANNEL)) return
    let key: Uint8Array
    try {
      key = keyOfUrl(`hyper://${peer.identityKey}`)
    } catch {
      return
    }
    const remote = new RemoteArchive(this.#store.open(key), this.archive.device)
    remote.on('profile', ({ profile }) => this.emit('profile', { peer, profile }))
    remote.on('session', ({ session }) => this.emit('session', { peer, session }))
    remote.on('error', ({ error }) => this.emit('error', { peer, error }))
    entry.remote = remote
    entry.timer = setTimeout(() => {
      if (this.#peers.get(peer.peerId) === entry) this.#ensureSession(entry)
    }, this.#startDelay)
  }

  /** Starts on the primary unless a session already runs on a live connection. */
  #ensureSession(entry: PeerEntry): void {
    if (this.#destroyed || entry.rejected || !entry.remote) return
    if ([...entry.sessions.keys()].some((conn) => conn.state === 'ready')) return
    const conn = entry.peer.connections[0]
    if (!conn) return
    const stream = this.#streams.open(conn)
    if (stream) this.#start(entry, conn, stream)
  }

  #onRemoteOpen(peer: RemotePeer, conn: Connection, stream: ChannelStream): void {
    const entry = this.#peers.get(peer.peerId)
    if (!entry || entry.peer !== peer || !entry.remote || entry.rejected) {
      stream.destroy()
      return
    }
    entry.sessions.get(conn)?.close()
    this.#start(entry, conn, stream)
  }

  #start(entry: PeerEntry, conn: Connection, stream: ChannelStream): void {
    const remote = entry.remote
    if (!remote) return
    const session: ReplicationSession = new ReplicationSession({
      stream,
      initiator: conn.initiator,
      keyPair: this.#keyPair,
      expected: { identityKey: entry.peer.identityKey, identityUrl: entry.peer.identityUrl },
      cores: [this.archive.core, remote.core],
      handshakeTimeout: this.#handshakeTimeout,
      onRejected: (error) => this.#reject(entry, error),
      onError: (error) => this.emit('error', { peer: entry.peer, error }),
      onClose: () => {
        if (entry.sessions.get(conn) === session) entry.sessions.delete(conn)
      },
    })
    entry.sessions.set(conn, session)
  }

  #onConnectionClosed(peer: RemotePeer, conn: Connection): void {
    const entry = this.#peers.get(peer.peerId)
    if (entry?.peer !== peer) return
    entry.sessions.get(conn)?.close()
    entry.sessions.delete(conn)
    if (peer.connections.length > 0) this.#ensureSession(entry)
  }

  #remove(peer: RemotePeer): void {
    const entry = this.#peers.get(peer.peerId)
    if (entry?.peer !== peer) return
    this.#peers.delete(peer.peerId)
    void this.#drop(entry)
  }

  #reject(entry: PeerEntry, error: P2PError): void {
    if (entry.rejected) return
    entry.rejected = error
    entry.remote?.close(error)
    for (const session of [...entry.sessions.values()]) session.close()
    this.emit('rejected', { peer: entry.peer, error })
    for (const conn of [...entry.peer.connections]) conn.close('rejected', error)
  }

  async #drop(entry: PeerEntry): Promise<void> {
    clearTimeout(entry.timer)
    for (const session of [...entry.sessions.values()]) session.close()
    entry.sessions.clear()
    const remote = entry.remote
    if (!remote) return
    remote.close(entry.rejected ?? undefined)
    await this.#store.release(remote.core).catch(() => undefined)
  }
}
