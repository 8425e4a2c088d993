/**
 * Small JSON messages from peers (session admission, invite claims): parsed
 * with a size cap, anything malformed is null, and byte fields are base64 of
 * an exact length.
 */
import { fromBase64 } from '../bytes.js'
import { isRecord } from './validate.js'

/** The object a peer sent, or null when it is too big, not JSON or not an object. */
export function peerJson(payload: Uint8Array, max: number): Record<string, unknown> | null {
  if (payload.length > max) return null
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder().decode(payload))
  } catch {
    return null
  }
  return isRecord(raw) ? raw : null
}

/** Base64 of exactly `length` bytes (or none, when `empty`), else null. */
export function peerBytes(raw: unknown, length: number, empty = false): Uint8Array | null {
  if (typeof raw !== 'string') return null
  try {
    const bytes = fromBase64(raw, 'peer message')
    return bytes.length === length || (empty && bytes.length === 0) ? bytes : null
  } catch {
    return null
  }
}
