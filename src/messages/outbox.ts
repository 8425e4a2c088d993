/**
 * What we still have to send one peer in one lobby: whole messages in order,
 * cut into frames (./frames.ts) as the data channel takes them.
 *
 * Back-pressure: the connection refuses a frame while its buffer is over
 * MAX_BUFFERED (src/swarm/connection.ts); the outbox then waits and tries
 * again, so the channel is kept full without the queue growing in the
 * channel's buffer. Callers wait with `whenBelow(n)` for the queue to drain,
 * and a queue over `maxQueued` refuses more (`rate-limited`) rather than
 * growing without bound.
 *
 * Every outbox has a random epoch, written in front of each frame, and opens
 * with a `start` message; `restart()` begins a new epoch (numbered from 1
 * again) with what was not wholly sent yet.
 *
 * A message the channel took is kept (and counts as queued) until the peer
 * acks it; when the route changes (the sink says 'moved', or the owner
 * calls `moved()` because it saw the route change while nothing was being
 * sent) everything not acked goes again, first. `ack()` queues our own ack
 * ahead of everything.
 */
import { P2PError } from '../errors.js'
import {
  EPOCH_BYTES,
  FRAME_PAYLOAD,
  encodeAck,
  nextFrame,
  type Kind,
  type Outgoing,
} from './frames.js'
import { ITEM_OVERHEAD } from './value.js'

/**
 * Sends one frame: true when taken, false when backed up (try later), 'gone'
 * when it never will be, 'moved' (frame not taken) when the route to the peer
 * changed since the last frame: what the old route took may be lost.
 */
export type FrameSink = (frame: Uint8Array) => boolean | 'gone' | 'moved'

/** How long to wait before offering a refused frame again, ms. */
const RETRY_MS = 2

function randomEpoch(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
}

export class Outbox {
  readonly #sink: FrameSink
  readonly #maxQueued: number
  readonly #queue: Outgoing[] = []
  /** Wholly sent, not acked yet, in seq order. */
  #unacked: Outgoing[] = []
  readonly #waiters = new Set<{ below: number; resolve: () => void }>()
  #queued = 0
  #seq = 0
  #epoch = randomEpoch()
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(sink: FrameSink, maxQueued: number) {
    this.#sink = sink
    this.#maxQueued = maxQueued
  }

  /** Bytes of message bodies not acked yet (queued or sent), plus ITEM_OVERHEAD per message. */
  get queued(): number {
    return this.#queued
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Messages the channel took that the peer has not acked yet. */
  get unacked(): number {
    return this.#unacked.length
  }

  /** The epoch this outbox numbers its messages in. */
  get epoch(): number {
    return this.#epoch
  }

  /** The peer has every message of `epoch` through `seq`: they need not be kept. */
  acked(epoch: number, seq: number): void {
    if (epoch !== this.#epoch) return
    let n = 0
    for (const msg of this.#unacked) {
      if (msg.seq > seq) break
      this.#queued -= msg.body.length + ITEM_OVERHEAD
      n++
    }
    if (n === 0) return
    this.#unacked = this.#unacked.slice(n)
    this.#wake()
  }

  /** Tells the peer we have its messages of `epoch` through `seq`, ahead of what else waits. */
  ack(epoch: number, seq: number): void {
    if (this.#closed) return
    const body = encodeAck(epoch, seq)
    const waiting = this.#queue.find((m) => m.kind === 'ack' && m.sent === 0)
    if (waiting) waiting.body = body
    else this.#queue.unshift({ kind: 'ack', seq: 0, body, sent: 0 })
    if (this.#timer === undefined) this.#pump()
  }

  /** Opens the stream: its first message says whether it answers the peer's restart. */
  start(reply: boolean): void {
    this.push('start', Uint8Array.of(reply ? 1 : 0))
  }

  /**
   * The peer started over and lost our stream: a new epoch from 1, opening
   * with a reply start, then whatever was not wholly sent (again whole).
   */
  restart(): void {
    if (this.#closed) return
    this.#epoch = randomEpoch()
    const rest = this.#queue.splice(0).filter((m) => m.kind !== 'start' && m.kind !== 'ack')
    // What went to the peer's old self stays lost (it may have delivered it).
    this.#unacked = []
    this.#queued = 0
    this.#seq = 0
    this.start(true)
    for (const msg of rest) this.#enqueue(msg.kind, msg.body)
    if (this.#timer === undefined) this.#pump()
  }

  /**
   * The route to the peer changed: what the old one took and the peer has
   * not acked goes again now, without waiting for something new to send.
   */
  moved(): void {
    if (this.#closed) return
    this.#resend()
    if (this.#timer === undefined) this.#pump()
  }

  /** Queues a message; `rate-limited` when the queue is already full. */
  push(kind: Kind, body: Uint8Array): void {
    if (this.#closed) return
    if (this.#queued > 0 && this.#queued + body.length + ITEM_OVERHEAD > this.#maxQueued) {
      throw P2PError.RATE_LIMITED('queued message bytes for a peer')
    }
    this.#enqueue(kind, body)
    if (this.#timer === undefined) this.#pump()
  }

  #enqueue(kind: Kind, body: Uint8Array): void {
    this.#seq = (this.#seq % 0xffff_ffff) + 1
    this.#queue.push({ kind, seq: this.#seq, body, sent: 0 })
    this.#queued += body.length + ITEM_OVERHEAD
  }

  /** Resolves once no more than `bytes` wait (at once if so now, or when closed). */
  whenBelow(bytes: number): Promise<void> {
    if (this.#closed || this.#queued <= bytes) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.add({ below: bytes, resolve }))
  }

  /** Drops what is left (the peer left). */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#queue.length = 0
    this.#unacked = []
    this.#queued = 0
    this.#wake()
  }

  /** The route changed: what is not acked goes again, whole, before the rest. */
  #resend(): void {
    for (const msg of this.#queue) msg.sent = 0
    const again = this.#unacked.map((m) => ({ ...m, sent: 0 }))
    this.#unacked = []
    const acks = this.#queue.filter((m) => m.kind === 'ack')
    const rest = this.#queue.filter((m) => m.kind !== 'ack')
    this.#queue.splice(0, this.#queue.length, ...acks, ...again, ...rest)
  }

  #pump(): void {
    this.#timer = undefined
    while (!this.#closed && this.#queue.length > 0) {
      const next = nextFrame(this.#queue, FRAME_PAYLOAD - EPOCH_BYTES, EPOCH_BYTES)
      if (!next) break
      new DataView(next.frame.buffer).setUint32(0, this.#epoch)
      const taken = this.#sink(next.frame)
      if (taken === 'gone') return this.close()
      if (taken === 'moved') {
        this.#resend()
        continue
      }
      if (!taken) {
        this.#timer = setTimeout(() => this.#pump(), RETRY_MS)
        break
      }
      const { done } = next.commit()
      for (const msg of this.#queue.splice(0, done)) if (msg.kind !== 'ack') this.#unacked.push(msg)
    }
    this.#wake()
  }

  #wake(): void {
    for (const waiter of this.#waiters) {
      if (this.#closed || this.#queued <= waiter.below) {
        this.#waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }
}
