/**
 * Lobby-log signaling (seed 000, option 2): a hosted session's host signals
 * through its lobby log, a hypercore that any connected peer can carry (see
 * ./log-mesh.ts), so joining a session works with every tracker down.
 *
 *   1. The host writes a `host` entry for the session topic to its log (and
 *      again every `hostInterval`, entries older than MAX_AGE are stale).
 *   2. The joiner invites the host (the session URL names its identity) to
 *      follow its log, and the host invites it back: each learns the
 *      other's current log (./log-invite.ts). The joiner follows the host's
 *      log, reads the host's peer id, writes an offer for it to its own log
 *      and invites the host again.
 *   3. The host reads the offer, has the swarm answer it, and writes the
 *      answer to its log; the joiner reads it and completes the connection.
 *
 * Only topics registered with `host()` or `join()` use the log; the swarm's
 * other topics are left to the other adapters. Entries are signed envelopes
 * (./lobby-log-entry.ts); each offer is answered once; a joiner's offers are
 * limited (`maxOffers` per host entry seen, one at a time).
 */
import { P2PError } from '../errors.js'
import type { LocalPeerInfo } from '../swarm/local-peer.js'
import type { AnnounceHint, ServerStatus, SignalingAdapter, TopicHandlers } from './adapter.js'
import {
  decodeEntry,
  encodeEntry,
  hostEntry,
  signalEntry,
  verifyEntry,
  type LogEntry,
} from './lobby-log-entry.js'
import type { LogNetwork } from './log-mesh.js'
import type { Topic } from './topic.js'

export interface LobbyLogOptions {
  local: LocalPeerInfo
  network: LogNetwork
  /** Between two `host` entries, ms. */
  hostInterval?: number
  /** How long an offer waits for its answer before the joiner offers again, ms. */
  answerTimeout?: number
  /** Most joiners' logs a host reads at once per session (the latest inviters; 16). */
  maxFollowed?: number
}

interface Role {
  kind: 'host' | 'join'
  /** The host's identity key (hex) when joining. */
  host?: string
}

interface Sub {
  topic: Topic
  handlers: TopicHandlers
  stops: Array<() => void>
  /** Joiner: our offer waiting for its answer. */
  offer: { offerId: string; to: string; at: number } | null
  /** Host: offers answered already (by offer id). */
  answered: Set<string>
  timer: ReturnType<typeof setInterval> | undefined
  /** Joiner: the host's peer id, from its latest fresh host entry. */
  hostPeer: string | null
}

export class LobbyLog implements SignalingAdapter {
  readonly name = 'lobby-log'
  readonly path = 'lobby-log' as const
  readonly #local: LocalPeerInfo
  readonly #net: LogNetwork
  readonly #roles = new Map<string, Role>()
  readonly #subs = new Map<string, Sub>()
  readonly #hostInterval: number
  readonly #answerTimeout: number
  readonly #maxFollowed: number
  #active = false

  constructor(opts: LobbyLogOptions) {
    this.#local = opts.local
    this.#net = opts.network
    this.#hostInterval = opts.hostInterval ?? 60_000
    this.#answerTimeout = opts.answerTimeout ?? 8_000
    this.#maxFollowed = opts.maxFollowed ?? 16
  }

  /** We host the session on `topic`: announce it in our log. Returns a function that stops. */
  host(topic: Topic): () => void {
    return this.#role(topic, { kind: 'host' })
  }

  /** We join the session on `topic` hosted by identity `hostKey` (hex). */
  join(topic: Topic, hostKey: string): () => void {
    return this.#role(topic, { kind: 'join', host: hostKey })
  }

  init(localPeerId: string): void {
    if (localPeerId !== this.#local.peerId) {
      throw P2PError.INVALID_ARGUMENT('the lobby log signs for another peer id than the swarm')
    }
    this.#active = true
  }

