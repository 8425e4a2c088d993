/**
 * The connection manager: one connection per remote browser instance (peer
 * id), found through signaling adapters, shared by every topic and tag that
 * needs it, and closed when none is left (seed 003's tags).
 *
 * - Duplicates (re-announces, several trackers, both sides dialling at once)
 *   are merged: the connection initiated by the lower peer id stays, the
 *   other closes after a short grace (see RemotePeer).
 * - A connection that drops while still tagged is looked for again: its
 *   topics are re-announced with backoff until the peer is back or it is
 *   given up.
 * - An adapter with a `channel` gets the topic's mesh (peers in it, that
 *   channel alone), so a backend may signal through connected peers (the
 *   peer relay on `signal`); each connection records the path that signaled
 *   it (`conn.path`).
 * - A ready connection whose network path goes down is restarted (ICE
 *   restart, signaled around it: ./restarts.ts) by the side that made its
 *   first offer, and both sides look for the peer again meanwhile: a peer
 *   whose every connection is in an outage (stalled, its path down) may be
 *   dialled and answered anew, and the new connection takes over without the
 *   peer ever leaving (the old one is kept until it comes back or its
 *   heartbeat ends it).
 * - Connection-level channels (frame scope ''; e.g. `hypercore`, which
 *   carries a byte stream bound to one connection) go to the handler
 *   registered with `handleChannel`.
 * - Events: `peer-connected`, `peer-disconnected`, `connection-closed` (one
 *   of a peer's ready connections, also when others remain), `rejected` (a
 *   peer whose hello failed), `error`.
 */
