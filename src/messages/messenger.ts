/**
 * Messages and requests between the peers of one lobby (seed 004's modules
 * answering requests), on the `messages` channel of the lobby's topic.
 *
 * - `send(peers, value)`: one message to each; per peer, messages arrive in
 *   order and once. Resolves when every target's queue is back under the
 *   low-water mark, so a caller that awaits keeps pace with the channel.
 * - `request(peers, module, value, timeoutMs)`: one result per peer: its
 *   answer, its error, `not-connected` if it left, `not-supported` at once
 *   if it has no messages channel (an older version), or `timeout`. Requests
 *   and answers share the queues: `drained(peers)` is their back-pressure.
 * - `request` events: a peer asks one of our modules; answer with `respond`.
 *
 * Values are opaque bytes here (the page encodes them, ./value.ts).
 */
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type { Lobby } from '../lobby/lobby.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import {
  MESSAGES_CHANNEL,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type Answer,
  type Delivered,
} from './frames.js'
import { Inbox } from './inbox.js'
import { Outbox } from './outbox.js'
import { peerUnreachable } from './unreachable.js'

/** A sender waits while a target has more than this queued, bytes. */
export const LOW_WATER = 2 * 1024 * 1024
/** Beyond this, sends to a peer are refused (`rate-limited`), bytes. */
export const MAX_QUEUED = 48 * 1024 * 1024
/** Requests from one peer we may be answering at once; more get `rate-limited`. */
const MAX_INCOMING = 64
/** How long after a delivery its ack goes (acks of a burst coalesce), ms. */
const ACK_MS = 20
/**
 * While the peer has not acked what we sent, how often we look whether its
 * primary connection changed (the swarm has no event for it), ms.
 */
const ROUTE_CHECK_MS = 250
/** Longest a request may wait for its answers, ms. */
export const MAX_TIMEOUT = 120_000

/** The peer a message came from. */
export interface MessagePeer {
  peerId: string
  identityUrl: string
}

export interface IncomingRequest {
  peer: MessagePeer
  module: string
  value: Uint8Array
  /** Sends the answer back; only the first call counts. */
  respond(answer: Answer): void
}

export interface MessengerEvents {
  message: { peer: MessagePeer; value: Uint8Array }
  request: IncomingRequest
  /**
   * A peer broke the message protocol: we take nothing more from it in this
   * lobby until it joins again (its connection is left to the swarm's rules).
   */
  error: { peer: MessagePeer; error: P2PError }
}

export interface PeerAnswer {
  peerId: string
  answer: Answer
}

interface Stream {
  remote: RemotePeer
  /** Whether the peer has the messages channel (an older version has not). */
  speaks: boolean
  peer: MessagePeer
  outbox: Outbox
  /** null once the peer broke the protocol: what it sends is dropped. */
  inbox: Inbox | null
  incoming: number
  expiry: ReturnType<typeof setTimeout> | undefined
  /** Our next ack of what it sent, due soon. */
  ackTimer: ReturnType<typeof setTimeout> | undefined
  /** The [epoch, seq] we last acked. */
  acked: [number, number]
  /** Looks for a new primary connection while records wait for their ack. */
  routeWatch: ReturnType<typeof setInterval> | undefined
}

interface Pending {
  waiting: Set<string>
  answers: PeerAnswer[]
  done(): void
}

export class LobbyMessenger extends Emitter<MessengerEvents> {
  readonly lobby: Lobby
  readonly #streams = new Map<string, Stream>()
  readonly #pending = new Map<number, Pending>()
  readonly #stop = new AbortController()
  #nextId = 0

