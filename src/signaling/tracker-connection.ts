/**
 * One WebSocket to one tracker, kept open: when it drops (or stops answering
 * announces) it is reopened with exponential backoff, and the owner is told
 * so that it can announce its topics again. Frames from the tracker are
 * parsed here (see tracker-messages.ts) and handed on as checked messages.
 */
import { P2PError } from '../errors.js'
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js'
import type { ServerState, ServerStatus } from './adapter.js'
import { parseTrackerMessage, type TrackerMessage } from './tracker-messages.js'

export interface TrackerConnectionOptions {
  backoff?: BackoffOptions
  /** An announce unanswered this long means the socket is dead: reopen it. */
  responseTimeout?: number
  /** For runtimes without a global WebSocket. */
  WebSocket?: typeof WebSocket
  onOpen(): void
  onMessage(msg: Exclude<TrackerMessage, { kind: 'ignored' }>): void
  /** A failure: the socket closed, the tracker sent something hostile. */
  onError(err: P2PError): void
}

export class TrackerConnection {
  readonly url: string
  readonly #opts: TrackerConnectionOptions
  readonly #WebSocket: typeof WebSocket
  #socket: WebSocket | null = null
  #state: ServerState = 'closed'
  #error: P2PError | undefined
  #attempt = 0
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #responseTimer: ReturnType<typeof setTimeout> | undefined
  #stopped = false

  constructor(url: string, opts: TrackerConnectionOptions) {
    if (!/^wss?:\/\/[^\s]+$/.test(url)) {
      throw P2PError.INVALID_ARGUMENT(`tracker "${url.slice(0, 100)}" is not a ws:// or wss:// URL`)
    }
    const WS = opts.WebSocket ?? globalThis.WebSocket
    if (!WS) throw P2PError.INVALID_ARGUMENT('no WebSocket in this runtime')
    this.url = url
    this.#opts = opts
    this.#WebSocket = WS
  }

  get open(): boolean {
    return this.#state === 'open'
  }

  /** The socket is being opened (announces can get their offers ready meanwhile). */
  get connecting(): boolean {
    return this.#state === 'connecting'
  }

  status(): ServerStatus {
    const status: ServerStatus = { server: this.url, state: this.#state }
    if (this.#error && this.#state !== 'open') status.error = this.#error
    return status
  }

  /** Opens the socket (idempotent while it is open or opening). */
  connect(): void {
    if (this.#stopped || this.#socket) return
    clearTimeout(this.#retryTimer)
    this.#state = 'connecting'
    let socket: WebSocket
    try {
      socket = new this.#WebSocket(this.url)
    } catch (err) {
      this.#fail(P2PError.SIGNALING_FAILED(this.url, P2PError.from(err).detail))
      return
    }
    this.#socket = socket
    socket.onopen = () => {
      if (this.#socket !== socket) return
      this.#state = 'open'
      this.#attempt = 0
      this.#error = undefined
      this.#opts.onOpen()
    }
    socket.onmessage = (event: MessageEvent) => {
      if (this.#socket !== socket) return
      this.#onFrame(event.data)
    }
    socket.onclose = () => {
      if (this.#socket !== socket) return
      this.#fail(P2PError.SIGNALING_FAILED(this.url, 'connection closed'))
    }
    // An error is always followed by close; close does the work.
    socket.onerror = () => undefined
  }

  /**
   * Sends a message if the socket is open; false when it is not (the owner
   * announces again on the next open). `expectResponse` arms the dead-socket timer.
   */
  send(message: string, expectResponse = false): boolean {
    const socket = this.#socket
    if (!socket || this.#state !== 'open') return false
    try {
      socket.send(message)
    } catch (err) {
      this.#fail(P2PError.SIGNALING_FAILED(this.url, P2PError.from(err).detail))
      return false
    }
    if (expectResponse && this.#responseTimer === undefined) {
      const ms = this.#opts.responseTimeout ?? 20_000
      this.#responseTimer = setTimeout(() => {
        this.#responseTimer = undefined
        this.#fail(P2PError.TIMEOUT(`tracker ${this.url}`, ms))
      }, ms)
    }
    return true
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.#stopped = true
    clearTimeout(this.#retryTimer)
    this.#drop()
    this.#state = 'closed'
  }

  #onFrame(data: unknown): void {
    clearTimeout(this.#responseTimer)
    this.#responseTimer = undefined
    let msg: TrackerMessage
    try {
      msg = parseTrackerMessage(data)
    } catch (err) {
      this.#opts.onError(P2PError.from(err))
      return
    }
    if (msg.kind !== 'ignored') this.#opts.onMessage(msg)
  }

  #drop(): void {
    clearTimeout(this.#responseTimer)
    this.#responseTimer = undefined
    const socket = this.#socket
    this.#socket = null
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null
      try {
        socket.close()
      } catch {
        // already closing
      }
    }
  }

  #fail(err: P2PError): void {
    this.#drop()
    this.#error = err
    this.#state = 'closed'
    this.#opts.onError(err)
    if (this.#stopped) return
    const delay = backoffDelay(this.#attempt++, this.#opts.backoff ?? DEFAULT_BACKOFF)
    this.#retryTimer = setTimeout(() => this.connect(), delay)
  }
}
