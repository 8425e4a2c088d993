/**
 * The lobby logs of a swarm's identity and of whoever it follows, carried
 * over every connection that speaks channel `lobby-log` (seed 000 option 2;
 * the transport of ./lobby-log.ts).
 *
 * - Our log: a hypercore in memory, keyed from our identity key and a random
 *   nonce of this mesh (see ./lobby-log-entry.ts), written with the identity
 *   key pair. Signaling is ephemeral, so the log lives as long as the swarm
 *   and is never stored; the next swarm writes another log, so a copy peers
 *   still carry never conflicts with it.
 * - Each connection carries one hypercore protocol stream (a Noise stream
 *   with a random key: a log authenticates itself, block by block, by the
 *   identity's signatures), started REPLICATION_DELAY after the peer
 *   connects, as identity replication is: its Noise handshake's crypto would
 *   otherwise hold up the connection's first exchanges (the lobby joins) on
 *   both sides; one the remote starts is answered at once. Every core we hold replicates on every stream,
 *   and each core downloads everything appended to it (`live`).
 * - A peer that opens a core we do not hold (its discovery key) gets it
 *   when we can tell which log it is: the current log of an identity we
 *   heard a signed invite from (it names the log's nonce; the latest invite
 *   wins). Then we carry it, i.e.
 *   replicate it with everyone, so a log travels through peers that are
 *   connected to its writer (Carol carries Alice's log to Bob). At most
 *   `maxCores` logs are held; the least recently used carried one goes.
 * - Invites (channel `lobby-log-invite`, ./log-invite.ts: signed, a few hops,
 *   rate-limited, de-duplicated): "identity `to`, please follow my log
 *   `nonce`": how a host learns a joiner's log, and (its reply) a joiner the
 *   host's. A peer passing one on carries the inviter's log, so the invited
 *   can fetch it from that peer. Following an identity follows its current
 *   log, and moves to a newer one when an invite names it.
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
import { LOG_NONCE_BYTES, lobbyLogKey, lobbyLogManifest } from './lobby-log-entry.js'
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

/** Identities whose current log we remember, most recent kept. */
const MAX_KNOWN = 256

/** What the lobby-log adapter needs of the network (a LogMesh; a fake in unit tests). */
export interface LogNetwork {
  /** Our identity key, hex. */
  readonly identityKey: string
  /** Appends a block to our log. */
  append(block: Uint8Array): Promise<void>
  /**
   * Reads the current log of identity `identityKey` (hex), once an invite
   * named it: recent blocks, then every new one (and a newer log's, later).
   */
  follow(identityKey: string, onBlock: (block: Uint8Array) => void): () => void
  /**
   * Asks identity `identityKey` (through connected peers) to follow our log;
   * `reply`: only tells it our log, in answer to its invite (not passed to its listeners).
   */
  invite(identityKey: string, reply?: boolean): void
  /** Identities that asked us to follow their log (not replies). */
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

/** One follow() of an identity: attached to its current log's core, if known. */
interface Follower {
  onBlock(block: Uint8Array): void
  detach: (() => void) | null
}

export class LogMesh implements LogNetwork {
  readonly identityKey: string
  /** Our log's nonce (64 hex), named in our invites. */
  readonly nonce: string
  readonly #swarm: Swarm
  readonly #own: Hypercore
  readonly #held = new Map<string, Held>()
  /**
   * Each identity's current log (from its latest invite), least recent first
   * (MAX_KNOWN), with the log's discovery key (hex) worked out once.
   */
  readonly #logs = new Map<string, { nonce: string; ts: number; dk: string }>()
  readonly #followers = new Map<string, Set<Follower>>()
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
    this.nonce = bytesToHex(crypto.randomBytes(LOG_NONCE_BYTES))
    this.#own = new Hypercore(() => new RAM(), {
      manifest: lobbyLogManifest(opts.keyPair.publicKey, this.nonce),
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

  /** Our log's hypercore key (hex). */
  get key(): string {
    return bytesToHex(lobbyLogKey(hexToBytes(this.identityKey), this.nonce))
  }

  /** The nonce of `identityKey`'s current log, as its latest invite named it (diagnostics, tests). */
  logOf(identityKey: string): string | undefined {
    return this.#logs.get(identityKey)?.nonce
  }