  constructor(lobby: Lobby) {
    super()
    this.lobby = lobby
    const m = lobby.membership
    const signal = this.#stop.signal
    for (const peer of m.peers()) this.#join(peer)
    m.on('peer-join', ({ peer }) => this.#join(peer), { signal })
    m.on('peer-leave', ({ peer }) => this.#leave(peer), { signal })
    m.on('data', (d) => d.channel === MESSAGES_CHANNEL && this.#data(d.peer, d.payload), {
      signal,
    })
  }

  /** Sends `value` to each of `peerIds` (unknown ones are skipped). */
  async send(peerIds: Iterable<string>, value: Uint8Array): Promise<void> {
    const ids = [...peerIds]
    for (const id of ids) this.#streams.get(id)?.outbox.push('data', value)
    await this.drained(ids)
  }

  /**
   * Resolves once each of `peerIds` has no more than LOW_WATER queued (at
   * once for peers we hold no stream with): a caller that awaits this after
   * queueing keeps pace with the channel.
   */
  async drained(peerIds: Iterable<string>): Promise<void> {
    const outboxes = [...peerIds].flatMap((id) => this.#streams.get(id)?.outbox ?? [])
    await Promise.all(outboxes.map((o) => o.whenBelow(LOW_WATER)))
  }

  /** Bytes queued for a peer (bodies plus ITEM_OVERHEAD each); 0 with no stream. */
  queued(peerId: string): number {
    return this.#streams.get(peerId)?.outbox.queued ?? 0
  }

  /** Whether a connected peer has the messages channel (false for an older version, or no stream). */
  speaks(peerId: string): boolean {
    return this.#streams.get(peerId)?.speaks ?? false
  }

  /** Whether we hold a message stream with the peer (a member known only through the mesh has none). */
  connected(peerId: string): boolean {
    return this.#streams.has(peerId)
  }

  /**
   * Asks `module` of each of `peerIds`; one answer per peer, in the order
   * given. A peer we hold no connection to answers `not-connected` at once.
   */
  request(
    peerIds: Iterable<string>,
    module: string,
    value: Uint8Array,
    timeoutMs: number,
  ): Promise<PeerAnswer[]> {
    const ids = [...new Set(peerIds)]
    this.#nextId = (this.#nextId % 0xffff_ffff) + 1
    const id = this.#nextId
    const body = encodeRequest(id, module, value)
    return new Promise((resolve) => {
      const pending: Pending = {
        waiting: new Set(),
        answers: [],
        done: () => {
          clearTimeout(timer)
          this.#pending.delete(id)
          resolve(ids.flatMap((peerId) => pending.answers.find((a) => a.peerId === peerId) ?? []))
        },
      }
      const timer = setTimeout(() => {
        const error = P2PError.TIMEOUT(`module "${module}"`, timeoutMs)
        for (const peerId of pending.waiting)
          pending.answers.push({ peerId, answer: { ok: false, error } })
        pending.done()
      }, timeoutMs)
      this.#pending.set(id, pending)
      for (const peerId of ids) {
        const stream = this.#streams.get(peerId)
        try {
          // Errors name no swarm peer id: they reach pages, which know peers by alias.
          if (!stream)
            throw peerUnreachable('the peer', this.lobby.peers.get(peerId)?.path === 'mesh')
          if (!stream.speaks) throw P2PError.NOT_SUPPORTED('messages on this peer')
          stream.outbox.push('request', body)
          pending.waiting.add(peerId)
        } catch (err) {
          pending.answers.push({ peerId, answer: { ok: false, error: P2PError.from(err) } })
        }
      }
      if (pending.waiting.size === 0) pending.done()
    })
  }

  /** Stops: pending requests settle, queues are dropped. */
  close(): void {
    this.#stop.abort()
    for (const stream of [...this.#streams.values()]) this.#leave(stream.remote)
  }

  #join(remote: RemotePeer): void {
    const peerId = remote.peerId
    const speaks = remote.extensions.includes(MESSAGES_CHANNEL)
    let route: unknown
    // A new primary connection: what the old one took may never arrive.
    const moved = () => {
      const primary = remote.primary
      const changed = route !== undefined && primary !== route
      route = primary
      return changed
    }
    const outbox = new Outbox((frame) => {
      const stream = this.#streams.get(peerId)
      if (stream?.remote !== remote) return 'gone'
      if (moved()) return 'moved'
      const taken = this.lobby.membership.send(peerId, MESSAGES_CHANNEL, frame)
      // A sender that goes quiet now must still resend if the route changes.
      if (taken) stream.routeWatch ??= setInterval(() => watch(stream), ROUTE_CHECK_MS)
      return taken
    }, MAX_QUEUED)
    const watch = (stream: Stream) => {
      if (this.#streams.get(peerId) !== stream || outbox.unacked === 0) {
        clearInterval(stream.routeWatch)
        stream.routeWatch = undefined
      } else if (moved()) outbox.moved()
    }
    // A peer of an older version: nothing we send it would arrive.
    if (!speaks) outbox.close()
    this.#streams.get(peerId)?.outbox.close()
    this.#streams.set(peerId, {
      remote,
      peer: { peerId, identityUrl: remote.identityUrl },
      speaks,
      outbox,
      inbox: new Inbox({
        onPeerRestart: () => outbox.restart(),
        // Frames we sent before its stream opened found nobody: again, now.
        onPeerStart: () => outbox.moved(),
        onAck: (epoch, seq) => outbox.acked(epoch, seq),
      }),
      incoming: 0,
      expiry: undefined,
      ackTimer: undefined,
      acked: [0, 0],
      routeWatch: undefined,
    })
    outbox.start(false)
  }

  #leave(remote: RemotePeer): void {
    const stream = this.#streams.get(remote.peerId)
    if (stream?.remote !== remote) return
    this.#streams.delete(remote.peerId)
    stream.outbox.close()
    clearTimeout(stream.expiry)
    clearTimeout(stream.ackTimer)
    clearInterval(stream.routeWatch)
    const error = P2PError.NOT_CONNECTED('the peer left the lobby')
    for (const pending of [...this.#pending.values()])
      this.#answer(pending, remote.peerId, { ok: false, error })
  }

  #answer(pending: Pending, peerId: string, answer: Answer): void {
    if (!pending.waiting.delete(peerId)) return
    pending.answers.push({ peerId, answer })
    if (pending.waiting.size === 0) pending.done()
  }

  #data(remote: RemotePeer, payload: Uint8Array): void {
    const stream = this.#streams.get(remote.peerId)
    if (stream?.remote !== remote || !stream.inbox) return
    let delivered: Delivered[]
    try {
      delivered = stream.inbox.push(payload, Date.now())
    } catch (err) {
      // A broken stream cannot be resynchronised, and a peer that breaks it
      // may be trying to make us hold data: drop what it holds, take no more.
      stream.inbox = null
      clearTimeout(stream.expiry)
      stream.expiry = undefined
      this.emit('error', { peer: stream.peer, error: P2PError.from(err) })
      return
    }
    this.#deliver(stream, delivered)
    this.#scheduleExpiry(stream)
  }

