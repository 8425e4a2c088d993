/**
 * A page lobby's messages and modules (API.md `broadcast`, `send`, `handle`,
 * `request`, the `message` event). Data is encoded here, in the page, once
 * (src/messages/value.ts: JSON plus Uint8Array, ≤ 16 MiB) and decoded here
 * when it arrives; everything between carries it unread.
 *
 * `broadcast` and `send` return a promise (an addition to API.md's `void`):
 * it resolves when the extension took the message, later when the lobby's
 * peers are slow, so a page that awaits keeps pace instead of queueing
 * without bound. A failure also fires an `error` event on the lobby, for
 * pages that do not await.
 */
import { fromBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import type { Peer, RequestResult } from '../../src/api/types.js'
import { peerUnreachable } from '../../src/messages/unreachable.js'
import { decodeValue, encodeValue } from '../../src/messages/value.js'
import { isPeerAlias } from '../../src/protocol/lobby.js'
import {
  DEFAULT_REQUEST_TIMEOUT,
  MAX_REQUEST_TIMEOUT,
  MODULE_NAME,
  isSelector,
  type PostItem,
} from '../../src/protocol/lobby-messages.js'
import { isRecord, isRequestId, own } from '../../src/protocol/validate.js'
import { Poster } from './lobby-poster.js'

/** A module's handler: its return value (or what it resolves to) is the answer. */
export type ModuleHandler = (data: unknown, from: Peer) => unknown

/** How long after its timeout a request gives up on hearing from the extension, ms. */
const REPLY_GRACE_MS = 15_000

export interface MessagesHost {
  lobby: string
  call(method: string, params: unknown): Promise<unknown>
  /** The peer with this alias (a stand-in when it already left). */
  peer(alias: string): Peer
  /** Whether a peer with this alias is in the lobby now. */
  has(alias: string): boolean
  /** Throws `not-connected` once the lobby is closed. */
  open(): void
  emit(type: string, detail: object): void
}

interface Waiting {
  resolve(results: RequestResult[]): void
  reject(err: P2PError): void
  timer: ReturnType<typeof setTimeout>
}

function bytesOf(raw: unknown): Uint8Array | null {
  if (typeof raw !== 'string') return null
  try {
    return fromBase64(raw, 'message data')
  } catch {
    return null
  }
}

export class PageMessages {
  readonly #host: MessagesHost
  readonly #poster: Poster
  readonly #modules = new Map<string, ModuleHandler>()
  readonly #waiting = new Map<number, Waiting>()
  #nextId = 0

  constructor(host: MessagesHost) {
    this.#host = host
    this.#poster = new Poster((items: PostItem[]) =>
      host.call('lobby.post', { lobby: host.lobby, items }),
    )
  }

  broadcast(data: unknown): Promise<void> {
    this.#host.open()
    return this.#quiet(this.#poster.push({ t: 'msg', to: '*' }, encodeValue(data)))
  }

  send(peerId: unknown, data: unknown): Promise<void> {
    this.#host.open()
    if (!isPeerAlias(peerId) || !this.#host.has(peerId)) {
      throw P2PError.NOT_CONNECTED(`no peer ${String(peerId).slice(0, 40)} in this lobby`)
    }
    if (this.#host.peer(peerId).path === 'mesh') {
      throw peerUnreachable(`peer ${peerId}`, true)
    }
    return this.#quiet(this.#poster.push({ t: 'msg', to: peerId }, encodeValue(data)))
  }

  /**
   * Answers requests for `module` with `fn`; `null` stops answering. The
   * promise (an addition) resolves once the extension has registered it:
   * a request that peers send after that reaches `fn`.
   */
  handle(module: unknown, fn: unknown): Promise<void> {
    this.#host.open()
    if (typeof module !== 'string' || !MODULE_NAME.test(module)) {
      throw P2PError.INVALID_ARGUMENT('a module name is 1–64 of A–Z a–z 0–9 _ . : / -')
    }
    if (fn !== null && typeof fn !== 'function') {
      throw P2PError.INVALID_ARGUMENT('handle(module, fn) takes a function (or null to stop)')
    }
    if (fn) this.#modules.set(module, fn as ModuleHandler)
    else this.#modules.delete(module)
    const on = fn !== null
    const call = this.#host.call('lobby.handle', { lobby: this.#host.lobby, module, on })
    return this.#quiet(call.then(() => undefined))
  }

  request(
    selector: unknown,
    module: unknown,
    data: unknown,
    opts: unknown = {},
  ): Promise<RequestResult[]> {
    try {
      this.#host.open()
      if (!isSelector(selector)) {
        throw P2PError.INVALID_ARGUMENT('request() goes to "*", an identity URL or a peer id')
      }
      if (typeof module !== 'string' || !MODULE_NAME.test(module)) {
        throw P2PError.INVALID_ARGUMENT('a module name is 1–64 of A–Z a–z 0–9 _ . : / -')
      }
      const timeout = isRecord(opts) ? (own(opts, 'timeout') ?? DEFAULT_REQUEST_TIMEOUT) : NaN
      if (!Number.isSafeInteger(timeout) || (timeout as number) < 1) {
        throw P2PError.INVALID_ARGUMENT('request options: timeout is a whole number of ms')
      }
      const ms = Math.min(timeout as number, MAX_REQUEST_TIMEOUT)
      const bytes = encodeValue(data)
      this.#nextId = (this.#nextId % 0xffff_ffff) + 1
      const id = this.#nextId
      const head = { t: 'req' as const, id, to: selector, module, timeout: ms }
      return new Promise<RequestResult[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#waiting.delete(id)
          reject(P2PError.TIMEOUT(`request to "${module}"`, ms + REPLY_GRACE_MS))
        }, ms + REPLY_GRACE_MS)
        this.#waiting.set(id, { resolve, reject, timer })
        this.#poster.push(head, bytes).catch((err: unknown) => this.#fail(id, P2PError.from(err)))
      })
    } catch (err) {
      return Promise.reject(P2PError.from(err))
    }
  }

  /** Takes a `message`, `request` or `reply` event; false for other events. */
  receive(name: string, data: Record<string, unknown>): boolean {
    if (name === 'message') this.#message(data)
    else if (name === 'request') this.#request(data)
    else if (name === 'reply') this.#reply(data)
    else return false
    return true
  }

  /** The lobby closed: what waits fails. */
  close(err: P2PError): void {
    this.#poster.close(err)
    for (const id of [...this.#waiting.keys()]) this.#fail(id, err)
    this.#modules.clear()
  }

  /** Marks the promise handled (a page need not await it); failures also go out as `error`. */
  #quiet<T>(promise: Promise<T>): Promise<T> {
    promise.catch((err: unknown) => this.#host.emit('error', { error: P2PError.from(err) }))
    return promise
  }

  #fail(id: number, err: P2PError): void {
    const waiting = this.#waiting.get(id)
    if (!waiting) return
    this.#waiting.delete(id)
    clearTimeout(waiting.timer)
    waiting.reject(err)
  }

  #message(data: Record<string, unknown>): void {
    const list = own(data, 'list')
    for (const item of Array.isArray(list) ? (list as unknown[]) : []) {
      const from = isRecord(item) ? own(item, 'from') : undefined
      const bytes = isRecord(item) ? bytesOf(own(item, 'data')) : null
      if (!isPeerAlias(from) || !bytes) continue
      let value: unknown
      try {
        value = decodeValue(bytes)
      } catch {
        continue
      }
      this.#host.emit('message', { peer: this.#host.peer(from), data: value })
    }
  }

  #request(data: Record<string, unknown>): void {
    const id = own(data, 'id')
    const from = own(data, 'from')
    const module = own(data, 'module')
    const bytes = bytesOf(own(data, 'data'))
    if (!isRequestId(id) || !isPeerAlias(from) || typeof module !== 'string' || !bytes) return
    const answer = async (): Promise<unknown> => {
      const fn = this.#modules.get(module)
      if (!fn) throw P2PError.NOT_SUPPORTED(`module "${module.slice(0, 64)}" on this peer`)
      return fn(decodeValue(bytes), this.#host.peer(from))
    }
    answer()
      .then((result) => this.#poster.push({ t: 'res', id, ok: true }, encodeValue(result ?? null)))
      .catch((err: unknown) => {
        const error = P2PError.from(err).toWire()
        return this.#poster.push({ t: 'res', id, ok: false, error })
      })
      .catch(() => undefined)
  }

  #reply(data: Record<string, unknown>): void {
    const id = own(data, 'id')
    const waiting = isRequestId(id) ? this.#waiting.get(id) : undefined
    if (!waiting || !isRequestId(id)) return
    this.#waiting.delete(id)
    clearTimeout(waiting.timer)
    const results = own(data, 'results')
    if (!Array.isArray(results)) {
      waiting.reject(P2PError.fromWire(own(data, 'error')))
      return
    }
    waiting.resolve(
      results.flatMap((raw: unknown): RequestResult[] => {
        if (!isRecord(raw)) return []
        const alias = own(raw, 'peer')
        if (!isPeerAlias(alias)) return []
        const peer = this.#host.peer(alias)
        if (own(raw, 'ok') !== true) return [{ peer, error: P2PError.fromWire(own(raw, 'error')) }]
        const bytes = bytesOf(own(raw, 'data'))
        try {
          return bytes ? [{ peer, result: decodeValue(bytes) }] : []
        } catch (err) {
          return [{ peer, error: P2PError.from(err) }]
        }
      }),
    )
  }
}
