/**
 * Framing on a peer data channel: one data channel message is one frame.
 *
 *   control: 0x00 ‖ UTF-8 JSON               hello, join, leave, ping, bye
 *   channel: 0x01 ‖ u8 n ‖ name (n bytes) ‖ u8 s ‖ scope (s = 0 or 20 bytes) ‖ payload
 *
 * Channels are the named extensions a peer declared in its hello
 * (`session-data`, later `rpc`…); the scope is the topic a message belongs
 * to, so one connection serves every lobby two peers share without mixing
 * their data. Frames come from peers: they are size-capped and checked, and
 * anything malformed is a `protocol-error`.
 */
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import { parseHello, type Hello } from './hello.js'

export const MAX_FRAME = 64 * 1024
export const MAX_CONTROL = 8 * 1024
const CONTROL = 0x00
const CHANNEL = 0x01
const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/
const TOPIC = /^[0-9a-f]{40}$/

export type LeaveReason = 'left' | 'full'
export type ByeReason = 'closing' | 'duplicate'

export type Control =
  | { t: 'hello'; hello: Hello }
  /** I am in this topic with you (seq orders joins and leaves per sender). */
  | { t: 'join'; topic: string; seq: number }
  | { t: 'leave'; topic: string; seq: number; reason: LeaveReason }
  | { t: 'ping' }
  /**
   * I close this connection on purpose: `closing` for good, `duplicate`
   * because another one wins (then nothing but a `fin` follows from me).
   */
  | { t: 'bye'; reason: ByeReason }
  /** I have your `duplicate` bye, so everything you sent before it. */
  | { t: 'fin' }

export type Frame =
  | { kind: 'control'; msg: Control }
  | { kind: 'channel'; channel: string; scope: string; payload: Uint8Array }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeControl(msg: Control): Uint8Array {
  const json = encoder.encode(JSON.stringify(msg))
  const out = new Uint8Array(1 + json.length)
  out[0] = CONTROL
  out.set(json, 1)
  return out
}

/** A channel frame; `scope` is a topic's hex or '' for the connection itself. */
export function encodeChannel(channel: string, scope: string, payload: Uint8Array): Uint8Array {
  if (!CHANNEL_NAME.test(channel)) throw P2PError.INVALID_ARGUMENT(`bad channel name "${channel}"`)
  if (scope !== '' && !TOPIC.test(scope)) throw P2PError.INVALID_ARGUMENT('bad channel scope')
  const name = encoder.encode(channel)
  const scopeBytes = scope ? hexToBytes(scope) : new Uint8Array(0)
  const size = 3 + name.length + scopeBytes.length + payload.length
  if (size > MAX_FRAME) throw P2PError.PAYLOAD_TOO_LARGE(size, MAX_FRAME)
  const out = new Uint8Array(size)
  out[0] = CHANNEL
  out[1] = name.length
  out.set(name, 2)
  out[2 + name.length] = scopeBytes.length
  out.set(scopeBytes, 3 + name.length)
  out.set(payload, 3 + name.length + scopeBytes.length)
  return out
}

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('peer', what)
}

function seqOf(raw: Record<string, unknown>): number {
  const seq = own(raw, 'seq')
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw bad('bad seq')
  return seq
}

function topicOf(raw: Record<string, unknown>): string {
  const topic = own(raw, 'topic')
  if (typeof topic !== 'string' || !TOPIC.test(topic)) throw bad('bad topic')
  return topic
}

function parseControl(bytes: Uint8Array): Control | null {
  if (bytes.length > MAX_CONTROL) throw bad(`control frame of ${bytes.length} bytes`)
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(bytes))
  } catch {
    throw bad('control frame is not UTF-8 JSON')
  }
  if (!isRecord(raw)) throw bad('control frame is not an object')
  switch (own(raw, 't')) {
    case 'hello':
      return { t: 'hello', hello: parseHello(own(raw, 'hello')) }
    case 'join':
      return { t: 'join', topic: topicOf(raw), seq: seqOf(raw) }
    case 'leave': {
      const reason = own(raw, 'reason') === 'full' ? 'full' : 'left'
      return { t: 'leave', topic: topicOf(raw), seq: seqOf(raw), reason }
    }
    case 'ping':
      return { t: 'ping' }
    case 'bye':
      return { t: 'bye', reason: own(raw, 'reason') === 'duplicate' ? 'duplicate' : 'closing' }
    case 'fin':
      return { t: 'fin' }
    default:
      // A newer peer's control message: not ours to understand, not an error.
      return null
  }
}

/** Decodes one data channel message; null for frames a newer peer may send that we skip. */
export function decodeFrame(data: Uint8Array | ArrayBuffer | string): Frame | null {
  if (typeof data === 'string') throw bad('text frame')
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  if (bytes.length === 0) throw bad('empty frame')
  if (bytes.length > MAX_FRAME) throw bad(`frame of ${bytes.length} bytes is over ${MAX_FRAME}`)
  if (bytes[0] === CONTROL) {
    const msg = parseControl(bytes.subarray(1))
    return msg ? { kind: 'control', msg } : null
  }
  if (bytes[0] !== CHANNEL) return null
  const nameLength = bytes[1] ?? 0
  const scopeAt = 2 + nameLength
  if (bytes.length < scopeAt + 1) throw bad('truncated channel frame')
  let channel: string
  try {
    channel = decoder.decode(bytes.subarray(2, scopeAt))
  } catch {
    throw bad('channel name is not UTF-8')
  }
  if (!CHANNEL_NAME.test(channel)) throw bad('bad channel name')
  const scopeLength = bytes[scopeAt] ?? 0
  if (scopeLength !== 0 && scopeLength !== 20) throw bad('bad channel scope')
  const payloadAt = scopeAt + 1 + scopeLength
  if (bytes.length < payloadAt) throw bad('truncated channel frame')
  const scope = scopeLength ? bytesToHex(bytes.subarray(scopeAt + 1, payloadAt)) : ''
  return { kind: 'channel', channel, scope, payload: bytes.slice(payloadAt) }
}
