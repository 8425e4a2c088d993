import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import {
  INVITE_HOPS,
  decodeInvite,
  encodeInvite,
  signInvite,
  verifyInvite,
  type Invite,
} from './log-invite.js'
import { RELAY_MAX_AGE } from './relay-envelope.js'

const HOST = 'ab'.repeat(32)
const ID = 'cd'.repeat(16)
const NONCE = '5a'.repeat(32)
const code = (c: string) => (err: unknown) => err instanceof P2PError && err.code === c

test('a signed invite names its inviter, survives the wire, and verifies', async () => {
  const alice = await generateLocalPeer()
  const invite = await signInvite(alice, HOST, ID, NONCE)
  const back = decodeInvite(encodeInvite({ invite, hops: 99 }))
  assert.equal(back.hops, INVITE_HOPS)
  assert.deepEqual(back.invite, invite)
  assert.equal(back.invite.identityKey, Buffer.from(alice.identityKey).toString('hex'))
  await verifyInvite(back.invite)
})

test('a forged, altered or stale invite is refused', async () => {
  const alice = await generateLocalPeer()
  const mallory = await generateLocalPeer()
  const invite = await signInvite(alice, HOST, ID, NONCE)
  const forged: Invite = {
    ...(await signInvite(mallory, HOST, ID, NONCE)),
    identityKey: invite.identityKey,
  }
  await assert.rejects(verifyInvite(forged), code('unauthenticated'))
  await assert.rejects(verifyInvite({ ...invite, to: 'ef'.repeat(32) }), code('unauthenticated'))
  await assert.rejects(verifyInvite({ ...invite, peer: mallory.peerId }), code('unauthenticated'))
  // Nobody can point others at another log of Alice's, or turn an invite into a reply.
  await assert.rejects(verifyInvite({ ...invite, nonce: '77'.repeat(32) }), code('unauthenticated'))
  await assert.rejects(verifyInvite({ ...invite, reply: true }), code('unauthenticated'))
  const old = await signInvite(alice, HOST, ID, NONCE, false, Date.now() - RELAY_MAX_AGE - 1)
  await assert.rejects(verifyInvite(old), code('protocol-error'))
})

test('a malformed invite payload is a protocol-error', async () => {
  const alice = await generateLocalPeer()
  const invite = await signInvite(alice, HOST, ID, NONCE)
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
  for (const bad of [
    new Uint8Array([0xff, 0xfe]),
    bytes([]),
    bytes({ ...invite, hops: 1, to: 'x' }),
    bytes({ ...invite, hops: 1, id: 'short' }),
    bytes({ ...invite, hops: -1 }),
    bytes({ ...invite, hops: 1, ts: '1' }),
    bytes({ ...invite, hops: 1, sig: 'zz' }),
    bytes({ ...invite, hops: 1, nonce: 'ab' }),
    bytes({ ...invite, hops: 1, reply: 'yes' }),
    bytes({ ...invite, hops: 1, pad: 'x'.repeat(2_000) }),
  ]) {
    assert.throws(() => decodeInvite(bad), code('protocol-error'))
  }
})