  subscribe(topic: Topic, handlers: TopicHandlers): () => void {
    if (!this.#active) throw P2PError.NOT_CONNECTED('init() the adapter first')
    const sub: Sub = {
      topic,
      handlers,
      stops: [],
      offer: null,
      answered: new Set(),
      timer: undefined,
      hostPeer: null,
    }
    this.#subs.set(topic.hex, sub)
    this.#startRole(sub)
    return () => this.#stop(sub)
  }

  announce(topic: Topic, _hint?: AnnounceHint): void {
    const sub = this.#subs.get(topic.hex)
    if (sub && this.#roles.get(topic.hex)?.kind === 'join') sub.offer = null
  }

  deactivate(): void {
    for (const sub of [...this.#subs.values()]) this.#stop(sub)
    this.#active = false
  }

  status(): ServerStatus[] {
    return [...this.#roles.values()].some((r) => r.kind === 'join' || r.kind === 'host')
      ? [{ server: 'lobby-log', state: 'open' }]
      : []
  }

  #role(topic: Topic, role: Role): () => void {
    this.#roles.set(topic.hex, role)
    const sub = this.#subs.get(topic.hex)
    if (sub) this.#startRole(sub)
    return () => {
      if (this.#roles.get(topic.hex) === role) this.#roles.delete(topic.hex)
      const s = this.#subs.get(topic.hex)
      if (s) this.#clear(s)
    }
  }

  #stop(sub: Sub): void {
    if (this.#subs.get(sub.topic.hex) === sub) this.#subs.delete(sub.topic.hex)
    this.#clear(sub)
  }

  #clear(sub: Sub): void {
    for (const stop of sub.stops) stop()
    sub.stops = []
    clearInterval(sub.timer)
    sub.timer = undefined
  }

  #fail(sub: Sub, err: unknown): void {
    sub.handlers.onError?.(P2PError.from(err))
  }

  #startRole(sub: Sub): void {
    const role = this.#roles.get(sub.topic.hex)
    if (!role || sub.stops.length > 0) return
    if (role.kind === 'host') this.#startHost(sub)
    else if (role.host) this.#startJoin(sub, role.host)
  }

  #startHost(sub: Sub): void {
    const write = () =>
      hostEntry(this.#local, sub.topic.hex)
        .then((entry) => this.#net.append(encodeEntry(entry)))
        .catch((err: unknown) => this.#fail(sub, err))
    void write()
    sub.timer = setInterval(() => void write(), this.#hostInterval)
    const following = new Map<string, () => void>()
    sub.stops.push(
      this.#net.onInvite((joiner) => {
        // Our log's nonce goes back with our own invite: the joiner reads our entries.
        this.#net.invite(joiner, true)
        const stop = following.get(joiner)
        following.delete(joiner)
        following.set(
          joiner,
          stop ?? this.#net.follow(joiner, (block) => void this.#read(sub, joiner, block)),
        )
        // The joiners who invited us most recently; the others stop being read.
        for (const [old, stopOld] of following) {
          if (following.size <= this.#maxFollowed) break
          following.delete(old)
          stopOld()
        }
      }),
      () => {
        for (const stop of following.values()) stop()
        following.clear()
      },
    )
  }

  #startJoin(sub: Sub, host: string): void {
    sub.stops.push(this.#net.follow(host, (block) => void this.#read(sub, host, block)))
    // The host's reply names its log; until its entry is read, ask again now and then.
    this.#net.invite(host)
    // An offer the host never answered (lost, or the connection failed): offer again.
    sub.timer = setInterval(() => {
      if (sub.hostPeer) this.#offer(sub, host).catch((err: unknown) => this.#fail(sub, err))
      else this.#net.invite(host)
    }, this.#answerTimeout)
  }

  async #read(sub: Sub, writer: string, block: Uint8Array): Promise<void> {
    let entry: LogEntry | null
    try {
      entry = decodeEntry(block)
      if (!entry || entry.env.topic !== sub.topic.hex) return
      await verifyEntry(entry, writer)
    } catch (err) {
      // A stale entry is history, not an attack.
      if (!(err instanceof P2PError && err.code === 'protocol-error')) this.#fail(sub, err)
      return
    }
    if (this.#subs.get(sub.topic.hex) !== sub) return
    const role = this.#roles.get(sub.topic.hex)
    const { env } = entry
    if (entry.t === 'host') {
      if (role?.kind === 'join' && role.host && env.from !== this.#local.peerId) {
        sub.hostPeer = env.from
        await this.#offer(sub, role.host)
      }
      return
    }
    if (env.to !== this.#local.peerId) return
    const signal = {
      topic: sub.topic,
      peerId: env.from,
      offerId: env.offerId,
      via: `lobby-log:${writer.slice(0, 16)}`,
      sdp: env.sdp,
    }
    if (env.kind === 'answer') {
      if (sub.offer?.offerId !== env.offerId || sub.offer.to !== env.from) return
      sub.offer = null
      sub.handlers.onAnswer(signal)
      return
    }
    if (env.kind !== 'offer' || role?.kind !== 'host' || sub.answered.has(env.offerId)) return
    sub.answered.add(env.offerId)
    const answer = await sub.handlers.onOffer(signal)
    if (answer === null) return
    const reply = await signalEntry(this.#local, {
      kind: 'answer',
      topic: sub.topic.hex,
      to: env.from,
      offerId: env.offerId,
      sdp: answer,
    })
    await this.#net.append(encodeEntry(reply))
  }

  /** Joiner: offers to the host's peer, unless an offer is still pending, and invites the host. */
  async #offer(sub: Sub, hostKey: string): Promise<void> {
    const hostPeer = sub.hostPeer
    const now = Date.now()
    if (!hostPeer) return
    if (sub.offer && now - sub.offer.at < this.#answerTimeout) return
    if (sub.handlers.offersWanted() <= 0) return
    sub.offer = { offerId: '', to: hostPeer, at: now }
    const [offer] = await sub.handlers.createOffers(1)
    if (!offer) {
      sub.offer = null
      return
    }
    sub.offer = { offerId: offer.offerId, to: hostPeer, at: now }
    const entry = await signalEntry(this.#local, {
      kind: 'offer',
      topic: sub.topic.hex,
      to: hostPeer,
      offerId: offer.offerId,
      sdp: offer.sdp,
    })
    await this.#net.append(encodeEntry(entry))
    this.#net.invite(hostKey)
  }
}
