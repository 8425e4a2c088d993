/**
 * Signaling over WebTorrent trackers (WebSocket): each subscribed topic is
 * announced to every tracker with a few fresh offers; the tracker hands each
 * offer to one other peer of the topic and routes that peer's answer back.
 * Several trackers run at once and any one that both sides share is enough.
 * Topics are re-announced at the interval the tracker asks for (clamped), and
 * after a tracker socket reopens. A topic subscribed while a socket is still
 * opening makes its offers meanwhile (ICE gathering takes longer than a
 * WebSocket handshake), and they go out the moment it opens.
 */
import { P2PError } from '../errors.js'
import { RateLimiter } from '../permissions/rate-limit.js'
import type {
  AnnounceHint,
  LocalOffer,
  RemoteAnswer,
  ServerStatus,
  SignalingAdapter,
  TopicHandlers,
} from './adapter.js'
import type { BackoffOptions } from './backoff.js'
import { parseEnvelope, type Envelope } from './relay-envelope.js'
import { TrackerConnection } from './tracker-connection.js'
import {
  MAX_OFFERS,
  announceMessage,
  answerMessage,
  refusalMessage,
  REFUSAL_SDP,
  isId,
  restartEnvelope,
  restartMessage,
  type TrackerMessage,
} from './tracker-messages.js'
import type { Topic } from './topic.js'

/** Longest offers made while a socket was opening are kept for it, ms (the swarm's TTL is 40 s). */
const HELD_OFFERS_MS = 10_000

export interface WebTorrentTrackerOptions {
  /** ws:// or wss:// tracker URLs; duplicates are ignored. */
  urls: readonly string[]
  /** Re-announce interval, ms, overriding what trackers ask for (tests, demos). */
  announceInterval?: number
  /** Interval until a tracker says otherwise, ms. */
  defaultInterval?: number
  /** Most offers per announce per tracker (≤ 10). */
  maxOffers?: number
  /** Shortest time between two announces of one topic to one tracker, ms. */
  minAnnounceGap?: number
  /** Reconnect backoff for tracker sockets. */
  backoff?: BackoffOptions
  /** An announce unanswered this long means the socket is dead, ms. */
  responseTimeout?: number
  /** Offers accepted from one tracker: `burst` at once, then `perSecond`. */
  offerRate?: { burst: number; perSecond: number }
  WebSocket?: typeof WebSocket
  /** Told whenever a tracker connects, drops or fails (status UIs). */
  onStatus?(status: ServerStatus): void
}

interface Announcing {
  timer: ReturnType<typeof setTimeout> | undefined
  /** The tracker's interval for this topic, ms. */
  interval: number | null
  started: boolean
  /** Announced as started on an earlier socket (see #send). */
  startedBefore: boolean
  inFlight: boolean
  lastAt: number
  /** Offers made while the socket was opening, sent when it opens. */
  held: LocalOffer[] | null
}

interface Subscription {
  topic: Topic
  handlers: TopicHandlers
  trackers: Map<string, Announcing>
}

export class WebTorrentTracker implements SignalingAdapter {
  readonly name = 'webtorrent-tracker'
  readonly #opts: WebTorrentTrackerOptions
  readonly #urls: string[]
  readonly #trackers = new Map<string, TrackerConnection>()
  readonly #topics = new Map<string, Subscription>()
  readonly #offerLimit: RateLimiter
  #peerId: string | null = null
  /** Every tracker has failed since one was last open: topics were told (signaling-failed). */
  #unreachable: P2PError | null = null

