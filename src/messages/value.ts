/**
 * Lobby message data as bytes: "JSON plus Uint8Array" (API.md `broadcast`,
 * `send`, `request`), encoded once by the sending page and decoded once by
 * the receiving page. Everything between (service worker, engines, peers)
 * carries the bytes unread.
 *
 *   u32 n ‖ JSON text (n bytes, UTF-8) ‖ for each binary: u32 length ‖ bytes
 *
 * In the JSON, a Uint8Array is `{"$bytes": i}` (the i-th binary after the
 * text). So that no object of the page's can pass for one, object keys that
 * start with `$` get one more `$` (`"$x"` → `"$$x"`) and lose it on decoding.
 * Integers are big-endian.
 *
 * Data is checked on the way in (`invalid-argument` for what JSON cannot
 * hold: functions, cycles, class instances, non-finite numbers…) and on the
 * way out (bytes come from peers: anything malformed is `protocol-error`).
 */
import { P2PError } from '../errors.js'

/** Biggest encoded message: 16 MiB (API.md: larger data is `payload-too-large`). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024
/**
 * What a queued message costs beyond its bytes, counted against the queue
 * caps (page and engine): a tiny message still takes hundreds of bytes on
 * its way, so a tight loop of them must hit the cap, not use gigabytes.
 */
export const ITEM_OVERHEAD = 512
/** Deepest nesting of arrays and objects. */
export const MAX_DEPTH = 64
const BYTES_KEY = '$bytes'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Sets an own key, even `__proto__`, without touching the prototype. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

/** The JSON-safe form of `value`, with its binaries taken out into `bins`. */
function toJson(value: unknown, bins: Uint8Array[], depth: number, seen: Set<object>): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw P2PError.INVALID_ARGUMENT(`data holds the number ${value}`)
    return value
  }
  if (typeof value !== 'object') {
    throw P2PError.INVALID_ARGUMENT(`data holds a ${typeof value}; use JSON values and Uint8Array`)
  }
  if (value instanceof Uint8Array) {
    bins.push(value)
    return { [BYTES_KEY]: bins.length - 1 }
  }
  if (depth >= MAX_DEPTH) throw P2PError.INVALID_ARGUMENT(`data is nested over ${MAX_DEPTH} deep`)
  if (seen.has(value)) throw P2PError.INVALID_ARGUMENT('data holds a cycle')
  seen.add(value)
  let out: unknown
  if (Array.isArray(value)) {
    out = value.map((item) => (item === undefined ? null : toJson(item, bins, depth + 1, seen)))
  } else if (isPlainObject(value)) {
    const obj: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue
      define(obj, key.startsWith('$') ? `$${key}` : key, toJson(item, bins, depth + 1, seen))
    }
    out = obj
  } else {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    throw P2PError.INVALID_ARGUMENT(
      `data holds a ${typeof name === 'string' ? name.slice(0, 40) : 'class instance'}; ` +
        'use JSON values and Uint8Array',
    )
  }
  seen.delete(value)
  return out
}

function writeU32(out: Uint8Array, at: number, n: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, n)
}

function readU32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw P2PError.PROTOCOL_ERROR('peer', 'truncated message data')
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at)
}

/** Encodes `value`; `invalid-argument` for what it cannot hold, `payload-too-large` over `max`. */
export function encodeValue(value: unknown, max = MAX_MESSAGE_BYTES): Uint8Array {
  const bins: Uint8Array[] = []
  const text = encoder.encode(JSON.stringify(toJson(value, bins, 0, new Set())))
  let size = 4 + text.length
  for (const bin of bins) size += 4 + bin.length
  if (size > max) throw P2PError.PAYLOAD_TOO_LARGE(size, max)
  const out = new Uint8Array(size)
  writeU32(out, 0, text.length)
  out.set(text, 4)
  let at = 4 + text.length
  for (const bin of bins) {
    writeU32(out, at, bin.length)
    out.set(bin, at + 4)
    at += 4 + bin.length
  }
  return out
}

function fromJson(raw: unknown, bins: Uint8Array[], used: Set<number>, depth: number): unknown {
  if (raw === null || typeof raw !== 'object') return raw
  if (depth >= MAX_DEPTH) throw P2PError.PROTOCOL_ERROR('peer', 'message data nested too deep')
  if (Array.isArray(raw)) return raw.map((item) => fromJson(item, bins, used, depth + 1))
  const obj = raw as Record<string, unknown>
  const keys = Object.keys(obj)
  if (keys.length === 1 && keys[0] === BYTES_KEY) {
    const i = obj[BYTES_KEY]
    const bin = typeof i === 'number' ? bins[i] : undefined
    if (!bin || used.has(i as number)) throw P2PError.PROTOCOL_ERROR('peer', 'bad binary reference')
    used.add(i as number)
    return bin
  }
  // A fresh object; own keys only, so `__proto__` in the text stays a plain key.
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const value = fromJson(obj[key], bins, used, depth + 1)
    const name = key.startsWith('$$') ? key.slice(1) : key
    if (key.startsWith('$') && !key.startsWith('$$')) {
      throw P2PError.PROTOCOL_ERROR('peer', 'unescaped $ key in message data')
    }
    define(out, name, value)
  }
  return out
}

/** Decodes bytes from `encodeValue`; anything malformed is `protocol-error`. */
export function decodeValue(bytes: Uint8Array): unknown {
  const textLength = readU32(bytes, 0)
  if (4 + textLength > bytes.length) throw P2PError.PROTOCOL_ERROR('peer', 'truncated message data')
  const bins: Uint8Array[] = []
  let at = 4 + textLength
  while (at < bytes.length) {
    const n = readU32(bytes, at)
    if (at + 4 + n > bytes.length) throw P2PError.PROTOCOL_ERROR('peer', 'truncated binary')
    bins.push(bytes.slice(at + 4, at + 4 + n))
    at += 4 + n
  }
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(bytes.subarray(4, 4 + textLength)))
  } catch {
    throw P2PError.PROTOCOL_ERROR('peer', 'message data is not UTF-8 JSON')
  }
  const used = new Set<number>()
  const value = fromJson(raw, bins, used, 0)
  if (used.size !== bins.length) throw P2PError.PROTOCOL_ERROR('peer', 'unreferenced binary')
  return value
}