  async append(block: Uint8Array): Promise<void> {
    await this.#own.append(block)
  }

  follow(identityKey: string, onBlock: (block: Uint8Array) => void): () => void {
    const follower: Follower = { onBlock, detach: null }
    let set = this.#followers.get(identityKey)
    if (!set) this.#followers.set(identityKey, (set = new Set()))
    set.add(follower)
    const log = this.#logs.get(identityKey)
    if (log) this.#attach(follower, identityKey, log.nonce)
    return () => {
      follower.detach?.()
      follower.detach = null
      set.delete(follower)
      if (set.size === 0 && this.#followers.get(identityKey) === set) {
        this.#followers.delete(identityKey)
      }
    }
  }

  invite(identityKey: string, reply = false): void {
    const id = bytesToHex(crypto.randomBytes(16))
    signInvite(this.#swarm.local, identityKey, id, this.nonce, reply)
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

  /** Reads log `nonce` of `identityKey` for `f`: recent blocks, then every new one. */
  #attach(f: Follower, identityKey: string, nonce: string): void {
    f.detach?.()
    const held = this.#hold(identityKey, nonce)
    held.followers++
    let next = -1
    let reading = false
    let attached = true
    const read = async () => {
      if (reading || this.#destroyed) return
      reading = true
      try {
        await held.core.ready()
        if (next < 0) next = Math.max(0, held.core.length - this.#tail)
        while (next < held.core.length && attached) {
          const block = await held.core.get(next, { timeout: 10_000 })
          next++
          if (block && attached) f.onBlock(block)
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
    f.detach = () => {
      attached = false
      held.core.off('append', onAppend)
      held.followers = Math.max(0, held.followers - 1)
    }
  }

  /** An invite told us `identityKey`'s log as of `ts`: the newest is current, and followed. */
  #learn(identityKey: string, nonce: string, ts: number): void {
    const current = this.#logs.get(identityKey)
    this.#logs.delete(identityKey)
    const newer = !current || (current.nonce !== nonce && ts > current.ts)
    const dk = () => bytesToHex(crypto.discoveryKey(lobbyLogKey(hexToBytes(identityKey), nonce)))
    this.#logs.set(identityKey, newer ? { nonce, ts, dk: dk() } : current)
    for (const old of this.#logs.keys()) {
      if (this.#logs.size <= MAX_KNOWN) break
      this.#logs.delete(old)
    }
    if (!newer) return
    for (const f of this.#followers.get(identityKey) ?? []) this.#attach(f, identityKey, nonce)
  }

  /**
   * A remote opened a core we do not hold: carry it when it is a current log
   * we can name (a lookup: a remote may open many cores we do not know).
   */
  #onDiscoveryKey(dk: string): void {
    if (this.#destroyed) return
    for (const [identityKey, log] of this.#logs) {
      if (log.dk !== dk || identityKey === this.identityKey) continue
      if (!this.#held.has(bytesToHex(lobbyLogKey(hexToBytes(identityKey), log.nonce)))) {
        this.#hold(identityKey, log.nonce)
      }
      return
    }
  }

  #hold(identityKey: string, nonce: string): Held {
    const key = lobbyLogKey(hexToBytes(identityKey), nonce)
    const hex = bytesToHex(key)
    const existing = this.#held.get(hex)
    if (existing) {
      existing.used = Date.now()
      return existing
    }
    const core = new Hypercore(() => new RAM(), key)
    core.on('error', () => undefined)
    const held: Held = {
      core,
      discoveryKey: bytesToHex(crypto.discoveryKey(key)),
      followers: 0,
      used: Date.now(),
    }
    this.#held.set(hex, held)
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
        if (from === this.identityKey) return
        this.#learn(from, invite.nonce, invite.ts)
        if (invite.to === this.identityKey) {
          if (!invite.reply) for (const listener of this.#inviteListeners) listener(from)
          return
        }
        // Passing it on: carry the inviter's log so the invited can fetch it from us.
        this.#hold(from, invite.nonce)
        if (hops > 1) this.#spread(invite, hops - 1, peer.peerId)
      })
      .catch(() => undefined)
  }
}