  constructor(opts: WebTorrentTrackerOptions) {
    this.#urls = [...new Set(opts.urls)]
    if (this.#urls.length === 0) throw P2PError.INVALID_ARGUMENT('no tracker URLs given')
    this.#opts = opts
    this.#offerLimit = new RateLimiter(opts.offerRate ?? { burst: 20, perSecond: 5 })
  }

  init(localPeerId: string): void {
    if (!isId(localPeerId)) throw P2PError.INVALID_ARGUMENT('a peer id is 40 hex characters')
    if (this.#peerId !== null) {
      if (this.#peerId !== localPeerId) {
        throw P2PError.INVALID_ARGUMENT('this adapter is already in use by another peer id')
      }
      return
    }
    this.#peerId = localPeerId
    for (const url of this.#urls) {
      const connection: TrackerConnection = new TrackerConnection(url, {
        ...(this.#opts.backoff ? { backoff: this.#opts.backoff } : {}),
        ...(this.#opts.responseTimeout ? { responseTimeout: this.#opts.responseTimeout } : {}),
        ...(this.#opts.WebSocket ? { WebSocket: this.#opts.WebSocket } : {}),
        onOpen: () => {
          this.#unreachable = null
          this.#opts.onStatus?.(connection.status())
          for (const sub of this.#topics.values()) this.#announce(sub, connection, true)
        },
        onMessage: (msg) => this.#onMessage(connection, msg),
        onError: (err) => {
          this.#opts.onStatus?.(connection.status())
          if (err.code === 'protocol-error') this.#tellAll(err)
          this.#checkReachable()
        },
      })
      this.#trackers.set(url, connection)
      connection.connect()
    }
  }

  subscribe(topic: Topic, handlers: TopicHandlers): () => void {
    if (this.#peerId === null) throw P2PError.NOT_CONNECTED('init() the adapter first')
    if (this.#topics.has(topic.hex)) {
      throw P2PError.INVALID_ARGUMENT(`topic ${topic.hex} is already subscribed`)
    }
    const sub: Subscription = { topic, handlers, trackers: new Map() }
    this.#topics.set(topic.hex, sub)
    for (const connection of this.#trackers.values()) this.#announce(sub, connection, true)
    // Still no tracker reachable: a new topic hears so too (once it is subscribed).
    const down = this.#unreachable
    if (down) queueMicrotask(() => this.#topics.get(topic.hex) === sub && handlers.onError?.(down))
    return () => this.#unsubscribe(sub)
  }

  announce(topic: Topic, _hint?: AnnounceHint): void {
    // Trackers cannot address one peer: the hint is for backends that can.
    const sub = this.#topics.get(topic.hex)
    if (!sub) return
    for (const connection of this.#trackers.values()) this.#announce(sub, connection, false)
  }

  /**
   * Sends an ICE-restart signal to `env.to` through every tracker we
   * announced the topic on (trackers route answers to the peer they name).
   */
  sendRestart(topic: Topic, env: Envelope): boolean {
    const sub = this.#topics.get(topic.hex)
    const peerId = this.#peerId
    if (!sub || peerId === null || env.from !== peerId) return false
    const message = restartMessage({
      infoHash: topic.hex,
      peerId,
      toPeerId: env.to,
      offerId: env.offerId,
      envelope: JSON.stringify(env),
    })
    let sent = false
    for (const [url, state] of sub.trackers) {
      const connection = this.#trackers.get(url)
      if (connection && state.started) sent = connection.send(message) || sent
    }
    return sent
  }

  deactivate(): void {
    for (const sub of [...this.#topics.values()]) this.#unsubscribe(sub)
    for (const connection of this.#trackers.values()) connection.close()
    this.#trackers.clear()
    this.#peerId = null
  }

  status(): ServerStatus[] {
    return [...this.#trackers.values()].map((t) => t.status())
  }

  #state(sub: Subscription, url: string): Announcing {
    let state = sub.trackers.get(url)
    if (!state) {
      state = {
        timer: undefined,
        interval: null,
        started: false,
        startedBefore: false,
        inFlight: false,
        lastAt: 0,
        held: null,
      }
      sub.trackers.set(url, state)
    }
    return state
  }

  /** Announces `sub` on one tracker and schedules the next announce. */
  #announce(sub: Subscription, connection: TrackerConnection, reopened: boolean): void {
    const state = this.#state(sub, connection.url)
    if (reopened) {
      state.startedBefore ||= state.started
      state.started = false
    }
    if (state.inFlight) return
    // Offers held for a socket that took this long to open are too old to hand out.
    if (state.held && Date.now() - state.lastAt > HELD_OFFERS_MS) state.held = null
    if (state.held && connection.open) {
      this.#send(sub, connection, state, state.held)
      return
    }
    // A socket still opening: the offers get ready meanwhile (once).
    const early = connection.connecting && !state.started && !state.held
    if (!connection.open && !early) return
    const gap = this.#opts.minAnnounceGap ?? 1_000
    const since = Date.now() - state.lastAt
    if (!reopened && since < gap) {
      // Too soon after the last one: make the next scheduled announce come at the gap.
      this.#schedule(sub, connection, gap - since)
      return
    }
    state.inFlight = true
    state.lastAt = Date.now()
    const max = Math.min(MAX_OFFERS, this.#opts.maxOffers ?? 5)
    const wanted = Math.max(0, Math.min(max, Math.floor(sub.handlers.offersWanted())))
    const offers = wanted > 0 ? sub.handlers.createOffers(wanted) : Promise.resolve([])
    offers
      .catch((err: unknown) => {
        sub.handlers.onError?.(P2PError.from(err))
        return []
      })
      .then((made) => {
        state.inFlight = false
        if (this.#topics.get(sub.topic.hex) !== sub) return
        // Still opening: they go out on open. Offers never sent expire in the swarm.
        if (connection.connecting) state.held = made
        else this.#send(sub, connection, state, made)
      })
  }

  #send(sub: Subscription, connection: TrackerConnection, state: Announcing, made: LocalOffer[]) {
    state.held = null
    const peerId = this.#peerId
    if (peerId === null) return
    const event = state.started ? undefined : 'started'
    // Back on a new socket (our network changed, or the tracker's): a
    // tracker may still route our signals to the dead one (bittorrent-
    // tracker keeps a known peer's first socket), so we leave and join
    // again, which makes it take the new one.
    if (event && state.startedBefore) {
      connection.send(
        announceMessage({ infoHash: sub.topic.hex, peerId, event: 'stopped', offers: [] }),
      )
    }
    const max = Math.min(MAX_OFFERS, this.#opts.maxOffers ?? 5)
    const sent = connection.send(
      announceMessage({
        infoHash: sub.topic.hex,
        peerId,
        ...(event ? { event } : {}),
        offers: made.slice(0, max),
      }),
      true,
    )
    if (sent) state.started = true
    this.#schedule(sub, connection)
  }

  #schedule(sub: Subscription, connection: TrackerConnection, after?: number): void {
    const state = this.#state(sub, connection.url)
    clearTimeout(state.timer)
    const every =
      this.#opts.announceInterval ?? state.interval ?? this.#opts.defaultInterval ?? 30_000
    state.timer = setTimeout(() => this.#announce(sub, connection, false), after ?? every)
  }

  #unsubscribe(sub: Subscription): void {
    if (this.#topics.get(sub.topic.hex) !== sub) return
    this.#topics.delete(sub.topic.hex)
    const peerId = this.#peerId
    for (const [url, state] of sub.trackers) {
      clearTimeout(state.timer)
      const connection = this.#trackers.get(url)
      if (connection && peerId !== null && state.started) {
        connection.send(
          announceMessage({ infoHash: sub.topic.hex, peerId, event: 'stopped', offers: [] }),
        )
      }
    }
    sub.trackers.clear()
  }

  /**
   * Once every tracker has failed (each tried at least once, none open), the
   * topics hear `signaling-failed` once; the sockets keep retrying with
   * backoff, and the next one to open ends the outage.
   */
  #checkReachable(): void {
    if (this.#unreachable) return
    const all = [...this.#trackers.values()]
    if (all.length === 0 || all.some((c) => c.open || !c.status().error)) return
    const list = all.map((c) => c.url).join(', ')
    const which = all.length === 1 ? 'the tracker' : `any of ${all.length} trackers`
    this.#unreachable = P2PError.SIGNALING_FAILED(list, `cannot reach ${which}; still trying`)
    this.#tellAll(this.#unreachable)
  }

  #tellAll(err: P2PError): void {
    for (const sub of this.#topics.values()) sub.handlers.onError?.(err)
  }

  /** An answer, or an ICE-restart signal riding as one (see tracker-messages.ts). */
  #onAnswer(sub: Subscription, via: string, answer: RemoteAnswer): void {
    let raw: unknown
    try {
      if (answer.sdp === REFUSAL_SDP) {
        if (!this.#offerLimit.take(via)) throw P2PError.RATE_LIMITED(`refusals from ${via}`)
        const { topic, peerId, offerId } = answer
        sub.handlers.onRefused?.({ topic, peerId, offerId, via })
        return
      }
      raw = restartEnvelope(answer.sdp)
      if (raw === null) {
        sub.handlers.onAnswer(answer)
        return
      }
      if (!this.#offerLimit.take(via)) throw P2PError.RATE_LIMITED(`restart signals from ${via}`)
      const env = parseEnvelope(raw)
      if (env.from !== answer.peerId || env.to !== this.#peerId) return
      if (env.topic !== sub.topic.hex) return
      sub.handlers.onRestart?.(env, via)
    } catch (err) {
      sub.handlers.onError?.(P2PError.from(err))
    }
  }

  #onMessage(
    connection: TrackerConnection,
    msg: Exclude<TrackerMessage, { kind: 'ignored' }>,
  ): void {
    const via = connection.url
    if (msg.kind === 'failure') {
      const err = P2PError.SIGNALING_FAILED(via, msg.reason)
      const sub = msg.infoHash ? this.#topics.get(msg.infoHash) : undefined
      if (sub) sub.handlers.onError?.(err)
      else this.#tellAll(err)
      return
    }
    const sub = this.#topics.get(msg.infoHash)
    if (!sub) return
    if (msg.kind === 'response') {
      sub.handlers.onReachable?.()
      if (msg.interval !== null) {
        const state = this.#state(sub, via)
        const changed = state.interval !== msg.interval
        state.interval = msg.interval
        if (changed && !this.#opts.announceInterval) this.#schedule(sub, connection)
      }
      if (msg.warning) sub.handlers.onError?.(P2PError.SIGNALING_FAILED(via, msg.warning))
      return
    }
    const peerId = this.#peerId
    if (peerId === null || msg.peerId === peerId) return
    const signal = { topic: sub.topic, peerId: msg.peerId, offerId: msg.offerId, via }
    if (msg.kind === 'answer') {
      this.#onAnswer(sub, via, { ...signal, sdp: msg.sdp })
      return
    }
    if (!this.#offerLimit.take(via)) {
      sub.handlers.onError?.(P2PError.RATE_LIMITED(`offers from ${via}`))
      return
    }
    // Full: say so through the tracker (as the relay does), not silence.
    const full = sub.handlers.full?.() ?? false
    const answered = full
      ? Promise.resolve(null)
      : sub.handlers.onOffer({ ...signal, sdp: msg.sdp })
    answered
      .then((answer) => {
        if ((answer === null && !full) || this.#topics.get(sub.topic.hex) !== sub) return
        const to = { infoHash: sub.topic.hex, peerId, toPeerId: msg.peerId, offerId: msg.offerId }
        connection.send(
          answer === null ? refusalMessage(to) : answerMessage({ ...to, sdp: answer }),
        )
      })
      .catch((err: unknown) => sub.handlers.onError?.(P2PError.from(err)))
  }
}
