/**
 * Messages and requests of one shared lobby, for the pages holding handles
 * to it (API.md `broadcast`, `send`, `handle`, `request`).
 *
 * Pages name peers by their per-origin alias; only peers already announced
 * to the pages (peer-join went out) can be reached or answer, and only those
 * we hold a connection to: a member known through the mesh (path `mesh`,
 * beyond the lobby's connection budget) gets no messages; a request names it
 * with a `not-connected` result rather than leaving it out. What a peer
 * sends reaches the pages after that peer's earlier lobby events. A request
 * for one of our modules goes to one page: the one that most recently said
 * it handles the module; only that page may answer it, once.
 *
 * A page's post is answered when the queues of the peers it sent to (a
 * message, a request or an answer) are low again (see
 * src/messages/messenger.ts): the page keeps one post in flight, so that is
 * its back-pressure.
 */
import { fromBase64, toBase64 } from '../../src/bytes.js'
import { P2PError, type WireError } from '../../src/errors.js'
import type { Lobby } from '../../src/lobby/lobby.js'
import type { Answer } from '../../src/messages/frames.js'
import { LobbyMessenger, type IncomingRequest } from '../../src/messages/messenger.js'
import { peerUnreachable } from '../../src/messages/unreachable.js'
import { MAX_MESSAGE_BYTES } from '../../src/messages/value.js'
import {
  MAX_POST_CHARS,
  MAX_REQUEST_TIMEOUT,
  type MessageEventsWire,
  type PostItem,
  type ReplyResult,
} from '../../src/protocol/lobby-messages.js'

/** What the hub gives: its peers as the pages see them, and a way to reach the pages. */
export interface MessagesHost {
  lobby: Lobby
  /** The peers announced to the pages, connected or known through the mesh. */
  announced(): Array<{ peerId: string; alias: string; identityUrl: string }>
  /**
   * Runs `step` after the peer's earlier events (its peer-join first), with
   * its alias as the pages know it (undefined if it was never announced).
   * The peer is the one known when `after` is called: a message that came
   * just before the peer left still goes out, before its peer-leave.
   */
  after(peerId: string, step: (alias: string | undefined) => void): void
  /** An event for one handle's page. */
  toOne<N extends keyof HandleEventsWire>(handle: string, name: N, data: HandleEventsWire[N]): void
  /** An event for every handle's page. */
  toAll<N extends keyof MessageEventsWire>(name: N, data: MessageEventsWire[N]): void
}

/**
 * The announced peers the lobby still has, as `MessagesHost.announced` gives
 * them: members known through the mesh included (a request names them).
 */
export function messagePeers(
  lobby: Lobby,
  announced: Iterable<[string, { alias: string }]>,
): Array<{ peerId: string; alias: string; identityUrl: string }> {
  return [...announced].flatMap(([peerId, v]) => {
    const peer = lobby.peers.get(peerId)
    return peer ? [{ peerId, alias: v.alias, identityUrl: peer.identityUrl }] : []
  })
}

/** What one page may be told: the message events, and a failure as the lobby's `error`. */
type HandleEventsWire = MessageEventsWire & { error: { error: WireError } }

type Head = Exclude<PostItem, { t: 'more' }>

interface HandleState {
  modules: Set<string>
  /** An item whose data is still arriving in `more` pieces. */
  partial: { head: Head; pieces: Uint8Array[]; size: number } | null
}

interface Incoming {
  handle: string
  /** The peer that asked (its answer queues behind what else we send it). */
  peerId: string
  respond(answer: Answer): void
  timer: ReturnType<typeof setTimeout>
}

/** Biggest item: the encoded value plus room for nothing else. */
const MAX_ITEM = MAX_MESSAGE_BYTES

export class LobbyMessages {
  readonly messenger: LobbyMessenger
  readonly #host: MessagesHost
  readonly #handles = new Map<string, HandleState>()
  readonly #incoming = new Map<number, Incoming>()
  #nextIncoming = 0
  /** Messages for the pages, sent together at the end of the task (one notice, not one each). */
  #arrived: Array<{ from: string; data: string }> = []
  #arrivedChars = 0
  #flushTimer: ReturnType<typeof setTimeout> | undefined

