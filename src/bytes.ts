/**
 * Bytes as text for the hops that carry JSON (runtime.Port is JSON-serialised
 * in Chrome): base64, strict on the way in. Uses the browser's own
 * `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` where there are
 * (Chrome 140+), which matters for megabyte lobby messages.
 */
import { P2PError } from './errors.js'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string
}
const nativeTo = (Uint8Array.prototype as NativeBase64).toBase64
const nativeFrom = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array })
  .fromBase64

export function toBase64(bytes: Uint8Array): string {
  if (nativeTo) return nativeTo.call(bytes)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** Decodes base64; anything else is `invalid-argument` naming `what`. */
export function fromBase64(text: string, what: string): Uint8Array {
  let binary: string
  try {
    if (text.length % 4 !== 0 || !BASE64.test(text)) throw new Error()
    if (nativeFrom) return nativeFrom(text)
    binary = atob(text)
  } catch {
    throw P2PError.INVALID_ARGUMENT(`${what} is not base64`)
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
