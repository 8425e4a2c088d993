/**
 * The inviter's side of invites: issuing a token, and redeeming a claim
 * exactly once before it expires. A claim by the identity that already used
 * the invite is answered again (its first answer may have been lost).
 */
import { randomBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import type { FriendStore } from './friend-store.js'
import { encodeInvite, inviteId, INVITE_TTL_MS } from './invite.js'

export interface IssueOptions {
  identity: string
  rendezvous: Uint8Array
  now: number
  ttl?: number
}

/** Issues an invite of `identity`; resolves with the token. */
export async function issueInvite(store: FriendStore, opts: IssueOptions): Promise<string> {
  const secret = randomBytes(32)
  const expires = opts.now + (opts.ttl ?? INVITE_TTL_MS)
  await store.putInvite({
    id: await inviteId(secret),
    identity: opts.identity,
    expires,
    usedBy: null,
  })
  return encodeInvite({ inviter: opts.identity, secret, rendezvous: opts.rendezvous, expires })
}

/**
 * Redeems the invite whose secret is `secret` for `claimer`; throws
 * `invalid-argument` when it is unknown, of another identity, used by
 * someone else, or expired.
 */
export async function redeemInvite(
  store: FriendStore,
  opts: { identity: string; secret: Uint8Array; claimer: string; now: number },
): Promise<void> {
  const record = await store.invite(await inviteId(opts.secret))
  if (!record || record.identity !== opts.identity) {
    throw P2PError.INVALID_ARGUMENT('this invite is unknown to its inviter')
  }
  if (record.usedBy === opts.claimer) return
  if (record.usedBy !== null) throw P2PError.INVALID_ARGUMENT('this invite was already used')
  if (opts.now > record.expires) throw P2PError.INVALID_ARGUMENT('this invite has expired')
  await store.putInvite({ ...record, usedBy: opts.claimer })
}
