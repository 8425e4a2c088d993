/**
 * A byte stream over one connection-level channel (frame scope '') of ONE
 * connection: what hypercore's Noise stream runs on. A byte stream never hops
 * connections (the data channel is ordered and reliable; two of them are not
 * ordered with each other, and Noise breaks on reordering), so when a
 * connection goes, its stream is destroyed and a new one starts elsewhere.
 *
 * Each frame's payload is one tag byte and its body:
 *
 *   0x00 ‖ bytes   data: batches cut into chunks of at most CHUNK_SIZE bytes;
 *                  while the data channel holds more than `maxBuffered`
 *                  bytes (or the connection refuses a send), writing waits
 *   0x01           open: "I have a stream on this connection", so the remote
 *                  opens its end here even when it meant to use another one
 *                  (without it, two responders on two connections would each
 *                  wait for the other's first message)
 *   0x02           end: the writer is done (`_final`); read as end of stream
 *
 * Unknown tags are skipped (a newer peer's). A reader that falls `maxUnread`
 * bytes behind destroys the stream (`rate-limited`) instead of buffering
 * without bound.
 */
import { Duplex } from 'streamx'
import { P2PError } from '../errors.js'
import type { ConnectionState } from '../swarm/connection.js'
import { MAX_FRAME } from '../swarm/frames.js'

/** Bytes per frame: well under MAX_FRAME and the 16 KiB every WebRTC stack takes. */
export const CHUNK_SIZE = 16 * 1024
/** Data channel backlog above which writing waits (the connection's hard cap is 1 MiB). */
export const WRITE_BUFFERED = 256 * 1024
/** Bytes received but not yet read, above which the stream is destroyed. */
export const MAX_UNREAD = 4 * 1024 * 1024

const DATA = 0x00
const OPEN = 0x01
const END = 0x02

/** What a ChannelStream needs of a Connection (which satisfies it). */
export interface ChannelLink {
  readonly state: ConnectionState
  /** Bytes waiting on the data channel. */
  readonly bufferedAmount: number
  /** The remote's hello (the channels it speaks), once ready. */
  readonly remote: { readonly extensions: readonly string[] } | null
  sendChannel(channel: string, scope: string, payload: Uint8Array): boolean
}

export interface ChannelStreamOptions {
  chunkSize?: number
  maxBuffered?: number
  maxUnread?: number
  /** Between checks of a backed-up data channel, ms. */
  pollInterval?: number
}

/**
 * The bytes of `batch` in order, as chunks of at most `size` bytes: small
 * buffers are joined, large ones split, empty ones dropped.
 */
export function chunk(batch: readonly Uint8Array[], size: number): Uint8Array[] {
  if (!Number.isSafeInteger(size) || size < 1) throw P2PError.INVALID_ARGUMENT('bad chunk size')
  let total = 0
  for (const buf of batch) total += buf.byteLength
  if (total === 0) return []
  let joined: Uint8Array
  if (batch.length === 1) joined = batch[0] as Uint8Array
  else {
    joined = new Uint8Array(total)
    let at = 0
    for (const buf of batch) {
      joined.set(buf, at)
      at += buf.byteLength
    }
  }
  const out: Uint8Array[] = []
  for (let at = 0; at < total; at += size) out.push(joined.subarray(at, at + size))
  return out
}

type Done = (err: Error | null) => void

export class ChannelStream extends Duplex {
  readonly link: ChannelLink
  readonly channel: string
  readonly #chunkSize: number
  readonly #maxBuffered: number
  readonly #maxUnread: number
  readonly #pollInterval: number
  #unread = 0
  #remoteEnded = false
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(link: ChannelLink, channel: string, opts: ChannelStreamOptions = {}) {
    super()
    this.link = link
    this.channel = channel
    this.#chunkSize = opts.chunkSize ?? CHUNK_SIZE
    this.#maxBuffered = opts.maxBuffered ?? WRITE_BUFFERED
    this.#maxUnread = opts.maxUnread ?? MAX_UNREAD
    this.#pollInterval = opts.pollInterval ?? 10
    // 3 bytes of frame header, the name and the tag: the rest of MAX_FRAME is data.
    const room = MAX_FRAME - 4 - new TextEncoder().encode(channel).length
    if (this.#chunkSize > room) throw P2PError.INVALID_ARGUMENT('chunk size over the frame limit')
  }

  /** Tells the remote this connection carries our stream (sent once, when we open it). */
  announce(): void {
    if (!this.#gone()) this.link.sendChannel(this.channel, '', Uint8Array.of(OPEN))
  }

  /** A frame payload from the remote, in order. */
  receive(payload: Uint8Array): void {
    if (this.destroying || this.#remoteEnded) return
    const tag = payload[0]
    if (tag === END) {
      this.#remoteEnded = true
      this.push(null)
      return
    }
    if (tag !== DATA || payload.byteLength === 1) return
    this.#unread += payload.byteLength - 1
    if (this.#unread > this.#maxUnread) {
      this.destroy(P2PError.RATE_LIMITED(`unread bytes on channel ${this.channel}`))
      return
    }
    this.push(payload.subarray(1))
  }

  override _read(cb: Done): void {
    // Called once what was pushed has been taken below the high-water mark.
    this.#unread = 0
    cb(null)
  }

  override _writev(batch: unknown[], cb: Done): void {
    if (!batch.every((b) => b instanceof Uint8Array)) {
      cb(P2PError.INVALID_ARGUMENT('a channel stream carries bytes only'))
      return
    }
    const frames = chunk(batch, this.#chunkSize).map((data) => {
      const frame = new Uint8Array(1 + data.byteLength)
      frame[0] = DATA
      frame.set(data, 1)
      return frame
    })
    this.#send(frames, 0, cb)
  }

  override _final(cb: Done): void {
    this.#send([Uint8Array.of(END)], 0, cb)
  }

  override _destroy(cb: Done): void {
    clearTimeout(this.#timer)
    cb(null)
  }

  #gone(): P2PError | null {
    if (this.link.state !== 'ready') return P2PError.NOT_CONNECTED('the connection closed')
    if (!this.link.remote?.extensions.includes(this.channel)) {
      return P2PError.NOT_CONNECTED(`the peer does not speak ${this.channel}`)
    }
    return null
  }

  #send(frames: Uint8Array[], from: number, cb: Done): void {
    let i = from
    while (i < frames.length) {
      if (this.destroying) return
      const gone = this.#gone()
      if (gone) {
        cb(gone)
        return
      }
      const busy = this.link.bufferedAmount > this.#maxBuffered
      if (busy || !this.link.sendChannel(this.channel, '', frames[i] as Uint8Array)) {
        this.#timer = setTimeout(() => this.#send(frames, i, cb), this.#pollInterval)
        return
      }
      i++
    }
    cb(null)
  }
}
