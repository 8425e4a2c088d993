/**
 * Session passwords, never sent. Host and guest each derive a key from the
 * password with scrypt (memory-hard; the salt is the session URL, so one
 * password on two sessions gives unrelated keys), and the guest proves it
 * holds the key with an HMAC over a fresh challenge bound to both peers'
 * authenticated identities and peer ids (verified by the connection's signed
 * hello over the DTLS fingerprints).
 *
 * What crosses the wire is only the host's random challenge and the guest's
 * HMAC, inside the encrypted data channel, and only to the host the session
 * URL names (a peer of another identity never gets a proof). The tracker
 * sees the session's topic hash and SDP, nothing derived from the password.
 * The host sends nothing derived from the password at all, so a guest
 * without it learns nothing to guess against offline; its guesses go to the
 * host one by one, which rate-limits them (./attempts.ts).
 */
import { hmac } from '@noble/hashes/hmac.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { P2PError } from '../errors.js'
import { transcript } from '../transcript.js'

export const KEY_DOMAIN = 'porchlight/session-key/v1'
export const PROOF_DOMAIN = 'porchlight/session-proof/v1'
/** scrypt cost: 2^15 × 8 × 128 B = 32 MiB, a few hundred ms in a browser. */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, dkLen: 32 } as const
/** Longest password, in UTF-16 code units. */
export const MAX_PASSWORD = 1024

/** Checks a password as a page passes it: a non-empty string of at most 1024 characters. */
export function checkPassword(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_PASSWORD) {
    throw P2PError.INVALID_ARGUMENT(`a password must be a string of 1–${MAX_PASSWORD} characters`)
  }
  return raw
}

/** The session key of `password` for session `url`. */
export function deriveSessionKey(
  password: string,
  url: string,
  cost: { N: number } = SCRYPT,
): Promise<Uint8Array> {
  const pw = new TextEncoder().encode(checkPassword(password).normalize('NFC'))
  const salt = transcript(KEY_DOMAIN, [url])
  return scryptAsync(pw, salt, { ...SCRYPT, N: cost.N })
}

/** Who is proving to whom, as the connection authenticated them. */
export interface ProofContext {
  /** The session's topic (hex). */
  topic: string
  host: { identityUrl: string; peerId: string }
  guest: { identityUrl: string; peerId: string }
  /** The host's challenge and the guest's own nonce, 32 bytes each. */
  challenge: Uint8Array
  nonce: Uint8Array
}

/** The guest's proof: HMAC-SHA256(key, transcript of the context). */
export function proveKey(key: Uint8Array, ctx: ProofContext): Uint8Array {
  const fields = [
    ctx.topic,
    ctx.host.identityUrl,
    ctx.host.peerId,
    ctx.guest.identityUrl,
    ctx.guest.peerId,
    ctx.challenge,
    ctx.nonce,
  ]
  return hmac(sha256, key, transcript(PROOF_DOMAIN, fields))
}

/** Constant-time check of a guest's proof. */
export function checkProof(key: Uint8Array, ctx: ProofContext, proof: Uint8Array): boolean {
  const expected = proveKey(key, ctx)
  if (proof.length !== expected.length) return false
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= (expected[i] ?? 0) ^ (proof[i] ?? 0)
  return diff === 0
}
