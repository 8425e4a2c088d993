// Pure logic of friends: invite tokens (format, expiry, one use), claim
// messages, and rendezvous topics.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeClaim, encodeClaim } from './claim.js'
import { memoryFriendStore } from './friend-store.js'
import { checkNotExpired, decodeInvite, encodeInvite, INVITE_PREFIX } from './invite.js'
import { issueInvite, redeemInvite } from './invite-book.js'
import { friendTopic, rendezvousSecret } from './rendezvous.js'

const ALICE = `hyper://${'ab'.repeat(32)}`
const BOB = `hyper://${'cd'.repeat(32)}`
const CAROL = `hyper://${'ef'.repeat(32)}`
const rendezvous = new Uint8Array(32).fill(5)

describe('invite tokens', () => {
  it('round-trip', () => {
    const invite = { inviter: ALICE, secret: new Uint8Array(32).fill(1), rendezvous, expires: 1234 }
    const token = encodeInvite(invite)
    assert.ok(token.startsWith(INVITE_PREFIX))
    assert.ok(token.length < 160, `${token.length} characters`)
    assert.deepEqual(decodeInvite(token), invite)
    assert.deepEqual(decodeInvite(`  ${token}\n`), invite, 'pasted with whitespace')
  })

  it('refuses what is not a token with invalid-argument', () => {
    const good = encodeInvite({ inviter: ALICE, secret: rendezvous, rendezvous, expires: 1 })
    for (const bad of [
      '',
      'hello',
      good.slice(0, -4),
      good.replace(INVITE_PREFIX, 'p2p-invite:2.'),
      `${good}!`,
      42,
    ]) {
      assert.throws(() => decodeInvite(bad), { code: 'invalid-argument' }, String(bad))
    }
  })

  it('expires', () => {
    assert.doesNotThrow(() => checkNotExpired({ expires: 100 }, 100))
    assert.throws(() => checkNotExpired({ expires: 100 }, 101), { code: 'invalid-argument' })
  })
})

describe('redeeming invites', () => {
  it('works once, for its identity, before it expires', async () => {
    const store = memoryFriendStore()
    const token = await issueInvite(store, { identity: ALICE, rendezvous, now: 0, ttl: 1_000 })
    const { secret, expires } = decodeInvite(token)
    assert.equal(expires, 1_000)
    await assert.rejects(
      redeemInvite(store, { identity: BOB, secret, claimer: CAROL, now: 1 }),
      { code: 'invalid-argument' },
      'an invite of another identity',
    )
    await redeemInvite(store, { identity: ALICE, secret, claimer: BOB, now: 1 })
    await redeemInvite(store, { identity: ALICE, secret, claimer: BOB, now: 2 })
    await assert.rejects(redeemInvite(store, { identity: ALICE, secret, claimer: CAROL, now: 2 }), {
      code: 'invalid-argument',
      message: /already used/,
    })
  })

  it('refuses an expired or unknown invite', async () => {
    const store = memoryFriendStore()
    const { secret } = decodeInvite(
      await issueInvite(store, { identity: ALICE, rendezvous, now: 0, ttl: 10 }),
    )
    await assert.rejects(redeemInvite(store, { identity: ALICE, secret, claimer: BOB, now: 11 }), {
      message: /expired/,
    })
    await assert.rejects(
      redeemInvite(store, { identity: ALICE, secret: rendezvous, claimer: BOB, now: 1 }),
      { message: /unknown/ },
    )
  })
})

describe('claims and rendezvous', () => {
  it('claim messages round-trip; malformed ones are null', () => {
    const claim = { t: 'claim', invite: rendezvous, rendezvous } as const
    assert.deepEqual(decodeClaim(encodeClaim(claim)), claim)
    assert.deepEqual(decodeClaim(encodeClaim({ t: 'refused', message: 'no' })), {
      t: 'refused',
      message: 'no',
    })
    for (const bad of ['{"t":"claim","invite":"AA"}', '[]', 'x']) {
      assert.equal(decodeClaim(new TextEncoder().encode(bad)), null)
    }
  })

  it('derives a topic from the secret key that the public key does not give', () => {
    const secretKey = new Uint8Array(64).fill(3)
    const secret = rendezvousSecret(secretKey)
    assert.equal(secret.length, 32)
    assert.deepEqual(rendezvousSecret(secretKey), secret, 'the same in every browser')
    assert.notDeepEqual(rendezvousSecret(new Uint8Array(64).fill(4)), secret)
    assert.equal(friendTopic(secret).hex.length, 40)
    assert.notEqual(friendTopic(secret).hex, friendTopic(secretKey.subarray(32)).hex)
  })
})