  constructor(host: MessagesHost) {
    this.#host = host
    this.messenger = new LobbyMessenger(host.lobby)
    this.messenger.on('message', ({ peer, value }) =>
      host.after(peer.peerId, (alias) => {
        if (alias) this.#arrive(alias, toBase64(value))
      }),
    )
    this.messenger.on('request', (req) => this.#request(req))
  }

  addHandle(handle: string): void {
    this.#handles.set(handle, { modules: new Set(), partial: null })
  }

  /** A page went away: its modules stop, its unanswered requests fail. */
  dropHandle(handle: string): void {
    this.#handles.delete(handle)
    for (const [id, incoming] of this.#incoming) {
      if (incoming.handle !== handle) continue
      this.#settle(id, { ok: false, error: P2PError.NOT_CONNECTED('the page answering left') })
    }
  }

  setModule(handle: string, module: string, on: boolean): void {
    const state = this.#state(handle)
    // Re-adding moves it last: the latest page to handle a module answers it.
    state.modules.delete(module)
    if (on) {
      this.#handles.delete(handle)
      this.#handles.set(handle, state)
      state.modules.add(module)
    }
  }

  /** Takes a page's batch; resolves when the lobby's queues are low again. */
  async post(handle: string, items: PostItem[]): Promise<void> {
    const state = this.#state(handle)
    try {
      for (const item of items) {
        const done = this.#piece(state, item)
        if (done) await this.#item(handle, done.head, done.bytes)
      }
    } catch (err) {
      state.partial = null
      throw err
    }
  }

  /** Sends the messages that arrived so far (before any other event, to keep the order). */
  flush(): void {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    if (this.#arrived.length === 0) return
    const list = this.#arrived
    this.#arrived = []
    this.#arrivedChars = 0
    this.#host.toAll('message', { list })
  }

  close(): void {
    this.flush()
    this.messenger.close()
    for (const id of [...this.#incoming.keys()]) {
      this.#settle(id, { ok: false, error: P2PError.NOT_CONNECTED('the lobby closed') })
    }
  }

  #arrive(from: string, data: string): void {
    this.#arrived.push({ from, data })
    this.#arrivedChars += data.length
    if (this.#arrivedChars >= MAX_POST_CHARS) this.flush()
    else this.#flushTimer ??= setTimeout(() => this.flush(), 0)
  }

  #state(handle: string): HandleState {
    const state = this.#handles.get(handle)
    if (!state) throw P2PError.NOT_CONNECTED('this lobby was left or closed')
    return state
  }

  /** Adds one item or piece; returns a whole item once its last piece is in. */
  #piece(state: HandleState, item: PostItem): { head: Head; bytes: Uint8Array } | null {
    const bytes = 'data' in item ? fromBase64(item.data, 'message data') : new Uint8Array(0)
    if (item.t === 'more') {
      if (!state.partial) throw P2PError.INVALID_ARGUMENT('lobby.post: a piece of no item')
    } else {
      if (state.partial) throw P2PError.INVALID_ARGUMENT('lobby.post: an item cut short')
      state.partial = { head: item, pieces: [], size: 0 }
    }
    const partial = state.partial
    partial.pieces.push(bytes)
    partial.size += bytes.length
    if (partial.size > MAX_ITEM) throw P2PError.PAYLOAD_TOO_LARGE(partial.size, MAX_ITEM)
    if ('more' in item && item.more) return null
    state.partial = null
    if (partial.pieces.length === 1) return { head: partial.head, bytes }
    const whole = new Uint8Array(partial.size)
    let at = 0
    for (const piece of partial.pieces) {
      whole.set(piece, at)
      at += piece.length
    }
    return { head: partial.head, bytes: whole }
  }

  async #item(handle: string, head: Head, bytes: Uint8Array): Promise<void> {
    const peers = this.#host.announced()
    const connected = (p: { peerId: string }) => this.messenger.connected(p.peerId)
    if (head.t === 'msg') {
      const to = peers.filter((p) => (head.to === '*' || p.alias === head.to) && connected(p))
      const error = head.to === '*' ? null : this.#unsendable(head.to, peers, to)
      if (error) this.#host.toOne(handle, 'error', { error: error.toWire() })
      await this.messenger.send(
        to.map((p) => p.peerId),
        bytes,
      )
    } else if (head.t === 'req') {
      const to = peers.filter(
        (p) => head.to === '*' || p.alias === head.to || p.identityUrl === head.to,
      )
      const byAlias = !head.to.startsWith('hyper://') && head.to !== '*'
      if (byAlias && !to.some(connected)) {
        const error = peerUnreachable(`peer ${head.to}`, to.length > 0).toWire()
        this.#host.toOne(handle, 'reply', { id: head.id, error })
        return
      }
      const aliases = new Map(to.map((p) => [p.peerId, p.alias]))
      const ids = to.map((p) => p.peerId)
      const asked = this.messenger.request(ids, head.module, bytes, head.timeout)
      void asked.then((answers) => {
        const results = answers.map(({ peerId, answer }): ReplyResult => {
          const peer = aliases.get(peerId) ?? ''
          return answer.ok
            ? { peer, ok: true, data: toBase64(answer.value) }
            : { peer, ok: false, error: answer.error.toWire() }
        })
        if (!this.#handles.has(handle)) return
        this.flush()
        this.#host.toOne(handle, 'reply', { id: head.id, results })
      })
      // Like a message, a request is back-pressure: the page's next post waits for the queues.
      await this.messenger.drained(ids)
    } else {
      const incoming = this.#incoming.get(head.id)
      // Only the page that was asked may answer, and only once.
      if (incoming?.handle !== handle) return
      this.#settle(
        head.id,
        head.ok ? { ok: true, value: bytes } : { ok: false, error: P2PError.fromWire(head.error) },
      )
      await this.messenger.drained([incoming.peerId])
    }
  }

