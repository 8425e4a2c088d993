/**
 * Claim messages on the topic-scoped `friends` channel: the invited side
 * presents the invite's secret and its own rendezvous secret to the inviter
 * (whose identity the connection authenticated), and hears whether they are
 * friends now.
 *
 *   guest   → inviter   { t: 'claim', invite, rendezvous }   base64, 32 bytes each
 *   inviter → guest     { t: 'claimed' } | { t: 'refused', message }
 */
import { fromBase64, toBase64 } from '../bytes.js'
import { isRecord, own } from '../protocol/validate.js'

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

function secret(raw: unknown): Uint8Array | null {
  if (typeof raw !== 'string') return null
  try {
    const bytes = fromBase64(raw, 'claim')
    return bytes.length === 32 ? bytes : null
  } catch {
    return null
  }
}

/** Parses a claim message from a peer; null for anything malformed. */
export function decodeClaim(payload: Uint8Array): ClaimMessage | null {
  if (payload.length > 1024) return null
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder().decode(payload))
  } catch {
    return null
  }
  if (!isRecord(raw)) return null
  const t = own(raw, 't')
  if (t === 'claimed') return { t }
  if (t === 'refused') {
    const message = own(raw, 'message')
    return { t, message: typeof message === 'string' ? message.slice(0, 200) : 'refused' }
  }
  if (t === 'claim') {
    const invite = secret(own(raw, 'invite'))
    const rendezvous = secret(own(raw, 'rendezvous'))
    return invite && rendezvous ? { t, invite, rendezvous } : null
  }
  return null
}
