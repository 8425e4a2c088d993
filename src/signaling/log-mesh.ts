/**
 * The lobby logs of a swarm's identity and of whoever it follows, carried
 * over every connection that speaks channel `lobby-log` (seed 000 option 2;
 * the transport of ./lobby-log.ts).
 *
 * - Our log: a hypercore in memory, keyed from our identity key (see
 *   ./lobby-log-entry.ts) and written with the identity key pair. Signaling
 *   is ephemeral, so the log lives as long as the swarm and is never stored.
 * - Each connection carries one hypercore protocol stream (a Noise stream
 *   with a random key: a log authenticates itself, block by block, by the
 *   identity's signatures), started REPLICATION_DELAY after the peer
 *   connects, as identity replication is: its Noise handshake's crypto would
 *   otherwise hold up the connection's first exchanges (the lobby joins) on
 *   both sides; one the remote starts is answered at once. Every core we hold replicates on every stream,
 *   and each core downloads everything appended to it (`live`).
 * - A peer that opens a core we do not hold (its discovery key) gets it
 *   when we can tell which log it is: the log of an identity we are
 *   connected to, follow, or heard an invite for. Then we carry it, i.e.
 *   replicate it with everyone, so a log travels through peers that are
 *   connected to its writer (Carol carries Alice's log to Bob). At most
 *   `maxCores` logs are held; the least recently used carried one goes.
 * - Invites (channel `lobby-log-invite`, small JSON frames, a few hops,
 *   de-duplicated): "identity `to`, please follow the log of identity
 *   `from`": how a host learns a joiner's log. A peer passing one on
 *   carries `from`'s log, so the host can fetch it from that peer.
 */
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import Hypercore, { type KeyPair, type ReplicationStream } from 'hypercore'
import crypto from 'hypercore-crypto'
import RAM from 'random-access-memory'
import { ConnectionStreams } from '../replication/connection-streams.js'
import { REPLICATION_DELAY } from '../replication/replicator.js'
import type { ChannelStream } from '../replication/channel-stream.js'
import type { Connection } from '../swarm/connection.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import { LOG_CHANNEL, LOG_INVITE_CHANNEL } from './adapters/lobby-log.js'
import { lobbyLogKey, lobbyLogManifest } from './lobby-log-entry.js'
import {
  INVITE_HOPS,
  INVITE_LIMITS,
  decodeInvite,
  encodeInvite,
  signInvite,
  verifyInvite,
  type Invite,
} from './log-invite.js'
import { RelayGuard, type RelayGuardOptions } from './relay-guard.js'

/** Identities whose logs we can recognise, most recent kept. */
const MAX_KNOWN = 256

/** What the lobby-log adapter needs of the network (a LogMesh; a fake in unit tests). */
export interface LogNetwork {
  /** Our identity key, hex. */
  readonly identityKey: string
  /** Appends a block to our log. */
  append(block: Uint8Array): Promise<void>
  /** Reads the log of identity `identityKey` (hex): recent blocks, then every new one. */
  follow(identityKey: string, onBlock: (block: Uint8Array) => void): () => void
  /** Asks identity `identityKey` (through connected peers) to follow our log. */
  invite(identityKey: string): void
  /** Identities that asked us to follow their log. */
  onInvite(listener: (identityKey: string) => void): () => void
}

export interface LogMeshOptions {
  swarm: Swarm
  /** The identity key pair (hypercore's 64-byte secret key). */
  keyPair: KeyPair
  maxCores?: number
  /** Blocks read from the end of a log when following it. */
  tail?: number
  /** Rate limits and memory of invites (INVITE_LIMITS unless given). */
  inviteGuard?: RelayGuardOptions
}

interface Held {
  core: Hypercore
  discoveryKey: string
  followers: number
  used: number
}