  /**
   * Why a send to one peer cannot go, if it cannot (the page hears it as the
   * lobby's `error` event): known only through the mesh (the page refuses
   * that itself, unless it changed meanwhile), or of an older version
   * without the messages channel.
   */
  #unsendable(alias: string, peers: Array<{ alias: string }>, to: Array<{ peerId: string }>) {
    if (to.length === 0) {
      if (!peers.some((p) => p.alias === alias)) return null
      return peerUnreachable(`peer ${alias}`, true)
    }
    if (to.every((p) => this.messenger.speaks(p.peerId))) return null
    return P2PError.NOT_SUPPORTED(`messages on peer ${alias} (an older version)`)
  }

  #request(req: IncomingRequest): void {
    const handle = [...this.#handles].findLast(([, s]) => s.modules.has(req.module))?.[0]
    if (!handle) {
      const error = P2PError.NOT_SUPPORTED(`module "${req.module}" on this peer`)
      req.respond({ ok: false, error })
      return
    }
    this.#nextIncoming = (this.#nextIncoming % 0xffff_ffff) + 1
    const id = this.#nextIncoming
    const timer = setTimeout(
      () =>
        this.#settle(id, { ok: false, error: P2PError.TIMEOUT('the page', MAX_REQUEST_TIMEOUT) }),
      MAX_REQUEST_TIMEOUT,
    )
    this.#incoming.set(id, { handle, peerId: req.peer.peerId, respond: req.respond, timer })
    this.#host.after(req.peer.peerId, (from) => {
      if (!from || !this.#handles.has(handle)) {
        this.#settle(id, { ok: false, error: P2PError.NOT_CONNECTED('the page answering left') })
        return
      }
      const data = toBase64(req.value)
      this.flush()
      this.#host.toOne(handle, 'request', { id, from, module: req.module, data })
    })
  }

  #settle(id: number, answer: Answer): void {
    const incoming = this.#incoming.get(id)
    if (!incoming) return
    this.#incoming.delete(id)
    clearTimeout(incoming.timer)
    incoming.respond(answer)
  }
}