  #scheduleExpiry(stream: Stream): void {
    if (stream.expiry !== undefined || !stream.inbox?.waiting) return
    stream.expiry = setTimeout(() => {
      stream.expiry = undefined
      if (this.#streams.get(stream.peer.peerId) !== stream || !stream.inbox) return
      this.#deliver(stream, stream.inbox.expire(Date.now()))
      this.#scheduleExpiry(stream)
    }, 1_000)
  }

  /** Acks what the peer's stream delivered, a little later (one ack for a burst). */
  #scheduleAck(stream: Stream): void {
    if (stream.ackTimer !== undefined) return
    stream.ackTimer = setTimeout(() => {
      stream.ackTimer = undefined
      const inbox = stream.inbox
      if (this.#streams.get(stream.peer.peerId) !== stream || !inbox) return
      const [epoch, seq] = [inbox.epoch, inbox.delivered]
      if (epoch === stream.acked[0] && seq === stream.acked[1]) return
      stream.acked = [epoch, seq]
      stream.outbox.ack(epoch, seq)
    }, ACK_MS)
  }

  #deliver(stream: Stream, messages: Delivered[]): void {
    if (messages.length > 0 || stream.inbox?.delivered !== stream.acked[1])
      this.#scheduleAck(stream)
    for (const msg of messages) {
      try {
        if (msg.kind === 'data') this.emit('message', { peer: stream.peer, value: msg.body })
        else if (msg.kind === 'request') this.#incoming(stream, msg.body)
        else {
          const { id, answer } = decodeResponse(msg.body)
          const pending = this.#pending.get(id)
          if (pending) this.#answer(pending, stream.peer.peerId, answer)
        }
      } catch (err) {
        this.emit('error', { peer: stream.peer, error: P2PError.from(err) })
      }
    }
  }

  #incoming(stream: Stream, body: Uint8Array): void {
    const { id, module, value } = decodeRequest(body)
    let answered = false
    const respond = (answer: Answer) => {
      if (answered) return
      answered = true
      stream.incoming--
      if (this.#streams.get(stream.peer.peerId) !== stream) return
      const send = (a: Answer) => stream.outbox.push('response', encodeResponse(id, a))
      try {
        send(answer)
      } catch (err) {
        try {
          send({ ok: false, error: P2PError.from(err) })
        } catch {
          // Even that does not fit the queue: the requester times out.
        }
      }
    }
    stream.incoming++
    if (stream.incoming > MAX_INCOMING) {
      respond({ ok: false, error: P2PError.RATE_LIMITED('requests in progress') })
      return
    }
    this.emit('request', { peer: stream.peer, module, value, respond })
  }
}
