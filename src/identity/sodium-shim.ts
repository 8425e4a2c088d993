/**
 * sodium-javascript plus the Ed25519 scalar multiplications it lacks.
 *
 * Browser bundles alias `sodium-native` to ./sodium-native.cjs, which hands
 * out this object, so sodium-universal (and through it hypercore,
 * noise-handshake and noise-curve-ed) gets one complete sodium API. Hypercore
 * replication needs `crypto_scalarmult_ed25519_noclamp`: the Noise handshake's
 * DH over Ed25519 keys (noise-curve-ed) calls it for every connection.
 *
 * The functions follow libsodium's contract (crypto_scalarmult/ed25519.c):
 * the point must be a canonical encoding of a point in the prime-order
 * subgroup and not of small order; the scalar's top bit is ignored; a zero
 * scalar or an identity result is an error. Like sodium-native, failures
 * throw instead of returning -1.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import sodiumJavascript from 'sodium-javascript'

export const crypto_scalarmult_ed25519_BYTES = 32
export const crypto_scalarmult_ed25519_SCALARBYTES = 32

const Point = ed25519.Point
/** The order of the prime-order subgroup, ℓ = 2^252 + 27742317777372353535851937790883648493. */
const L = Point.Fn.ORDER

function check(buf: Uint8Array, length: number, what: string): void {
  if (!(buf instanceof Uint8Array) || buf.byteLength !== length) {
    throw new TypeError(`${what} must be a ${length}-byte Uint8Array`)
  }
}

/** A 32-byte little-endian scalar as libsodium reads it: top bit cleared, optionally clamped. */
function scalarOf(n: Uint8Array, clamp: boolean): bigint {
  const t = Uint8Array.from(n)
  if (clamp) {
    t[0] = (t[0] ?? 0) & 248
    t[31] = ((t[31] ?? 0) & 127) | 64
  } else {
    t[31] = (t[31] ?? 0) & 127
  }
  let s = 0n
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(t[i] ?? 0)
  return s
}

/** Decodes `p` the way libsodium accepts it for scalar multiplication, or throws. */
function pointOf(p: Uint8Array): InstanceType<typeof Point> {
  let point: InstanceType<typeof Point>
  try {
    // zip215 = false: only canonical encodings (y < 2^255 - 19), as libsodium.
    point = Point.fromBytes(p, false)
  } catch {
    throw new Error('invalid Ed25519 point')
  }
  if (point.isSmallOrder() || !point.isTorsionFree()) {
    throw new Error('Ed25519 point is of small order or outside the main subgroup')
  }
  return point
}

function multiply(q: Uint8Array, n: Uint8Array, point: InstanceType<typeof Point>, clamp: boolean) {
  const s = scalarOf(n, clamp) % L
  // The point has order ℓ, so s ≡ 0 (mod ℓ) is exactly the identity result libsodium refuses.
  if (s === 0n) throw new Error('Ed25519 scalar multiplication gave the identity point')
  q.set(point.multiply(s).toBytes())
}

/** q = n·p without clamping n (libsodium `crypto_scalarmult_ed25519_noclamp`). */
export function crypto_scalarmult_ed25519_noclamp(q: Uint8Array, n: Uint8Array, p: Uint8Array) {
  check(q, crypto_scalarmult_ed25519_BYTES, 'q')
  check(n, crypto_scalarmult_ed25519_SCALARBYTES, 'n')
  check(p, crypto_scalarmult_ed25519_BYTES, 'p')
  multiply(q, n, pointOf(p), false)
}

/** q = clamp(n)·p (libsodium `crypto_scalarmult_ed25519`). */
export function crypto_scalarmult_ed25519(q: Uint8Array, n: Uint8Array, p: Uint8Array) {
  check(q, crypto_scalarmult_ed25519_BYTES, 'q')
  check(n, crypto_scalarmult_ed25519_SCALARBYTES, 'n')
  check(p, crypto_scalarmult_ed25519_BYTES, 'p')
  multiply(q, n, pointOf(p), true)
}

/** q = n·B for the Ed25519 base point, n not clamped (`crypto_scalarmult_ed25519_base_noclamp`). */
export function crypto_scalarmult_ed25519_base_noclamp(q: Uint8Array, n: Uint8Array) {
  check(q, crypto_scalarmult_ed25519_BYTES, 'q')
  check(n, crypto_scalarmult_ed25519_SCALARBYTES, 'n')
  multiply(q, n, Point.BASE, false)
}

/** q = clamp(n)·B (`crypto_scalarmult_ed25519_base`). */
export function crypto_scalarmult_ed25519_base(q: Uint8Array, n: Uint8Array) {
  check(q, crypto_scalarmult_ed25519_BYTES, 'q')
  check(n, crypto_scalarmult_ed25519_SCALARBYTES, 'n')
  multiply(q, n, Point.BASE, true)
}

/** The whole sodium API: sodium-javascript's functions and constants plus the ones above. */
const sodium: Record<string, unknown> = {
  ...sodiumJavascript,
  crypto_scalarmult_ed25519_BYTES,
  crypto_scalarmult_ed25519_SCALARBYTES,
  crypto_scalarmult_ed25519_noclamp,
  crypto_scalarmult_ed25519,
  crypto_scalarmult_ed25519_base_noclamp,
  crypto_scalarmult_ed25519_base,
}

export default sodium
