/**
 * A byte stream over one connection-level channel (frame scope '') of ONE
 * connection: what hypercore's Noise stream runs on. A byte stream never hops
 * connections (the data channel is ordered and reliable; two of them are not
 * ordered with each other, and Noise breaks on reordering), so when a
 * connection goes, its stream is destroyed and a new one starts elsewhere.
 *
 *   write: batches are cut into chunks of at most CHUNK_SIZE bytes, one frame
 *          each; while the data channel holds more than `maxBuffered` bytes
 *          (or the connection refuses a send), writing waits: backpressure.
 *   end:   an empty payload, sent by `_final` and read as the remote's end.
 *   read:  payloads in order; a reader that falls `maxUnread` bytes behind
 *          destroys the stream (`rate-limited`) instead of buffering without
 *          bound.
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
 * buffers are joined, large ones split, empty ones dropped (an empty payload
 * means end of stream on the wire).
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
    // 3 bytes of frame header and the name: the rest of MAX_FRAME is payload.
    const room = MAX_FRAME - 3 - new TextEncoder().encode(channel).length
    if (this.#chunkSize > room) throw P2PError.INVALID_ARGUMENT('chunk size over the frame limit')
  }

  /** A payload from the remote, in order; an empty one is its end of stream. */
  receive(payload: Uint8Array): void {
    if (this.destroying || this.#remoteEnded) return
    if (payload.byteLength === 0) {
      this.#remoteEnded = true
      this.push(null)
      return
    }
    this.#unread += payload.byteLength
    if (this.#unread > this.#maxUnread) {
      this.destroy(P2PError.RATE_LIMITED(`unread bytes on channel ${this.channel}`))
      return
    }
    this.push(payload)
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
    this.#send(chunk(batch, this.#chunkSize), 0, cb)
  }

  override _final(cb: Done): void {
    this.#send([new Uint8Array(0)], 0, cb)
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

  #send(chunks: Uint8Array[], from: number, cb: Done): void {
    let i = from
    while (i < chunks.length) {
      if (this.destroying) return
      const gone = this.#gone()
      if (gone) {
        cb(gone)
        return
      }
      const busy = this.link.bufferedAmount > this.#maxBuffered
      if (busy || !this.link.sendChannel(this.channel, '', chunks[i] as Uint8Array)) {
        this.#timer = setTimeout(() => this.#send(chunks, i, cb), this.#pollInterval)
        return
      }
      i++
    }
    cb(null)
  }
}
