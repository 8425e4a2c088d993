/**
 * What one peer sends us in one lobby: its frames, each tagged with the
 * epoch of the outbox that sent it (./frames.ts). Within an epoch, messages
 * are reassembled and put in order (Reassembler); a new epoch means the
 * sender started its stream over, numbering from 1, so a fresh reassembler
 * takes it. Frames of an epoch already replaced are late and dropped.
 *
 * Acks in the frames go to `onAck`; `start` messages stay here: one that is not a reply, opening an epoch that
 * replaced another, means the peer lost our stream too (it met us again
 * while we kept it), so `onPeerRestart` has our outbox start over. Any other
 * `start` means the peer's side of the stream has just opened: what we sent
 * before that may have found nobody there, so `onPeerStart` sends what is
 * not acked again (a copy it already has is dropped by its number).
 */
import { P2PError } from '../errors.js'
import { EPOCH_BYTES, Reassembler, type Delivered, type ReassemblerOptions } from './frames.js'

/** Replaced epochs remembered, so that their late frames are not taken for a new one. */
const RETIRED = 8

export interface InboxOptions extends ReassemblerOptions {
  /** The peer started over and lost what we sent: restart our outbox. */
  onPeerRestart?: () => void
  /** The peer's stream opened (its first start, or a reply): send what is not acked again. */
  onPeerStart?: () => void
  /** The peer acked our messages of `epoch` through `seq`. */
  onAck?: (epoch: number, seq: number) => void
}

export class Inbox {
  readonly #opts: InboxOptions
  #epoch: number | undefined
  #retired: number[] = []
  #stream: Reassembler
  #restarted = false

  constructor(opts: InboxOptions = {}) {
    this.#opts = opts
    this.#stream = new Reassembler(opts)
  }

  /** Whether the current epoch replaced an earlier one (the sender started over). */
  get restarted(): boolean {
    return this.#restarted
  }

  /** The sender's current epoch (0 before its first frame). */
  get epoch(): number {
    return this.#epoch ?? 0
  }

  /** The last message of the current epoch delivered (or given up on). */
  get delivered(): number {
    return this.#stream.delivered
  }

  /** Whether anything waits (a partial message or one behind a gap). */
  get waiting(): boolean {
    return this.#stream.waiting
  }

  /** Takes one frame's payload; returns the messages now deliverable, in order. */
  push(payload: Uint8Array, now: number): Delivered[] {
    const delivered = this.#push(payload, now)
    for (const [epoch, seq] of this.#stream.takeAcks()) this.#opts.onAck?.(epoch, seq)
    return this.#opened(delivered)
  }

  /** Gives up on stale gaps (Reassembler.expire). */
  expire(now: number): Delivered[] {
    return this.#opened(this.#stream.expire(now))
  }

  #opened(messages: Delivered[]): Delivered[] {
    return messages.filter((msg) => {
      if (msg.kind !== 'start') return true
      if (msg.body[0] === 0 && this.#restarted) this.#opts.onPeerRestart?.()
      else this.#opts.onPeerStart?.()
      return false
    })
  }

  #push(payload: Uint8Array, now: number): Delivered[] {
    if (payload.length < EPOCH_BYTES) throw P2PError.PROTOCOL_ERROR('peer', 'frame without epoch')
    const epoch = new DataView(payload.buffer, payload.byteOffset).getUint32(0)
    const records = payload.subarray(EPOCH_BYTES)
    if (epoch === this.#epoch) return this.#stream.push(records, now)
    if (this.#retired.includes(epoch)) return []
    let out: Delivered[] = []
    if (this.#epoch !== undefined) {
      // What the old epoch completed still goes, in order; its gaps never fill.
      out = this.#stream.flush()
      this.#retired = [this.#epoch, ...this.#retired].slice(0, RETIRED)
      this.#stream = new Reassembler(this.#opts)
      this.#restarted = true
    }
    this.#epoch = epoch
    return [...out, ...this.#stream.push(records, now)]
  }
}
