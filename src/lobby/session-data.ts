/**
 * DEP-0006 session-data as pure logic (the clock is injected):
 *
 * - a payload is at most 256 bytes: the API refuses more (`payload-too-large`),
 *   a receiver truncates longer ones;
 * - per connection the sender sends at most once per 5 s: the first value goes
 *   out at once, later ones wait for the next slot and coalesce (latest wins);
 * - per connection the receiver keeps the latest value, starting empty (null),
 *   reports only changes, and ignores a peer that sends faster than the rule
 *   allows (a small burst absorbs timer and network jitter).
 */
import { P2PError } from '../errors.js'
import { RateLimiter } from '../permissions/rate-limit.js'
import { realClock, type Clock } from '../clock.js'

export const SESSION_DATA_MAX = 256
export const SESSION_DATA_INTERVAL = 5_000
/** Messages a receiver takes at once before the rate applies. */
export const SESSION_DATA_BURST = 2

const encoder = new TextEncoder()

/** A value the API was given, as bytes: strings are UTF-8. Throws on bad type or size. */
export function sessionDataBytes(data: unknown): Uint8Array {
  let bytes: Uint8Array
  if (typeof data === 'string') bytes = encoder.encode(data)
  else if (data instanceof Uint8Array) bytes = Uint8Array.from(data)
  else throw P2PError.INVALID_ARGUMENT('session data is a Uint8Array or a string')
  if (bytes.length > SESSION_DATA_MAX) {
    throw P2PError.PAYLOAD_TOO_LARGE(bytes.length, SESSION_DATA_MAX)
  }
  return bytes
}

/** What a receiver keeps of a payload: the first 256 bytes (a copy). */
export function truncateSessionData(payload: Uint8Array): Uint8Array {
  return payload.slice(0, SESSION_DATA_MAX)
}

export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

export interface SenderOptions {
  /** Puts one payload on the wire; false when it could not go now (retried next slot). */
  send(payload: Uint8Array): boolean
  interval?: number
  clock?: Clock
}

/** The sending side of session-data on one connection. */
export class SessionDataSender {
  readonly #send: (payload: Uint8Array) => boolean
  readonly #interval: number
  readonly #clock: Clock
  #lastSentAt = -Infinity
  #lastSent: Uint8Array | null = null
  #pending: Uint8Array | null = null
  #timer: unknown = null
  #closed = false

  constructor(opts: SenderOptions) {
    this.#send = opts.send
    this.#interval = opts.interval ?? SESSION_DATA_INTERVAL
    this.#clock = opts.clock ?? realClock
  }

  /** The value waiting for its slot, if any. */
  get pending(): Uint8Array | null {
    return this.#pending
  }

  /** The last value put on the wire. */
  get lastSent(): Uint8Array | null {
    return this.#lastSent
  }

  /** Sets the value to send: now if the slot is free, else at the next slot (latest wins). */
  set(value: Uint8Array): void {
    if (this.#closed) return
    if (sameBytes(value, this.#lastSent)) {
      // Back to what the peer already has: nothing needs to go.
      this.#pending = null
      this.#cancel()
      return
    }
    this.#pending = Uint8Array.from(value)
    this.#flush()
  }

  /** Stops: nothing pending is sent any more. */
  close(): void {
    this.#closed = true
    this.#pending = null
    this.#cancel()
  }

  #flush(): void {
    if (this.#closed || this.#pending === null || this.#timer !== null) return
    const wait = this.#lastSentAt + this.#interval - this.#clock.now()
    if (wait > 0) {
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = null
        this.#flush()
      }, wait)
      return
    }
    const value = this.#pending
    if (this.#send(value)) {
      this.#pending = null
      this.#lastSent = value
      this.#lastSentAt = this.#clock.now()
    } else {
      // Could not go (channel busy or not ready): try again a slot later.
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = null
        this.#flush()
      }, this.#interval)
    }
  }

  #cancel(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
  }
}

export type ReceiveResult = 'changed' | 'same' | 'ignored'

export interface ReceiverOptions {
  interval?: number
  burst?: number
  clock?: Clock
}

/** The receiving side of session-data on one connection. */
export class SessionDataReceiver {
  readonly #limit: RateLimiter
  #value: Uint8Array | null = null
  #ignored = 0

  constructor(opts: ReceiverOptions = {}) {
    const interval = opts.interval ?? SESSION_DATA_INTERVAL
    const clock = opts.clock ?? realClock
    this.#limit = new RateLimiter({
      burst: opts.burst ?? SESSION_DATA_BURST,
      perSecond: 1000 / interval,
      now: () => clock.now(),
    })
  }

  /** The peer's latest value; null until it sent one on this connection. */
  get value(): Uint8Array | null {
    return this.#value
  }

  /** Messages dropped for coming too fast. */
  get ignored(): number {
    return this.#ignored
  }

  /** Takes a message from the peer. */
  receive(payload: Uint8Array): ReceiveResult {
    if (!this.#limit.take('peer')) {
      this.#ignored++
      return 'ignored'
    }
    const value = truncateSessionData(payload)
    if (sameBytes(value, this.#value)) return 'same'
    this.#value = value
    return 'changed'
  }
}
