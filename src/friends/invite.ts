/**
 * Invite tokens (seed 004: request a token, hand it over, the other claims
 * it). A token is text the user copies to someone:
 *
 *   p2p-invite:1.<base64url of 105 bytes>
 *     version (1) | inviter key (32) | invite secret (32) |
 *     inviter rendezvous secret (32) | expires, ms since the epoch (float64 BE)
 *
 * The invite secret is what the claim presents (only to the inviter, whose
 * identity the connection authenticates); the inviter keeps only its hash
 * and accepts it once, before it expires. The rendezvous secret lets the new
 * friend find the inviter (./rendezvous.ts).
 */
import { P2PError } from '../errors.js'
import { hyperUrl, keyOfUrl } from '../identity/hyper-url.js'

export const INVITE_PREFIX = 'p2p-invite:1.'
export const INVITE_VERSION = 1
/** How long an invite works unless told otherwise: one day. */
export const INVITE_TTL_MS = 24 * 60 * 60_000
const BYTES = 1 + 32 + 32 + 32 + 8

export interface Invite {
  /** The inviter's identity, hyper://<64 hex>. */
  inviter: string
  /** 32 random bytes the claim presents. */
  secret: Uint8Array
  /** The inviter's rendezvous secret, 32 bytes. */
  rendezvous: Uint8Array
  /** Ms since the epoch after which the invite no longer works. */
  expires: number
}

function toBase64Url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
    return Uint8Array.from(bin, (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}

export function encodeInvite(invite: Invite): string {
  if (invite.secret.length !== 32 || invite.rendezvous.length !== 32) {
    throw new RangeError('invite secrets are 32 bytes')
  }
  const out = new Uint8Array(BYTES)
  out[0] = INVITE_VERSION
  out.set(keyOfUrl(invite.inviter), 1)
  out.set(invite.secret, 33)
  out.set(invite.rendezvous, 65)
  new DataView(out.buffer).setFloat64(97, invite.expires)
  return INVITE_PREFIX + toBase64Url(out)
}

/** Parses a token; `invalid-argument` when it is not one (it does not check expiry). */
export function decodeInvite(token: unknown): Invite {
  const bad = () => P2PError.INVALID_ARGUMENT('this is not a Porchlight invite')
  if (typeof token !== 'string' || token.length > 512) throw bad()
  const text = token.trim()
  if (!text.startsWith(INVITE_PREFIX)) throw bad()
  const bytes = fromBase64Url(text.slice(INVITE_PREFIX.length))
  if (!bytes || bytes.length !== BYTES || bytes[0] !== INVITE_VERSION) throw bad()
  const expires = new DataView(bytes.buffer, bytes.byteOffset).getFloat64(97)
  if (!Number.isSafeInteger(expires) || expires < 0) throw bad()
  return {
    inviter: hyperUrl(bytes.subarray(1, 33)),
    secret: bytes.slice(33, 65),
    rendezvous: bytes.slice(65, 97),
    expires,
  }
}

/** `invalid-argument` when the invite has expired at `now`. */
export function checkNotExpired(invite: { expires: number }, now: number): void {
  if (now > invite.expires) throw P2PError.INVALID_ARGUMENT('this invite has expired')
}

/** What the inviter keeps of an invite: the secret's hash, not the secret. */
export async function inviteId(secret: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', Uint8Array.from(secret)))
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')
}
