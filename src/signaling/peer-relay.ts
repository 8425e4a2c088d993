/**
 * Signaling through the peers already connected (seeds 002 and 003): once we
 * are in a topic with anyone, offers and answers for the topic's other
 * members travel through them, so new links form without any tracker, and
 * peers that reached different trackers still meet.
 *
 * - Each peer tells its neighbours in the topic who else it is in the topic
 *   with (`members`). A peer learns the lobby from the first peer it reaches
 *   and dials every member it is not connected to through a neighbour that
 *   reported it, at once: the lower peer id dials, the higher one only after
 *   `fallbackDelay` (when the lower never did), so two peers do not dial
 *   each other at the same moment.
 * - Offers and answers are signed envelopes (./relay-envelope.ts) with a hop
 *   limit; relays verify them, drop what they saw already, and limit each
 *   neighbour and each sender (./relay-guard.ts).
 * - The swarm still owns WebRTC: this adapter only asks it for offers and
 *   hands it offers and answers, as a tracker would.
 */
import { P2PError } from '../errors.js'
import type { LocalPeerInfo } from '../swarm/local-peer.js'
import type {
  AnnounceHint,
  ServerStatus,
  SignalingAdapter,
  TopicHandlers,
  TopicMesh,
} from './adapter.js'
import {
  MAX_HOPS,
  SIGNAL_CHANNEL,
  decodeRelay,
  encodeRelay,
  isRestartKind,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
  type RelayMessage,
} from './relay-envelope.js'
import { RelayGuard, type RelayGuardOptions } from './relay-guard.js'
import type { Topic } from './topic.js'

export interface PeerRelayOptions {
  /** Who signs our envelopes: the swarm's local peer. */
  local: LocalPeerInfo
  /** How long a relayed offer waits for its answer, ms. */
  answerTimeout?: number
  /** How long an answered dial may take until the peer is in the topic with us, ms. */
  dialTimeout?: number
  /** How long the higher peer id waits for the lower one to dial before it dials, ms. */
  fallbackDelay?: number
  /** Dials of one peer before we stop trying it (until it is reported anew). */
  attempts?: number
  /** Pause between two sends of our member list (coalescing joins), ms. */
  membersDelay?: number
  guard?: RelayGuardOptions
}

interface Dial {
  offerId: string | null
  timer: ReturnType<typeof setTimeout> | undefined
}

interface Subscription {
  topic: Topic
  handlers: TopicHandlers
  mesh: TopicMesh
  /** What each neighbour said it is in the topic with. */
  reports: Map<string, Set<string>>
  dials: Map<string, Dial>
  attempts: Map<string, number>
  /** Our relayed offers still waiting for an answer: offer id → peer id. */
  offers: Map<string, string>
  fallbacks: Map<string, ReturnType<typeof setTimeout>>
  membersTimer: ReturnType<typeof setTimeout> | undefined
  stop: Array<() => void>
}

export class PeerRelay implements SignalingAdapter {
  readonly name = 'peer-relay'
  readonly path = 'relay' as const
  readonly channel = SIGNAL_CHANNEL
  readonly #local: LocalPeerInfo
  readonly #opts: Required<Omit<PeerRelayOptions, 'local' | 'guard'>>
  readonly #guard: RelayGuard
  readonly #topics = new Map<string, Subscription>()
  #active = false

