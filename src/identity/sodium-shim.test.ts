/**
 * The sodium shim against vectors from two independent sources:
 *
 * - RFC 8032 §7.1 (TEST 1, TEST 2, TEST 3): an Ed25519 public key is
 *   clamp(SHA-512(seed)[0..32])·B, so `crypto_scalarmult_ed25519_base` on that
 *   scalar must give the RFC's public key; and 1·B is the RFC's base point
 *   encoding (y = 4/5, 0x58 0x66 … 0x66).
 * - libsodium itself, through sodium-native (its prebuilt Node binding, a
 *   devDependency): the same inputs, including invalid points and degenerate
 *   scalars, must give the same output or the same refusal.
 *
 * And the Noise DH the replication handshake runs (noise-curve-ed's `dh`,
 * which calls `crypto_scalarmult_ed25519_noclamp`) must agree in both
 * directions, the property the handshake depends on.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import sodium, {
  crypto_scalarmult_ed25519,
  crypto_scalarmult_ed25519_base,
  crypto_scalarmult_ed25519_base_noclamp,
  crypto_scalarmult_ed25519_noclamp,
} from './sodium-shim.js'

type Mult3 = (q: Uint8Array, n: Uint8Array, p: Uint8Array) => void
type Mult2 = (q: Uint8Array, n: Uint8Array) => void
interface NativeSodium {
  crypto_scalarmult_ed25519_noclamp: Mult3
  crypto_scalarmult_ed25519: Mult3
  crypto_scalarmult_ed25519_base_noclamp: Mult2
  crypto_scalarmult_ed25519_base: Mult2
  crypto_sign_keypair(pk: Uint8Array, sk: Uint8Array): void
}

const require = createRequire(import.meta.url)
const native = require('sodium-native') as NativeSodium

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))

/** RFC 8032 §7.1, TESTs 1–3: (secret key seed, public key). */
const RFC8032 = [
  [
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  ],
  [
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  ],
  [
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
  ],
] as const

/** RFC 8032 §5.1: the base point B. */
const BASE_POINT = '5866666666666666666666666666666666666666666666666666666666666666'

function outcome(fn: () => void, q: Uint8Array): string {
  try {
    fn()
    return hex(q)
  } catch {
    return 'refused'
  }
}

/** Runs the shim and libsodium on the same inputs; returns both outcomes. */
function both(name: keyof NativeSodium & keyof typeof sodium, n: Uint8Array, p?: Uint8Array) {
  const ours = sodium[name] as Mult3 & Mult2
  const theirs = native[name] as Mult3 & Mult2
  const q1 = new Uint8Array(32)
  const q2 = new Uint8Array(32)
  // sodium-native checks its argument count: pass p only when there is one.
  return {
    ours: outcome(() => (p ? ours(q1, n, p) : ours(q1, n)), q1),
    libsodium: outcome(() => (p ? theirs(q2, n, p) : theirs(q2, n)), q2),
  }
}

