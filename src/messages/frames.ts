/**
 * Lobby messages on a connection: the `messages` channel (beside
 * `session-data`), scoped to the lobby's topic. Each direction of each
 * (peer, lobby) pair is one stream of messages numbered from 1 (`seq`).
 *
 * A channel frame's payload is the sending stream's epoch and a run of
 * records, so that small messages share a frame and a big one spans many
 * (chunking):
 *
 *   payload: u32 epoch ‖ record…
 *   record:  u8 kind ‖ u32 seq ‖ u32 total ‖ u32 offset ‖ u32 n ‖ n bytes
 *
 * The epoch is random per outbox: a sender that started over (it lost the
 * peer and met it again while the receiver kept it) numbers from 1 again
 * under a new epoch, and the receiver starts a fresh reassembler for it.
 *
 * `total` is the whole message body; `offset`/`n` place this piece in it.
 * Bodies by kind:
 *
 *   data      the page's encoded value (./value.ts), unread here
 *   request   u32 id ‖ u8 m ‖ module (m bytes, UTF-8) ‖ value
 *   response  u32 id ‖ u8 status (0 ok, 1 error) ‖ value, or JSON {code, message}
 *   start     u8 reply: the first message of every epoch. A start that is not
 *             a reply, from a peer whose earlier epoch we knew, means it lost
 *             our stream too: we start ours over (with a reply start).
 *   ack       u32 epoch ‖ u32 seq, with seq 0 in the record: not a message of
 *             the stream but the receiver's word that it has every message
 *             of the sender's `epoch` through `seq` (cumulative). The sender
 *             keeps what is not acked and sends it again when its route to
 *             the peer changes (a new connection), so a dead connection
 *             loses nothing; the receiver drops what it already has.
 *
 * The receiver reassembles per sender and delivers in `seq` order, once:
 * old numbers are dropped, early ones wait for the gap to fill (a sender
 * may switch connections mid-stream) and give up on it after `gapMs` without
 * progress, or `maxGapMs` in all. What it holds is capped (`maxHeld` bytes,
 * a protocol error beyond; each message held also costs ITEM_OVERHEAD, so the
 * cap bounds how many are held, empty ones too) and a piece counts towards
 * its message only for the bytes no earlier piece brought (resent pieces are
 * not progress).
 */
import { P2PError, type WireError } from '../errors.js'
import { MODULE_NAME } from '../protocol/lobby-messages.js'
import { MAX_FRAME } from '../swarm/frames.js'
import { ITEM_OVERHEAD, MAX_MESSAGE_BYTES } from './value.js'

/** Version 2: epochs, acks and resends (a peer speaking the first version is told not-supported). */
export const MESSAGES_CHANNEL = 'messages-v2'
/** Payload bytes of one frame: MAX_FRAME less the channel frame's own header. */
export const FRAME_PAYLOAD = MAX_FRAME - 3 - MESSAGES_CHANNEL.length - 20
export const RECORD_HEADER = 17
/** The epoch in front of a frame's records. */
export const EPOCH_BYTES = 4
/** Largest body: the page's value plus a request's or response's header. */
export const MAX_BODY = MAX_MESSAGE_BYTES + 512
/** Messages of one sender being reassembled at once (a stream sends one after the other). */
const MAX_PARTIAL = 4
/** Most bytes one stream may hold (partial and out-of-order messages): two big messages and change. */
export const MAX_HELD = 2 * MAX_BODY + 4 * 1024 * 1024
/** Pieces of one message out of order at once (a switch of connection makes a few). */
const MAX_RANGES = 64

export type Kind = 'data' | 'request' | 'response' | 'start' | 'ack'
const KIND_BYTE: Record<Kind, number> = { data: 1, request: 2, response: 3, start: 4, ack: 5 }
const KINDS: readonly Kind[] = ['data', 'request', 'response', 'start', 'ack']

