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
 */
import { P2PError } from '../errors.js'
import { EPOCH_BYTES, FRAME_PAYLOAD, nextFrame, type Kind, type Outgoing } from './frames.js'
import { ITEM_OVERHEAD } from './value.js'

/** Sends one frame: true when taken, false when backed up (try later), 'gone' when it never will be. */
export type FrameSink = (frame: Uint8Array) => boolean | 'gone'

/** How long to wait before offering a refused frame again, ms. */
const RETRY_MS = 2

function randomEpoch(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
}

export class Outbox {
  readonly #sink: FrameSink
  readonly #maxQueued: number
  readonly #queue: Outgoing[] = []
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

  /** Bytes of message bodies not yet handed to the channel, plus ITEM_OVERHEAD per message. */
  get queued(): number {
    return this.#queued
  }

  get closed(): boolean {
    return this.#closed
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
    const rest = this.#queue.splice(0).filter((m) => m.kind !== 'start')
    this.#queued = 0
    this.#seq = 0
    this.start(true)
    for (const msg of rest) this.#enqueue(msg.kind, msg.body)
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
    this.#queued = 0
    this.#wake()
  }

  #pump(): void {
    this.#timer = undefined
    while (!this.#closed && this.#queue.length > 0) {
      const next = nextFrame(this.#queue, FRAME_PAYLOAD - EPOCH_BYTES, EPOCH_BYTES)
      if (!next) break
      new DataView(next.frame.buffer).setUint32(0, this.#epoch)
      const taken = this.#sink(next.frame)
      if (taken === 'gone') return this.close()
      if (!taken) {
        this.#timer = setTimeout(() => this.#pump(), RETRY_MS)
        break
      }
      const { done, bytes } = next.commit()
      this.#queued -= bytes + done * ITEM_OVERHEAD
      this.#queue.splice(0, done)
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