describe('sodium shim: Ed25519 scalar multiplication', () => {
  it('keeps sodium-javascript and adds the missing constants', () => {
    assert.equal(sodium.crypto_scalarmult_ed25519_BYTES, 32)
    assert.equal(sodium.crypto_scalarmult_ed25519_SCALARBYTES, 32)
    assert.equal(typeof sodium.crypto_sign_keypair, 'function')
    assert.equal(typeof sodium.crypto_generichash, 'function')
    assert.equal(sodium.crypto_scalarmult_ed25519_noclamp, crypto_scalarmult_ed25519_noclamp)
  })

  it('gives the RFC 8032 base point for 1·B', () => {
    const one = new Uint8Array(32)
    one[0] = 1
    const q = new Uint8Array(32)
    crypto_scalarmult_ed25519_base_noclamp(q, one)
    assert.equal(hex(q), BASE_POINT)
    crypto_scalarmult_ed25519_noclamp(q, one, unhex(BASE_POINT))
    assert.equal(hex(q), BASE_POINT)
  })

  for (const [i, [seed, publicKey]] of RFC8032.entries()) {
    it(`derives the RFC 8032 TEST ${i + 1} public key from its seed`, () => {
      const h = createHash('sha512').update(unhex(seed)).digest().subarray(0, 32)
      const q = new Uint8Array(32)
      crypto_scalarmult_ed25519_base(q, h) // clamps, as Ed25519 key derivation does
      assert.equal(hex(q), publicKey)
      // The clamped variant on an explicit B is the same multiplication.
      crypto_scalarmult_ed25519(q, h, unhex(BASE_POINT))
      assert.equal(hex(q), publicKey)
    })
  }

  it('matches libsodium on random scalars and points, clamped and not', () => {
    for (let i = 0; i < 24; i++) {
      const pk = new Uint8Array(32)
      native.crypto_sign_keypair(pk, new Uint8Array(64))
      const n = new Uint8Array(randomBytes(32))
      if (i % 3 === 0) n[31] = (n[31] ?? 0) | 0x80 // top bit set: ignored by both
      for (const name of [
        'crypto_scalarmult_ed25519_noclamp',
        'crypto_scalarmult_ed25519',
      ] as const) {
        const r = both(name, n, pk)
        assert.notEqual(r.ours, 'refused')
        assert.equal(r.ours, r.libsodium, `${name} #${i}`)
      }
      for (const name of [
        'crypto_scalarmult_ed25519_base_noclamp',
        'crypto_scalarmult_ed25519_base',
      ] as const) {
        const r = both(name, n)
        assert.notEqual(r.ours, 'refused')
        assert.equal(r.ours, r.libsodium, `${name} #${i}`)
      }
    }
  })

  it('refuses what libsodium refuses: bad points, zero and ℓ scalars', () => {
    const valid = unhex(BASE_POINT)
    const scalar = new Uint8Array(randomBytes(32))
    const zero = new Uint8Array(32)
    // ℓ itself, little-endian: ℓ·B is the identity.
    const ell = unhex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')
    const identity = unhex('01' + '00'.repeat(31))
    const orderTwo = unhex('ec' + 'ff'.repeat(30) + '7f') // y = -1
    const nonCanonical = unhex('ee' + 'ff'.repeat(30) + '7f') // y = p + 1 ≥ p
    const notOnCurve = unhex('02' + '00'.repeat(31))
    // B plus the order-4 point (y = 0): on the curve, outside the prime-order subgroup.
    const orderFour = new Uint8Array(32)
    const mixed = ed25519.Point.BASE.add(ed25519.Point.fromBytes(orderFour)).toBytes()
    const cases: Array<[string, Uint8Array, Uint8Array]> = [
      ['zero scalar', zero, valid],
      ['scalar ℓ', ell, valid],
      ['identity point', scalar, identity],
      ['order-two point', scalar, orderTwo],
      ['order-four point', scalar, orderFour],
      ['non-canonical y', scalar, nonCanonical],
      ['not on the curve', scalar, notOnCurve],
      ['outside the subgroup', scalar, mixed],
    ]
    for (const [what, n, p] of cases) {
      const r = both('crypto_scalarmult_ed25519_noclamp', n, p)
      assert.equal(r.ours, r.libsodium, what)
    }
    const refused = cases
    for (const [what, n, p] of refused) {
      assert.throws(() => crypto_scalarmult_ed25519_noclamp(new Uint8Array(32), n, p), what)
    }
    assert.throws(
      () => crypto_scalarmult_ed25519_noclamp(new Uint8Array(31), scalar, valid),
      TypeError,
    )
  })

  it('agrees on the DH secret from both sides, as the Noise handshake needs', () => {
    // noise-curve-ed derives the scalar from the secret key and calls the
    // noclamp multiplication: what the hypercore replication handshake does.
    const a = { publicKey: new Uint8Array(32), secretKey: new Uint8Array(64) }
    const b = { publicKey: new Uint8Array(32), secretKey: new Uint8Array(64) }
    native.crypto_sign_keypair(a.publicKey, a.secretKey)
    native.crypto_sign_keypair(b.publicKey, b.secretKey)
    const scalar = (sk: Uint8Array) => {
      const h = new Uint8Array(createHash('sha512').update(sk.subarray(0, 32)).digest())
      h[0] = (h[0] ?? 0) & 248
      h[31] = ((h[31] ?? 0) & 127) | 64
      return h.subarray(0, 32)
    }
    const ab = new Uint8Array(32)
    const ba = new Uint8Array(32)
    const ref = new Uint8Array(32)
    crypto_scalarmult_ed25519_noclamp(ab, scalar(a.secretKey), b.publicKey)
    crypto_scalarmult_ed25519_noclamp(ba, scalar(b.secretKey), a.publicKey)
    native.crypto_scalarmult_ed25519_noclamp(ref, scalar(a.secretKey), b.publicKey)
    assert.equal(hex(ab), hex(ba))
    assert.equal(hex(ab), hex(ref))
  })
})