/** An ack record's body: the sender's epoch and the last of its messages we have. */
export function encodeAck(epoch: number, seq: number): Uint8Array {
  const out = new Uint8Array(8)
  view(out).setUint32(0, epoch)
  view(out).setUint32(4, seq)
  return out
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('peer', what)
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** One message waiting to go, or going: its body is sent from `sent` on. */
export interface Outgoing {
  kind: Kind
  seq: number
  body: Uint8Array
  sent: number
}

/**
 * The next frame from the head of `queue`: whole small messages and pieces of
 * big ones, up to `budget` bytes, after `headroom` bytes left for the caller
 * (the epoch). Nothing is consumed until `commit()` (the channel may refuse
 * the frame now and take it later).
 */
export function nextFrame(
  queue: readonly Outgoing[],
  budget = FRAME_PAYLOAD,
  headroom = 0,
): { frame: Uint8Array; commit(): { done: number; bytes: number } } | null {
  const pieces: Array<{ msg: Outgoing; n: number }> = []
  let size = headroom
  for (const msg of queue) {
    const room = budget - size - RECORD_HEADER
    const left = msg.body.length - msg.sent
    if (room <= 0 || (room < left && room < 1024 && pieces.length > 0)) break
    const n = Math.min(room, left)
    pieces.push({ msg, n })
    size += RECORD_HEADER + n
    if (n < left) break
  }
  if (pieces.length === 0) return null
  const frame = new Uint8Array(size)
  const dv = view(frame)
  let at = headroom
  for (const { msg, n } of pieces) {
    dv.setUint8(at, KIND_BYTE[msg.kind])
    dv.setUint32(at + 1, msg.seq)
    dv.setUint32(at + 5, msg.body.length)
    dv.setUint32(at + 9, msg.sent)
    dv.setUint32(at + 13, n)
    frame.set(msg.body.subarray(msg.sent, msg.sent + n), at + RECORD_HEADER)
    at += RECORD_HEADER + n
  }
  return {
    frame,
    /** Marks the pieces sent; returns how many messages are now whole sent, and body bytes sent. */
    commit() {
      let done = 0
      let bytes = 0
      for (const { msg, n } of pieces) {
        msg.sent += n
        bytes += n
        if (msg.sent === msg.body.length) done++
      }
      return { done, bytes }
    },
  }
}

/** A whole message from a peer. */
export interface Delivered {
  kind: Kind
  seq: number
  body: Uint8Array
}

interface Partial {
  kind: Kind
  body: Uint8Array
  received: number
  /** The byte ranges in, sorted and merged: [start, end) pairs. */
  ranges: Array<[number, number]>
  /** When its last piece came: a big message still arriving is not stale, however long it takes. */
  touched: number
}

export interface ReassemblerOptions {
  /** Give up on a gap or a partial message after this long without progress, ms. */
  gapMs?: number
  /** Give up on a gap after this long whatever progress is made, ms. */
  maxGapMs?: number
  /**
   * Most bytes held (partial messages count their whole size, every message
   * ITEM_OVERHEAD more); more is a protocol error.
   */
  maxHeld?: number
}

/** One sender's stream (one epoch), reassembled and put in order. */
export class Reassembler {
  #next = 1
  #heldBytes = 0
  readonly #acks: Array<[number, number]> = []
  readonly #partial = new Map<number, Partial>()
  readonly #held = new Map<number, { msg: Delivered; since: number }>()
  readonly #gapMs: number
  readonly #maxGapMs: number
  readonly #maxHeld: number

  constructor(opts: ReassemblerOptions = {}) {
    this.#gapMs = opts.gapMs ?? 5_000
    this.#maxGapMs = opts.maxGapMs ?? 30_000
    this.#maxHeld = opts.maxHeld ?? MAX_HELD
  }

  /** The last message delivered (or given up on): what an ack says. */
  get delivered(): number {
    return this.#next - 1
  }

  /** Acks that came with the frames pushed since the last call: [epoch, seq]. */
  takeAcks(): Array<[number, number]> {
    return this.#acks.splice(0)
  }

  /** Bytes held: partial messages at their whole size, and messages behind a gap, plus ITEM_OVERHEAD each. */
  get heldBytes(): number {
    return this.#heldBytes
  }

  /** Whether anything waits (a partial message or one behind a gap). */
  get waiting(): boolean {
    return this.#partial.size > 0 || this.#held.size > 0
  }

  /** Takes one frame's payload; returns the messages now deliverable, in order. */
  push(payload: Uint8Array, now: number): Delivered[] {
    const dv = view(payload)
    let at = 0
    while (at < payload.length) {
      if (at + RECORD_HEADER > payload.length) throw bad('truncated message record')
      const kind = KINDS[dv.getUint8(at) - 1]
      const seq = dv.getUint32(at + 1)
      const total = dv.getUint32(at + 5)
      const offset = dv.getUint32(at + 9)
      const n = dv.getUint32(at + 13)
      at += RECORD_HEADER
      if (!kind) throw bad('unknown message kind')
      if ((seq === 0) !== (kind === 'ack') || total > MAX_BODY)
        throw bad(`message of ${total} bytes`)
      if (offset + n > total || at + n > payload.length || (n === 0 && total > 0)) {
        throw bad('message record out of bounds')
      }
      if (kind === 'ack') {
        if (total !== 8 || n !== 8) throw bad('malformed ack')
        this.#acks.push([dv.getUint32(at), dv.getUint32(at + 4)])
        if (this.#acks.length > 64) this.#acks.shift()
      } else this.#piece(kind, seq, total, offset, payload.subarray(at, at + n), now)
      at += n
    }
    return this.#release()
  }

  /**
   * Gives up on partial messages with no piece for `gapMs`, and on gaps no
   * message has progressed for `gapMs`; returns what that releases.
   */
  expire(now: number): Delivered[] {
    for (const [seq, p] of this.#partial) {
      if (now - p.touched > this.#gapMs) this.#dropPartial(seq)
    }
    // A gap may be a big message still arriving on another connection, but
    // only for so long: a peer trickling it must not hold the rest for ever.
    const progress = Math.max(-Infinity, ...[...this.#partial.values()].map((p) => p.touched))
    const stale = [...this.#held.values()].filter(
      (h) => now - Math.max(h.since, progress) > this.#gapMs || now - h.since > this.#maxGapMs,
    )
    if (stale.length === 0) return []
    return this.#skipTo(this.#firstHeld())
  }

  /** The lowest seq held behind a gap (iterated: the held map may be large, no spread). */
  #firstHeld(): number {
    let first = Infinity
    for (const seq of this.#held.keys()) if (seq < first) first = seq
    return first
  }

  /** The stream ended (its sender started a new epoch): what is whole goes out in order, the rest is lost. */
  flush(): Delivered[] {
    // Sorted once: a skip per message of a scattered hold stays O(n log n);
    // concat, not push(...): a run released at once may be large.
    let out: Delivered[] = []
    const held = [...this.#held.keys()].sort((a, b) => a - b)
    for (const seq of held) if (this.#held.has(seq)) out = out.concat(this.#skipTo(seq))
    for (const seq of [...this.#partial.keys()]) this.#dropPartial(seq)
    return out
  }

  /** Whatever was missing before `seq` is lost: releases from there. */
  #skipTo(seq: number): Delivered[] {
    this.#next = seq
    for (const s of [...this.#partial.keys()]) if (s < seq) this.#dropPartial(s)
    return this.#release()
  }

  #dropPartial(seq: number): void {
    const p = this.#partial.get(seq)
    if (!p) return
    this.#partial.delete(seq)
    this.#heldBytes -= p.body.length + ITEM_OVERHEAD
  }

  #piece(kind: Kind, seq: number, total: number, offset: number, bytes: Uint8Array, now: number) {
    if (seq < this.#next || this.#held.has(seq)) return
    let partial = this.#partial.get(seq)
    if (!partial) {
      if (this.#partial.size >= MAX_PARTIAL) throw bad('too many messages interleaved')
      if (this.#heldBytes + total + ITEM_OVERHEAD > this.#maxHeld)
        throw bad(`more than ${this.#maxHeld} bytes held`)
      partial = { kind, body: new Uint8Array(total), received: 0, ranges: [], touched: now }
      this.#partial.set(seq, partial)
      this.#heldBytes += total + ITEM_OVERHEAD
    } else if (partial.kind !== kind || partial.body.length !== total) {
      throw bad('message pieces disagree')
    }
    const fresh = bytes.length > 0 ? addRange(partial.ranges, offset, offset + bytes.length) : 0
    if (fresh === 0 && bytes.length > 0) return // a piece sent again: no progress
    partial.body.set(bytes, offset)
    partial.received += fresh
    partial.touched = now
    if (partial.received < total) return
    this.#partial.delete(seq)
    this.#held.set(seq, { msg: { kind, seq, body: partial.body }, since: now })
  }

  #release(): Delivered[] {
    const out: Delivered[] = []
    for (let h = this.#held.get(this.#next); h; h = this.#held.get(this.#next)) {
      this.#held.delete(this.#next)
      this.#heldBytes -= h.msg.body.length + ITEM_OVERHEAD
      out.push(h.msg)
      this.#next++
    }
    return out
  }
}

/** Adds [start, end) to sorted, merged `ranges`; returns how many of its bytes were new. */
function addRange(ranges: Array<[number, number]>, start: number, end: number): number {
  let covered = 0
  let lo = start
  let hi = end
  // Merge every range that overlaps or touches [start, end).
  let i = 0
  while (i < ranges.length && ranges[i]![1] < start) i++
  let j = i
  while (j < ranges.length && ranges[j]![0] <= end) {
    const [a, b] = ranges[j]!
    covered += Math.max(0, Math.min(b, end) - Math.max(a, start))
    lo = Math.min(lo, a)
    hi = Math.max(hi, b)
    j++
  }
  if (j === i && ranges.length >= MAX_RANGES) throw bad('message pieces scattered')
  ranges.splice(i, j - i, [lo, hi])
  return end - start - covered
}

/** A request's body. */
export function encodeRequest(id: number, module: string, value: Uint8Array): Uint8Array {
  const name = encoder.encode(module)
  if (!MODULE_NAME.test(module)) throw P2PError.INVALID_ARGUMENT(`bad module name "${module}"`)
  const out = new Uint8Array(5 + name.length + value.length)
  view(out).setUint32(0, id)
  out[4] = name.length
  out.set(name, 5)
  out.set(value, 5 + name.length)
  return out
}

export function decodeRequest(body: Uint8Array): { id: number; module: string; value: Uint8Array } {
  if (body.length < 5) throw bad('truncated request')
  const id = view(body).getUint32(0)
  const m = body[4] ?? 0
  if (body.length < 5 + m) throw bad('truncated request')
  let module: string
  try {
    module = decoder.decode(body.subarray(5, 5 + m))
  } catch {
    throw bad('module name is not UTF-8')
  }
  if (!MODULE_NAME.test(module)) throw bad('bad module name')
  return { id, module, value: body.subarray(5 + m) }
}

export type Answer = { ok: true; value: Uint8Array } | { ok: false; error: P2PError }

export function encodeResponse(id: number, answer: Answer): Uint8Array {
  const payload = answer.ok ? answer.value : encoder.encode(JSON.stringify(answer.error.toWire()))
  const out = new Uint8Array(5 + payload.length)
  view(out).setUint32(0, id)
  out[4] = answer.ok ? 0 : 1
  out.set(payload, 5)
  return out
}

export function decodeResponse(body: Uint8Array): { id: number; answer: Answer } {
  if (body.length < 5) throw bad('truncated response')
  const id = view(body).getUint32(0)
  const payload = body.subarray(5)
  if (body[4] === 0) return { id, answer: { ok: true, value: payload } }
  let raw: WireError | null = null
  try {
    if (payload.length <= 2048) raw = JSON.parse(decoder.decode(payload)) as WireError
  } catch {
    raw = null
  }
  return { id, answer: { ok: false, error: P2PError.fromWire(raw) } }
}