  constructor(opts: PeerRelayOptions) {
    this.#local = opts.local
    this.#opts = {
      answerTimeout: opts.answerTimeout ?? 4_000,
      dialTimeout: opts.dialTimeout ?? 15_000,
      fallbackDelay: opts.fallbackDelay ?? 2_500,
      attempts: opts.attempts ?? 3,
      membersDelay: opts.membersDelay ?? 20,
    }
    this.#guard = new RelayGuard(opts.guard)
  }

  get #self(): string {
    return this.#local.peerId
  }

  init(localPeerId: string): void {
    if (localPeerId !== this.#self) {
      throw P2PError.INVALID_ARGUMENT('the relay signs for another peer id than the swarm')
    }
    this.#active = true
  }

  subscribe(topic: Topic, handlers: TopicHandlers): () => void {
    if (!this.#active) throw P2PError.NOT_CONNECTED('init() the adapter first')
    if (this.#topics.has(topic.hex)) {
      throw P2PError.INVALID_ARGUMENT(`topic ${topic.hex} is already subscribed`)
    }
    const mesh = handlers.mesh
    // A swarm that cannot carry relay messages: nothing to do for this topic.
    if (!mesh) return () => undefined
    const sub: Subscription = {
      topic,
      handlers,
      mesh,
      reports: new Map(),
      dials: new Map(),
      attempts: new Map(),
      offers: new Map(),
      fallbacks: new Map(),
      membersTimer: undefined,
      stop: [],
    }
    this.#topics.set(topic.hex, sub)
    sub.stop.push(
      mesh.onPeer((peerId, joined) => this.#onPeer(sub, peerId, joined)),
      mesh.onMessage((peerId, payload) => this.#onMessage(sub, peerId, payload)),
    )
    if (mesh.peers().length > 0) this.#sendMembersSoon(sub)
    return () => this.#unsubscribe(sub)
  }

  announce(topic: Topic, hint?: AnnounceHint): void {
    const sub = this.#topics.get(topic.hex)
    if (!sub) return
    if (hint?.peerId) sub.attempts.delete(hint.peerId)
    this.#rescan(sub)
  }

  /**
   * Sends an ICE-restart signal through every neighbour that reported its
   * receiver (the receiver de-duplicates), and directly too, in case the
   * path to it is back.
   */
  sendRestart(topic: Topic, env: Envelope): boolean {
    const sub = this.#topics.get(topic.hex)
    if (!sub || env.from !== this.#self) return false
    const payload = encodeRelay({ t: 'signal', hops: MAX_HOPS, env })
    let sent = false
    for (const next of this.#routes(sub, env.to)) sent = sub.mesh.send(next, payload) || sent
    if (sub.mesh.peers().includes(env.to)) sub.mesh.send(env.to, payload)
    return sent
  }

  deactivate(): void {
    for (const sub of [...this.#topics.values()]) this.#unsubscribe(sub)
    this.#active = false
  }

  status(): ServerStatus[] {
    const neighbours = new Set<string>()
    for (const sub of this.#topics.values()) for (const p of sub.mesh.peers()) neighbours.add(p)
    return [...neighbours].map((p) => ({ server: `relay:${p}`, state: 'open' as const }))
  }

  #unsubscribe(sub: Subscription): void {
    if (this.#topics.get(sub.topic.hex) !== sub) return
    this.#topics.delete(sub.topic.hex)
    for (const stop of sub.stop) stop()
    clearTimeout(sub.membersTimer)
    for (const dial of sub.dials.values()) clearTimeout(dial.timer)
    for (const timer of sub.fallbacks.values()) clearTimeout(timer)
    sub.dials.clear()
    sub.fallbacks.clear()
  }

  #live(sub: Subscription): boolean {
    return this.#topics.get(sub.topic.hex) === sub
  }

  #onPeer(sub: Subscription, peerId: string, joined: boolean): void {
    if (joined) {
      const dial = sub.dials.get(peerId)
      if (dial) clearTimeout(dial.timer)
      sub.dials.delete(peerId)
      sub.attempts.delete(peerId)
      clearTimeout(sub.fallbacks.get(peerId))
      sub.fallbacks.delete(peerId)
    } else {
      sub.reports.delete(peerId)
    }
    this.#sendMembersSoon(sub)
    // A link formed or freed room: dial whoever is still missing.
    this.#rescan(sub)
  }

  /** Tells every neighbour, shortly, who else we are in the topic with. */
  #sendMembersSoon(sub: Subscription): void {
    if (sub.membersTimer !== undefined) return
    sub.membersTimer = setTimeout(() => {
      sub.membersTimer = undefined
      if (!this.#live(sub)) return
      const peers = sub.mesh.peers()
      for (const neighbour of peers) {
        const others = peers.filter((p) => p !== neighbour)
        sub.mesh.send(neighbour, encodeRelay({ t: 'members', peers: others }))
      }
    }, this.#opts.membersDelay)
  }

  #onMessage(sub: Subscription, from: string, payload: Uint8Array): void {
    if (!this.#guard.fromNeighbour(from)) return
    let msg: RelayMessage | null
    try {
      msg = decodeRelay(payload)
    } catch (err) {
      sub.handlers.onError?.(P2PError.from(err))
      return
    }
    if (!msg) return
    if (msg.t === 'members') {
      sub.reports.set(from, new Set(msg.peers))
      for (const peerId of msg.peers) this.#consider(sub, peerId)
      return
    }
    const { env, hops } = msg
    if (env.topic !== sub.topic.hex) return
    verifyEnvelope(env)
      .then(() => {
        if (!this.#live(sub) || !this.#guard.firstSight(env.sig)) return
        if (!this.#guard.fromSender(env.from)) return
        if (env.to === this.#self) this.#deliver(sub, from, env)
        else this.#forward(sub, from, env, hops)
      })
      .catch((err: unknown) => sub.handlers.onError?.(P2PError.from(err)))
  }

  /** Passes an envelope on towards its receiver, one hop fewer. */
  #forward(sub: Subscription, from: string, env: Envelope, hops: number): void {
    if (hops <= 0 || env.from === this.#self) return
    const payload = encodeRelay({ t: 'signal', hops: hops - 1, env })
    const peers = sub.mesh.peers()
    if (peers.includes(env.to)) {
      sub.mesh.send(env.to, payload)
      return
    }
    if (hops - 1 <= 0) return
    for (const next of this.#routes(sub, env.to)) {
      if (next !== from && next !== env.from && sub.mesh.send(next, payload)) return
    }
  }

  /** Neighbours that said they are connected to `peerId` in the topic. */
  #routes(sub: Subscription, peerId: string): string[] {
    const peers = new Set(sub.mesh.peers())
    return [...sub.reports]
      .filter(([neighbour, members]) => peers.has(neighbour) && members.has(peerId))
      .map(([neighbour]) => neighbour)
  }

  #deliver(sub: Subscription, from: string, env: Envelope): void {
    if (isRestartKind(env.kind)) {
      sub.handlers.onRestart?.(env, `relay:${from}`)
      return
    }
    const signal = {
      topic: sub.topic,
      peerId: env.from,
      offerId: env.offerId,
      via: `relay:${from}`,
      sdp: env.sdp,
    }
    if (env.kind === 'refusal') {
      if (sub.offers.get(env.offerId) !== env.from) return
      sub.offers.delete(env.offerId)
      // Full: no more dials of it until it is reported anew.
      const dial = sub.dials.get(env.from)
      if (dial?.offerId === env.offerId) {
        clearTimeout(dial.timer)
        sub.dials.delete(env.from)
      }
      sub.attempts.set(env.from, this.#opts.attempts)
      sub.handlers.onRefused?.(signal)
      return
    }
    if (env.kind === 'answer') {
      if (sub.offers.get(env.offerId) !== env.from) return
      sub.offers.delete(env.offerId)
      // Answered: the connection is the swarm's now; give it the time a handshake takes.
      const dial = sub.dials.get(env.from)
      if (dial?.offerId === env.offerId) this.#expire(sub, env.from, dial, this.#opts.dialTimeout)
      sub.handlers.onAnswer(signal)
      return
    }
    // Full: say so (as a `leave` with reason full does on a connection), not silence.
    const full = sub.handlers.full?.() ?? false
    const answered = full ? Promise.resolve(null) : sub.handlers.onOffer(signal)
    answered
      .then(async (answer) => {
        if ((answer === null && !full) || !this.#live(sub)) return
        const reply = await signEnvelope(this.#local, {
          kind: answer === null ? 'refusal' : 'answer',
          topic: sub.topic.hex,
          to: env.from,
          offerId: env.offerId,
          sdp: answer ?? 'full',
        })
        this.#send(sub, reply, [from, ...this.#routes(sub, env.from)])
      })
      .catch((err: unknown) => sub.handlers.onError?.(P2PError.from(err)))
  }

  /** Sends our own envelope directly when we can, else through the first route that takes it. */
  #send(sub: Subscription, env: Envelope, routes: string[]): boolean {
    const payload = encodeRelay({ t: 'signal', hops: MAX_HOPS, env })
    if (sub.mesh.peers().includes(env.to) && sub.mesh.send(env.to, payload)) return true
    return [...new Set(routes)].some((next) => sub.mesh.send(next, payload))
  }

  /** Dials, now or later, every reported member we are not connected to. */
  #rescan(sub: Subscription): void {
    if (!this.#live(sub)) return
    const known = new Set<string>()
    for (const members of sub.reports.values()) for (const p of members) known.add(p)
    for (const peerId of known) this.#consider(sub, peerId)
  }

  /** In the topic with us, and not with its path down (then a fresh connection may take over). */
  #connected(sub: Subscription, peerId: string): boolean {
    return sub.mesh.peers().includes(peerId) && !(sub.mesh.recovering?.(peerId) ?? false)
  }

  #consider(sub: Subscription, peerId: string): void {
    if (peerId === this.#self || sub.dials.has(peerId)) return
    if (this.#connected(sub, peerId)) return
    if ((sub.attempts.get(peerId) ?? 0) >= this.#opts.attempts) return
    if (sub.mesh.reach(peerId)) return
    if (this.#self < peerId) {
      this.#dial(sub, peerId)
      return
    }
    // The lower id dials; we only step in if it has not after a while.
    if (sub.fallbacks.has(peerId)) return
    sub.fallbacks.set(
      peerId,
      setTimeout(() => {
        sub.fallbacks.delete(peerId)
        if (this.#live(sub) && !this.#connected(sub, peerId)) this.#dial(sub, peerId)
      }, this.#opts.fallbackDelay),
    )
  }

  /** Gives up the dial of `peerId` after `ms` (and tries whoever is missing again). */
  #expire(sub: Subscription, peerId: string, dial: Dial, ms: number): void {
    clearTimeout(dial.timer)
    dial.timer = setTimeout(() => {
      if (sub.dials.get(peerId) !== dial) return
      sub.dials.delete(peerId)
      if (dial.offerId) sub.offers.delete(dial.offerId)
      this.#rescan(sub)
    }, ms)
  }

  #dial(sub: Subscription, peerId: string): void {
    if (sub.dials.has(peerId) || sub.dials.size >= sub.handlers.offersWanted()) return
    if (this.#routes(sub, peerId).length === 0) return
    sub.attempts.set(peerId, (sub.attempts.get(peerId) ?? 0) + 1)
    const dial: Dial = { offerId: null, timer: undefined }
    this.#expire(sub, peerId, dial, this.#opts.answerTimeout)
    sub.dials.set(peerId, dial)
    const fail = () => {
      clearTimeout(dial.timer)
      if (sub.dials.get(peerId) === dial) sub.dials.delete(peerId)
    }
    sub.handlers
      .createOffers(1)
      .then(async ([offer]) => {
        if (!offer || sub.dials.get(peerId) !== dial || !this.#live(sub)) return fail()
        dial.offerId = offer.offerId
        sub.offers.set(offer.offerId, peerId)
        const env = await signEnvelope(this.#local, {
          kind: 'offer',
          topic: sub.topic.hex,
          to: peerId,
          offerId: offer.offerId,
          sdp: offer.sdp,
        })
        if (!this.#send(sub, env, this.#routes(sub, peerId))) fail()
      })
      .catch((err: unknown) => {
        fail()
        sub.handlers.onError?.(P2PError.from(err))
      })
  }
}