export class LogMesh implements LogNetwork {
  readonly identityKey: string
  readonly #swarm: Swarm
  readonly #own: Hypercore
  readonly #held = new Map<string, Held>()
  /** Identity keys (hex) whose logs we can recognise by discovery key, oldest first (MAX_KNOWN). */
  readonly #known = new Set<string>()
  readonly #protocols = new Map<Connection, ReplicationStream>()
  readonly #streams: ConnectionStreams
  readonly #invites: RelayGuard
  readonly #inviteListeners = new Set<(key: string) => void>()
  readonly #stops: Array<() => void>
  readonly #maxCores: number
  readonly #tail: number
  #destroyed = false

  constructor(opts: LogMeshOptions) {
    this.#swarm = opts.swarm
    this.#maxCores = opts.maxCores ?? 32
    this.#tail = opts.tail ?? 64
    this.#invites = new RelayGuard(opts.inviteGuard ?? INVITE_LIMITS)
    this.identityKey = bytesToHex(opts.keyPair.publicKey)
    this.#own = new Hypercore(() => new RAM(), {
      manifest: lobbyLogManifest(opts.keyPair.publicKey),
      keyPair: opts.keyPair,
    })
    this.#own.on('error', () => undefined)
    this.#streams = new ConnectionStreams(this.#swarm, LOG_CHANNEL, (peer, conn, stream) =>
      this.#start(conn, stream),
    )
    this.#stops = [
      this.#swarm.on('peer-connected', ({ peer }) => this.#onPeer(peer)),
      this.#swarm.on('connection-closed', ({ conn }) => this.#protocols.delete(conn)),
      this.#swarm.handleChannel(LOG_INVITE_CHANNEL, (peer, _conn, payload) =>
        this.#onInvite(peer, payload),
      ),
    ]
    for (const peer of this.#swarm.peers()) this.#onPeer(peer)
  }

  async append(block: Uint8Array): Promise<void> {
    await this.#own.append(block)
  }

  follow(identityKey: string, onBlock: (block: Uint8Array) => void): () => void {
    const held = this.#hold(identityKey)
    held.followers++
    let next = -1
    let reading = false
    const read = async () => {
      if (reading || this.#destroyed) return
      reading = true
      try {
        await held.core.ready()
        if (next < 0) next = Math.max(0, held.core.length - this.#tail)
        while (next < held.core.length && held.followers > 0) {
          const block = await held.core.get(next, { timeout: 10_000 })
          next++
          if (block) onBlock(block)
        }
      } catch {
        // A block that did not come: read again on the next append.
      } finally {
        reading = false
      }
    }
    const onAppend = () => void read()
    held.core.on('append', onAppend)
    void read()
    return () => {
      held.core.off('append', onAppend)
      held.followers = Math.max(0, held.followers - 1)
    }
  }

  invite(identityKey: string): void {
    this.#know(identityKey)
    signInvite(this.#swarm.local, identityKey, bytesToHex(crypto.randomBytes(16)))
      .then((invite) => {
        if (this.#destroyed) return
        this.#invites.firstSight(invite.sig)
        this.#spread(invite, INVITE_HOPS)
      })
      .catch(() => undefined)
  }

  onInvite(listener: (identityKey: string) => void): () => void {
    this.#inviteListeners.add(listener)
    return () => this.#inviteListeners.delete(listener)
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return
    this.#destroyed = true
    for (const stop of this.#stops) stop()
    this.#streams.destroy()
    for (const p of this.#protocols.values()) p.destroy()
    await Promise.allSettled([
      this.#own.close(),
      ...[...this.#held.values()].map((h) => h.core.close()),
    ])
  }

  #onPeer(peer: RemotePeer): void {
    if (!peer.extensions.includes(LOG_CHANNEL)) return
    this.#know(peer.identityKey)
    setTimeout(() => {
      const conn = peer.primary as Connection | undefined
      if (this.#destroyed || !conn || this.#protocols.has(conn)) return
      const stream = this.#streams.open(conn)
      if (stream) this.#start(conn, stream)
    }, REPLICATION_DELAY)
  }

  #start(conn: Connection, stream: ChannelStream): void {
    if (this.#destroyed || this.#protocols.has(conn)) return
    const protocol = Hypercore.createProtocolStream(conn.initiator, {
      keepAlive: false,
      ondiscoverykey: (dk) => this.#onDiscoveryKey(bytesToHex(dk)),
    })
    protocol.on('error', () => undefined)
    stream.on('error', () => undefined)
    protocol.on('close', () => {
      if (this.#protocols.get(conn) === protocol) this.#protocols.delete(conn)
    })
    stream.pipe(protocol).pipe(stream)
    this.#protocols.set(conn, protocol)
    this.#own.replicate(protocol)
    for (const held of this.#held.values()) held.core.replicate(protocol)
  }

  /** A remote opened a core we do not hold: carry it when it is a log we can name. */
  #onDiscoveryKey(dk: string): void {
    if (this.#destroyed) return
    for (const identityKey of this.#known) {
      if (identityKey === this.identityKey || this.#held.has(identityKey)) continue
      const key = lobbyLogKey(hexToBytes(identityKey))
      if (bytesToHex(crypto.discoveryKey(key)) === dk) {
        this.#hold(identityKey)
        return
      }
    }
  }

  #hold(identityKey: string): Held {
    const existing = this.#held.get(identityKey)
    if (existing) {
      existing.used = Date.now()
      return existing
    }
    this.#know(identityKey)
    const key = lobbyLogKey(hexToBytes(identityKey))
    const core = new Hypercore(() => new RAM(), key)
    core.on('error', () => undefined)
    const held: Held = {
      core,
      discoveryKey: bytesToHex(crypto.discoveryKey(key)),
      followers: 0,
      used: Date.now(),
    }
    this.#held.set(identityKey, held)
    core.download({ start: 0, end: -1 })
    for (const protocol of this.#protocols.values()) core.replicate(protocol)
    this.#evict()
    return held
  }

  /** Drops the least recently used log nobody follows while over the cap. */
  #evict(): void {
    while (this.#held.size > this.#maxCores) {
      const idle = [...this.#held].filter(([, h]) => h.followers === 0)
      idle.sort(([, a], [, b]) => a.used - b.used)
      const oldest = idle[0]
      if (!oldest) return
      this.#held.delete(oldest[0])
      void oldest[1].core.close().catch(() => undefined)
    }
  }

  /** Remembers an identity whose log we may be asked for (the most recent MAX_KNOWN). */
  #know(identityKey: string): void {
    this.#known.delete(identityKey)
    this.#known.add(identityKey)
    for (const old of this.#known) {
      if (this.#known.size <= MAX_KNOWN) break
      this.#known.delete(old)
    }
  }

  #spread(invite: Invite, hops: number, except = ''): void {
    const payload = encodeInvite({ invite, hops })
    for (const peer of this.#swarm.peers()) {
      if (peer.peerId === except || !peer.extensions.includes(LOG_INVITE_CHANNEL)) continue
      peer.primary.sendChannel(LOG_INVITE_CHANNEL, '', payload)
    }
  }

  /**
   * An invite from neighbour `peer`: dropped when the neighbour or the
   * inviter is over its rate, when malformed, forged, stale or seen already.
   */
  #onInvite(peer: RemotePeer, payload: Uint8Array): void {
    if (this.#destroyed || !this.#invites.fromNeighbour(peer.peerId)) return
    let hops: number
    let invite: Invite
    try {
      ;({ invite, hops } = decodeInvite(payload))
    } catch {
      return
    }
    verifyInvite(invite)
      .then(() => {
        if (this.#destroyed || !this.#invites.firstSight(invite.sig)) return
        if (!this.#invites.fromSender(invite.identityKey)) return
        const from = invite.identityKey
        this.#know(from)
        if (invite.to === this.identityKey) {
          for (const listener of this.#inviteListeners) listener(from)
          return
        }
        // Passing it on: carry the inviter's log so the invited can fetch it from us.
        this.#hold(from)
        if (hops > 1) this.#spread(invite, hops - 1, peer.peerId)
      })
      .catch(() => undefined)
  }
}