import { bytesToHex, randomBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type {
  LocalOffer,
  RemoteAnswer,
  RemoteOffer,
  SignalPath,
  SignalSource,
  SignalingAdapter,
  TopicMesh,
} from '../signaling/adapter.js'
import { SIGNAL_CHANNEL } from '../signaling/relay-envelope.js'
import { MESSAGES_CHANNEL } from '../messages/frames.js'
import type { Topic } from '../signaling/topic.js'
import { Connection, type CloseReason } from './connection.js'
import { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './heartbeat.js'
import { verifyIdentityUrlIsKey, type VerifyHello } from './hello.js'
import type { LocalPeerInfo } from './local-peer.js'
import { LostPeers, type ReconnectOptions } from './lost-peers.js'
import { OfferPool, type Pooled } from './offer-pool.js'
import { RefusalRetry } from './refusal-retry.js'
import type { RecoveryOptions } from './recovery.js'
import { RemotePeer } from './remote-peer.js'
import { IceRestarts } from './restarts.js'
import { TopicMembership, type MembershipPolicy } from './topic-membership.js'

/** The channels a swarm speaks unless told otherwise. */
export const DEFAULT_EXTENSIONS: readonly string[] = Object.freeze([
  'session-data',
  'hypercore',
  SIGNAL_CHANNEL,
  MESSAGES_CHANNEL,
  'presence',
])

/** Receives the frames of one connection-level channel (scope ''). */
export type ConnectionChannelHandler = (
  peer: RemotePeer,
  conn: Connection,
  payload: Uint8Array,
) => void

export interface SwarmOptions {
  local: LocalPeerInfo
  adapters: readonly SignalingAdapter[]
  /** Channels (extensions) we speak; announced in the hello. */
  extensions?: readonly string[]
  /** Binds a hello's verified key to its identity URL (default: hyper://<key>). */
  verifyHello?: VerifyHello
  /**
   * ICE servers etc. None by default: host candidates only, which is enough
   * on loopback and a LAN. The engine passes STUN (and TURN) servers for the
   * internet, from configuration the user controls.
   */
  rtcConfig?: RTCConfiguration
  heartbeat?: HeartbeatOptions
  /** ICE restarts and fresh connections while a path is down (see recovery.ts). */
  recovery?: Partial<RecoveryOptions>
  /** From the end of signaling to a verified hello, ms. */
  handshakeTimeout?: number
  /**
   * Longest wait for ICE gathering of a non-trickle offer or answer, from the
   * first candidate, ms (default 1 s). Chromium usually completes in ~120 ms
   * but now and then hangs in 'gathering' for seconds with every host
   * candidate already there; STUN answers well within a second.
   */
  gatherTimeout?: number
  /** How long an unanswered offer is kept, ms (from when it was made). */
  offerTtl?: number
  /**
   * Offers kept made ahead of need (see ./offer-pool.ts), handed to the
   * tracker announces of any topic: up to 5 (a tracker announce's offers);
   * 0, the default, makes none.
   */
  offerPool?: number
  /**
   * How long a pooled offer waits to be handed out before it is replaced, ms
   * (default 30 s; at most three quarters of `offerTtl`).
   */
  offerPoolTtl?: number
  /** How long a losing duplicate stays open (so the other side switches too), ms. */
  duplicateGrace?: number
  /** Looking for a dropped peer again. */
  reconnect?: ReconnectOptions
  /** Most connections, in progress and ready. */
  maxConnections?: number
}

export interface SwarmEvents {
  'peer-connected': { peer: RemotePeer }
  'peer-disconnected': { peer: RemotePeer; reason: CloseReason }
  /**
   * A ready connection of `peer` closed; emitted before `peer-disconnected`
   * when it was the last one. `peer.connections` no longer holds it.
   */
  'connection-closed': { peer: RemotePeer; conn: Connection; reason: CloseReason }
  /** A connection whose peer failed to authenticate or broke the protocol. */
  rejected: { peerId: string | null; error: P2PError }
  error: { error: P2PError }
}

interface PendingOffer {
  conn: Connection
  offerId: string
  timer: ReturnType<typeof setTimeout>
}

interface Joined {
  membership: TopicMembership
  unsubscribe: Array<() => void>
}

const TOPIC_TAG = /^topic:/
/** Most offers the pool keeps: what one tracker announce carries. */
export const MAX_OFFER_POOL = 5
/** From handing pooled offers out to making their replacements, ms: not while those connect. */
const POOL_REFILL_DELAY = 300

export class Swarm extends Emitter<SwarmEvents> {
  readonly local: LocalPeerInfo
  readonly #opts: SwarmOptions
  readonly #refusals = new RefusalRetry({
    announce: (hex) => {
      const membership = this.#topics.get(hex)?.membership
      if (membership && this.#offersWanted(membership) > 0) this.#announce(membership.topic)
    },
  })
  readonly #extensions: readonly string[]
  readonly #topics = new Map<string, Joined>()
  readonly #peers = new Map<string, RemotePeer>()
  readonly #owner = new Map<Connection, RemotePeer>()
  readonly #connecting = new Map<Connection, string | null>()
  readonly #offers = new Map<string, PendingOffer>()
  readonly #lost: LostPeers
  readonly #graceTimers = new Map<RemotePeer, ReturnType<typeof setTimeout>>()
  readonly #connectionChannels = new Map<string, ConnectionChannelHandler>()
  readonly #pool: OfferPool<Connection>
  /** How long an unanswered offer is kept, ms, from when it was made. */
  readonly #offerTtl: number
  /** ICE restarts of our connections (see ./restarts.ts). */
  readonly restarts: IceRestarts
  #seq = Date.now()
  #destroyed = false

  constructor(opts: SwarmOptions) {
    super()
    this.local = opts.local
    this.#opts = opts
    this.#extensions = Object.freeze([...(opts.extensions ?? DEFAULT_EXTENSIONS)])
    this.#lost = new LostPeers((hex, peerId) => {
      const topic = this.#topics.get(hex)?.membership.topic
      if (topic) this.#announce(topic, peerId)
      return topic !== undefined
    }, opts.reconnect)
    this.restarts = new IceRestarts({
      local: opts.local,
      adapters: opts.adapters,
      topic: (hex) => this.#topics.get(hex)?.membership.topic,
      peer: (peerId) => this.#peers.get(peerId),
      owner: (conn) => this.#owner.get(conn),
    })
    for (const adapter of opts.adapters) adapter.init(opts.local.peerId)
    this.#offerTtl = opts.offerTtl ?? 40_000
    this.#pool = new OfferPool({
      size: Math.max(0, Math.min(MAX_OFFER_POOL, Math.floor(opts.offerPool ?? 0))),
      ttl: Math.min(opts.offerPoolTtl ?? 30_000, this.#offerTtl * 0.75),
      refillDelay: POOL_REFILL_DELAY,
      make: () => (this.#capacity() > 0 ? this.#newConnection(true, null, null, 'tracker') : null),
    })
    this.#pool.fill()
  }

  /** The offers made ahead, not handed out yet (gathering or ready); diagnostics and tests. */
  get pooled(): readonly Connection[] {
    return this.#pool.items
  }

  get peerId(): string {
    return this.local.peerId
  }

  /** Connected peers (verified). */
  peers(): RemotePeer[] {
    return [...this.#peers.values()]
  }

  peer(peerId: string): RemotePeer | undefined {
    return this.#peers.get(peerId)
  }

  /** Joins a topic: announces it on every adapter and shares connections with its peers. */
  join(topic: Topic, policy: MembershipPolicy = { wanted: () => 5, accepting: () => true }) {
    if (this.#destroyed) throw P2PError.NOT_CONNECTED('the swarm is destroyed')
    if (this.#topics.has(topic.hex)) throw P2PError.INVALID_ARGUMENT('topic already joined')
    const membership = new TopicMembership(topic, policy, {
      nextSeq: () => ++this.#seq,
      tag: (peer, tag) => void peer.tags.add(tag),
      untag: (peer, tag) => this.#untag(peer, tag),
      connectedPeers: () => this.#peers.values(),
      pendingFor: (hex) => this.#pendingPeers(hex),
      announce: (t) => this.#announce(t),
      release: (m) => this.#release(m),
    })
    const joined: Joined = { membership, unsubscribe: [] }
    this.#topics.set(topic.hex, joined)
    for (const adapter of this.#opts.adapters) {
      const path = adapter.path ?? 'tracker'
      const channel = adapter.channel
      const mesh =
        channel && this.#extensions.includes(channel) ? this.#mesh(membership, channel) : undefined
      joined.unsubscribe.push(
        adapter.subscribe(topic, {
          offersWanted: () => this.#offersWanted(membership),
          createOffers: (count) => this.#createOffers(membership, count, path),
          onOffer: (offer) => this.#onOffer(membership, offer, path),
          onAnswer: (answer) => this.#onAnswer(membership, answer),
          // Full with no connection pending: a burst of joins is not a full lobby.
          full: () => !membership.policy.accepting() && membership.pending === 0,
          onRefused: (refusal) => this.#onRefused(membership, refusal),
          onError: (error) => membership.emit('error', { error }),
          onReachable: () => membership.emit('reachable', {}),
          onRestart: (env) => {
            this.restarts.onSignal(env).catch((error: unknown) => {
              membership.emit('error', { error: P2PError.from(error) })
            })
          },
          ...(mesh ? { mesh } : {}),
        }),
      )
    }
    return membership
  }

  /** The topic's peers as a signaling path, for an adapter that relays over `channel`. */
  #mesh(membership: TopicMembership, own: string): TopicMesh {
    return {
      peers: () => membership.peers().map((p) => p.peerId),
      send: (peerId, payload) => membership.send(peerId, own, payload),
      onMessage: (listener) =>
        membership.on('data', ({ peer, channel, payload }) => {
          if (channel === own) listener(peer.peerId, payload)
        }),
      onPeer: (listener) => {
        const offJoin = membership.on('peer-join', ({ peer }) => listener(peer.peerId, true))
        const offLeave = membership.on('peer-leave', ({ peer }) => listener(peer.peerId, false))
        return () => {
          offJoin()
          offLeave()
        }
      },
      recovering: (peerId) => this.#peers.get(peerId)?.inOutage ?? false,
      reach: (peerId) => {
        const known = this.#peers.get(peerId)
        if (!known || membership.left || known.inOutage) return false
        membership.offerJoin(known)
        return true
      },
    }
  }

  /** Keeps the connection to `peerId` open for `tag` (a custom reason, not `topic:…`). */
  tag(peerId: string, tag: string): void {
    const peer = this.#peers.get(peerId)
    if (!peer) throw P2PError.NOT_CONNECTED(`no connection to ${peerId}`)
    if (TOPIC_TAG.test(tag)) throw P2PError.INVALID_ARGUMENT('topic tags belong to memberships')
    peer.tags.add(tag)
  }

  /** Removes a custom tag; the connection closes when no tag is left. */
  untag(peerId: string, tag: string): void {
    const peer = this.#peers.get(peerId)
    if (peer && !TOPIC_TAG.test(tag)) this.#untag(peer, tag)
  }

  /**
   * Routes the connection-level frames (scope '') of `channel` to `handler`;
   * one handler per channel. Returns a function that stops routing.
   */
  handleChannel(channel: string, handler: ConnectionChannelHandler): () => void {
    if (!this.#extensions.includes(channel)) {
      throw P2PError.INVALID_ARGUMENT(`"${channel}" is not one of this swarm's extensions`)
    }
    if (this.#connectionChannels.has(channel)) {
      throw P2PError.INVALID_ARGUMENT(`channel "${channel}" already has a handler`)
    }
    this.#connectionChannels.set(channel, handler)
    return () => {
      if (this.#connectionChannels.get(channel) === handler)
        this.#connectionChannels.delete(channel)
    }
  }

  /** Leaves every topic and closes every connection. */
  destroy(): void {
    if (this.#destroyed) return
    for (const joined of [...this.#topics.values()]) joined.membership.leave()
    this.#destroyed = true
    this.#pool.close()
    for (const conn of [...this.#connecting.keys()]) conn.close('local')
    for (const peer of [...this.#peers.values()]) this.#closePeer(peer)
    this.#lost.clear()
    for (const adapter of this.#opts.adapters) adapter.deactivate()
  }

  #untag(peer: RemotePeer, tag: string): void {
    peer.tags.delete(tag)
    if (peer.tags.size === 0) this.#closePeer(peer)
  }

  #closePeer(peer: RemotePeer): void {
    for (const conn of [...peer.connections]) conn.close('local', undefined, 'closing')
  }

  #release(membership: TopicMembership): void {
    const hex = membership.topic.hex
    const joined = this.#topics.get(hex)
    if (joined?.membership !== membership) return
    this.#topics.delete(hex)
    this.#refusals.forget(hex)
    for (const unsubscribe of joined.unsubscribe) unsubscribe()
    for (const conn of [...this.#connecting.keys()]) if (conn.topic.hex === hex) conn.close('local')
    this.#lost.forgetTopic(hex)
  }

  #announce(topic: Topic, peerId?: string): void {
    for (const adapter of this.#opts.adapters) {
      adapter.announce(topic, peerId ? { peerId } : undefined)
    }
  }

  #capacity(): number {
    let open = this.#connecting.size
    for (const peer of this.#peers.values()) open += peer.connections.length
    return (this.#opts.maxConnections ?? 64) - open
  }

  #offersWanted(membership: TopicMembership): number {
    if (!membership.policy.accepting()) return 0
    return Math.min(membership.policy.wanted(), this.#capacity())
  }

  /** A new connection; `membership` null: an offer for the pool, not connecting yet. */
  #newConnection(
    initiator: boolean,
    membership: TopicMembership | null,
    peerId: string | null,
    path: SignalPath,
  ) {
    const conn = new Connection({
      local: this.local,
      extensions: this.#extensions,
      initiator,
      topic: membership?.topic ?? null,
      path,
      heartbeat: this.#opts.heartbeat ?? DEFAULT_HEARTBEAT,
      ...(this.#opts.recovery ? { recovery: this.#opts.recovery } : {}),
      handshakeTimeout: this.#opts.handshakeTimeout ?? 15_000,
      gatherTimeout: this.#opts.gatherTimeout ?? 1_000,
      verifyHello: this.#opts.verifyHello ?? verifyIdentityUrlIsKey,
      ...(this.#opts.rtcConfig ? { rtcConfig: this.#opts.rtcConfig } : {}),
      events: {
        onReady: (c) => this.#onReady(c),
        onControl: (c, msg) => {
          const peer = this.#owner.get(c)
          const membership = this.#topics.get(msg.topic)?.membership
          if (!peer || !membership) return
          if (msg.t === 'join') membership.onJoin(peer, msg.seq)
          else membership.onLeave(peer, msg.seq, msg.reason)
        },
        onChannel: (c, channel, scope, payload) => {
          const peer = this.#owner.get(c)
          if (!peer) return
          if (scope) this.#topics.get(scope)?.membership.onData(peer, channel, payload)
          else this.#connectionChannels.get(channel)?.(peer, c, payload)
        },
        onClose: (c, reason, error) => this.#onClose(c, reason, error),
        // A stalled peer makes its lobbies show `connecting` until it is heard again.
        onStall: (c) => {
          for (const hex of this.#owner.get(c)?.localTopics ?? []) this.#pendingChanged(hex)
        },
        onRecover: (c, action) => {
          const peer = this.#owner.get(c)
          if (!peer || this.#destroyed) return
          if (action === 'restart') void this.restarts.restart(c)
          else {
            // Look for it again: a fresh connection may take over (see #onOffer).
            for (const hex of peer.localTopics) {
              const topic = this.#topics.get(hex)?.membership.topic
              if (topic) this.#announce(topic, peer.peerId)
            }
          }
        },
      },
    })
    if (membership) this.#connecting.set(conn, peerId)
    return conn
  }

  /**
   * Peers being connected for a topic: handshaking connections, each peer
   * once, and none we are connected to already (a duplicate takes no room).
   */
  #pendingPeers(hex: string): number {
    const ids = new Set<string>()
    for (const [conn, peerId] of this.#connecting) {
      if (conn.topic.hex !== hex || conn.state !== 'handshaking') continue
      if (peerId === null || !this.#peers.has(peerId)) ids.add(peerId ?? `?${ids.size}`)
    }
    return ids.size
  }

  #pendingChanged(hex: string): void {
    const membership = this.#topics.get(hex)?.membership
    membership?.emit('pending', { count: membership.pending })
  }

  async #createOffers(
    membership: TopicMembership,
    count: number,
    path: SignalPath,
  ): Promise<LocalOffer[]> {
    const n = Math.max(0, Math.min(count, this.#capacity()))
    // Announces to whoever is in the topic take offers made ahead; offers
    // bound to one peer (relay, lobby log) are made for it.
    const made = path === 'tracker' ? this.#takePooled(membership, n) : []
    const now = performance.now()
    while (made.length < n) {
      const conn = this.#newConnection(true, membership, null, path)
      made.push({ item: conn, sdp: conn.offer(), madeAt: now })
    }
    const settled = await Promise.allSettled(made.map((m) => m.sdp))
    const offers: LocalOffer[] = []
    settled.forEach((result, i) => {
      const { item: conn, madeAt } = made[i] as Pooled<Connection>
      if (result.status !== 'fulfilled' || conn.state !== 'signaling' || membership.left) {
        conn.close('transport')
        return
      }
      const offerId = bytesToHex(randomBytes(20))
      // An offer lives offerTtl from when it was made, pooled or not.
      const ttl = this.#offerTtl - (performance.now() - madeAt)
      const timer = setTimeout(() => conn.close('transport'), Math.max(0, ttl))
      this.#offers.set(offerId, { conn, offerId, timer })
      offers.push({ offerId, sdp: result.value })
    })
    return offers
  }

  /** Up to `n` pooled offers, now bound to the topic and connecting for it. */
  #takePooled(membership: TopicMembership, n: number): Pooled<Connection>[] {
    const taken = this.#pool.take(n)
    for (const { item: conn } of taken) {
      conn.bind(membership.topic, 'tracker')
      this.#connecting.set(conn, null)
    }
    return taken
  }

  async #onOffer(
    membership: TopicMembership,
    offer: RemoteOffer,
    path: SignalPath,
  ): Promise<string | null> {
    if (this.#destroyed || membership.left || offer.peerId === this.peerId) return null
    const known = this.#peers.get(offer.peerId)
    // A peer whose every connection is in an outage may be dialling a replacement: answer it.
    if (known && !known.inOutage) {
      // Already connected (another topic, or a re-announce): share it instead.
      membership.offerJoin(known)
      return null
    }
    const attempts = [...this.#connecting.values()].filter((p) => p === offer.peerId).length
    if (attempts >= 2 || !membership.policy.accepting() || this.#capacity() <= 0) return null
    const conn = this.#newConnection(false, membership, offer.peerId, path)
    try {
      const answer = conn.answer(offer.sdp, offer.peerId)
      this.#pendingChanged(membership.topic.hex)
      return await answer
    } catch {
      conn.close('transport')
      return null
    }
  }

  #onAnswer(membership: TopicMembership, answer: RemoteAnswer): void {
    const pending = this.#offers.get(answer.offerId)
    if (!pending || pending.conn.topic.hex !== membership.topic.hex) return
    this.#offers.delete(answer.offerId)
    clearTimeout(pending.timer)
    const known = this.#peers.get(answer.peerId)
    if ((known && !known.inOutage) || answer.peerId === this.peerId) {
      pending.conn.close('local')
      if (known) membership.offerJoin(known)
      return
    }
    this.#connecting.set(pending.conn, answer.peerId)
    pending.conn.complete(answer.sdp, answer.peerId)
    this.#pendingChanged(membership.topic.hex)
  }

  /** The peer we offered to is full: drop the offer, and the lobby hears lobby-full. */
  #onRefused(membership: TopicMembership, refusal: SignalSource): void {
    const pending = this.#offers.get(refusal.offerId)
    if (!pending || pending.conn.topic.hex !== membership.topic.hex) return
    this.#offers.delete(refusal.offerId)
    clearTimeout(pending.timer)
    pending.conn.close('local')
    membership.emit('refused', { peerId: refusal.peerId, reason: 'full' })
    // Others on the topic may have room: ask again soon rather than at the tracker's interval.
    this.#refusals.refused(membership.topic.hex)
  }

  #onReady(conn: Connection): void {
    const hello = conn.remote
    const membership = this.#topics.get(conn.topic.hex)?.membership
    this.#connecting.delete(conn)
    this.#pendingChanged(conn.topic.hex)
    if (!hello) return
    this.#refusals.joined(conn.topic.hex)
    const existing = this.#peers.get(hello.peerId)
    if (existing) {
      this.#owner.set(conn, existing)
      existing.add(conn)
      this.#closeDuplicatesLater(existing)
      membership?.offerJoin(existing)
      // A fresh connection to a stalled peer: its lobbies are connected again.
      for (const hex of existing.localTopics) this.#pendingChanged(hex)
      return
    }
    const peer = new RemotePeer(conn)
    const lost = this.#lost.take(peer.peerId)
    const topics = new Set(lost?.topics)
    topics.add(conn.topic.hex)
    const memberships = [...topics].flatMap((hex) => this.#topics.get(hex)?.membership ?? [])
    const tags = lost?.tags ?? new Set<string>()
    if (memberships.length === 0 && tags.size === 0) {
      conn.close('local', undefined, 'closing')
      return
    }
    for (const tag of tags) peer.tags.add(tag)
    this.#owner.set(conn, peer)
    this.#peers.set(peer.peerId, peer)
    // Our joins go out first: the remote's lobbies wait for them, and what
    // listeners of peer-connected start (replication) queues behind them.
    for (const m of memberships) m.offerJoin(peer)
    this.emit('peer-connected', { peer })
    if (peer.tags.size === 0) this.#closePeer(peer)
  }

  #closeDuplicatesLater(peer: RemotePeer): void {
    if (peer.connections.length < 2 || this.#graceTimers.has(peer)) return
    const timer = setTimeout(() => {
      this.#graceTimers.delete(peer)
      // The connection both sides keep is in an outage (a fresh one is
      // taking over): wait until it is back or its heartbeat ended it.
      if (peer.connections[0]?.outage) {
        this.#closeDuplicatesLater(peer)
        return
      }
      for (const conn of peer.connections.slice(1)) conn.retire()
    }, this.#opts.duplicateGrace ?? 3_000)
    this.#graceTimers.set(peer, timer)
  }

  #onClose(conn: Connection, reason: CloseReason, error?: P2PError): void {
    // A pooled offer that closed on its own: the pool replaces it.
    if (this.#pool.forget(conn)) return
    if (this.#connecting.has(conn)) {
      const peerId = this.#connecting.get(conn) ?? null
      this.#connecting.delete(conn)
      for (const [id, pending] of this.#offers) {
        if (pending.conn === conn) {
          clearTimeout(pending.timer)
          this.#offers.delete(id)
        }
      }
      this.#pendingChanged(conn.topic.hex)
      if (reason === 'rejected' && error) this.emit('rejected', { peerId, error })
      // No network path (NATs without a relay): the topic says so, not silence.
      if (reason === 'unreachable' && error) {
        this.#topics.get(conn.topic.hex)?.membership.emit('error', { error })
      }
      return
    }
    const peer = this.#owner.get(conn)
    if (!peer) return
    this.#owner.delete(conn)
    if (reason === 'rejected' && error) this.emit('rejected', { peerId: peer.peerId, error })
    const last = peer.remove(conn)
    this.emit('connection-closed', { peer, conn, reason })
    if (!last) return
    this.#peers.delete(peer.peerId)
    clearTimeout(this.#graceTimers.get(peer))
    this.#graceTimers.delete(peer)
    for (const { membership } of this.#topics.values()) membership.onPeerGone(peer, reason)
    this.emit('peer-disconnected', { peer, reason })
    const unexpected =
      reason === 'timeout' ||
      reason === 'transport' ||
      reason === 'unreachable' ||
      reason === 'duplicate'
    if (unexpected && peer.tags.size > 0 && !this.#destroyed) {
      this.#lost.add(peer.peerId, {
        topics: new Set(peer.localTopics),
        tags: new Set([...peer.tags].filter((t) => !TOPIC_TAG.test(t))),
      })
    }
  }
}
