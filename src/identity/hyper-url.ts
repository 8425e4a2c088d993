/**
 * `hyper://<64 hex>` URLs: an identity is named by its hypercore's public key.
 */
import { P2PError } from '../errors.js'

const HYPER_URL = /^hyper:\/\/([0-9a-fA-F]{64})\/?$/

/** The URL of a 32-byte public key. */
export function hyperUrl(key: Uint8Array): string {
  if (key.byteLength !== 32) throw new RangeError('a hypercore key has 32 bytes')
  return `hyper://${toHex(key)}`
}

/** True when `value` is a `hyper://<64 hex>` URL (a trailing slash is allowed). */
export function isHyperUrl(value: unknown): value is string {
  return typeof value === 'string' && HYPER_URL.test(value)
}

/**
 * The canonical form (lowercase hex, no trailing slash) of a hyper URL, or
 * `invalid-argument` naming `what` when it is not one.
 */
export function parseHyperUrl(value: unknown, what = 'url'): string {
  const match = typeof value === 'string' ? HYPER_URL.exec(value) : null
  if (!match?.[1]) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 80)}"` : typeof value
    throw P2PError.INVALID_ARGUMENT(`${what} must be a hyper://<64 hex> URL, got ${shown}`)
  }
  return `hyper://${match[1].toLowerCase()}`
}

/** The 32-byte key a hyper URL names. */
export function keyOfUrl(url: string): Uint8Array {
  return fromHex(parseHyperUrl(url).slice('hyper://'.length))
}

export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('not hex')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}
