/**
 * Claim messages on the topic-scoped `friends` channel: the invited side
 * presents the invite's secret and its own rendezvous secret to the inviter
 * (whose identity the connection authenticated), and hears whether they are
 * friends now.
 *
 *   guest   → inviter   { t: 'claim', invite, rendezvous }   base64, 32 bytes each
 *   inviter → guest     { t: 'claimed' } | { t: 'refused', message }
 */
import { toBase64 } from '../bytes.js'
import { peerBytes, peerJson } from '../protocol/peer-json.js'
import { own } from '../protocol/validate.js'

export const FRIENDS_CHANNEL = 'friends'

export type ClaimMessage =
  | { t: 'claim'; invite: Uint8Array; rendezvous: Uint8Array }
  | { t: 'claimed' }
  | { t: 'refused'; message: string }

export function encodeClaim(msg: ClaimMessage): Uint8Array {
  const wire =
    msg.t === 'claim'
      ? { t: msg.t, invite: toBase64(msg.invite), rendezvous: toBase64(msg.rendezvous) }
      : msg
  return new TextEncoder().encode(JSON.stringify(wire))
}

/** Parses a claim message from a peer; null for anything malformed. */
export function decodeClaim(payload: Uint8Array): ClaimMessage | null {
  const raw = peerJson(payload, 1024)
  if (!raw) return null
  const t = own(raw, 't')
  if (t === 'claimed') return { t }
  if (t === 'refused') {
    const message = own(raw, 'message')
    return { t, message: typeof message === 'string' ? message.slice(0, 200) : 'refused' }
  }
  if (t === 'claim') {
    const invite = peerBytes(own(raw, 'invite'), 32)
    const rendezvous = peerBytes(own(raw, 'rendezvous'), 32)
    return invite && rendezvous ? { t, invite, rendezvous } : null
  }
  return null
}
