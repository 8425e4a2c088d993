import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import {
  MAX_AGE,
  MAX_HOPS,
  MAX_SDP,
  RELAY_DOMAIN,
  RELAY_MAX_AGE,
  decodeRelay,
  encodeRelay,
  isRestartKind,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
} from './relay-envelope.js'

const TOPIC = 'ab'.repeat(20)
const OFFER_ID = 'cd'.repeat(20)
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'

const code = (c: string) => (err: unknown) => err instanceof P2PError && err.code === c

async function signed(now = Date.now()): Promise<{ env: Envelope; to: string }> {
  const from = await generateLocalPeer()
  const to = (await generateLocalPeer()).peerId
  const env = await signEnvelope(
    from,
    { kind: 'offer', topic: TOPIC, to, offerId: OFFER_ID, sdp: SDP },
    now,
  )
  return { env, to }
}

test('a signed envelope verifies and survives the wire', async () => {
  const { env, to } = await signed()
  assert.equal(env.to, to)
  const back = decodeRelay(encodeRelay({ t: 'signal', hops: MAX_HOPS, env }))
  assert.ok(back?.t === 'signal')
  assert.deepEqual(back.env, env)
  await verifyEnvelope(back.env)
})

test('a relay cannot alter any signed field', async () => {
  const { env } = await signed()
  const other = await generateLocalPeer()
  const changes: Array<Partial<Envelope>> = [
    { sdp: SDP + 'a=candidate:evil\r\n' },
    { to: other.peerId },
    { topic: 'ef'.repeat(20) },
    { offerId: 'ef'.repeat(20) },
    { kind: 'answer' },
    { ts: env.ts + 1 },
  ]
  for (const change of changes) {
    await assert.rejects(verifyEnvelope({ ...env, ...change }), code('unauthenticated'))
  }
})

test('a relay cannot forge an envelope for another peer id', async () => {
  const { env } = await signed()
  const mallory = await generateLocalPeer()
  // Mallory signs with her key but claims the sender's peer id…
  const forged = await signEnvelope(mallory, { ...env })
  await assert.rejects(verifyEnvelope({ ...forged, from: env.from }), code('unauthenticated'))
  // …or keeps the sender's key and signature with her own instance.
  await assert.rejects(
    verifyEnvelope({ ...env, instance: mallory.instance }),
    code('unauthenticated'),
  )
})

test('stale or future envelopes are refused: relayed signals within a minute, records within MAX_AGE', async () => {
  const now = Date.now()
  const { env } = await signed(now - RELAY_MAX_AGE - 1)
  await assert.rejects(verifyEnvelope(env, now), code('protocol-error'))
  const { env: early } = await signed(now + RELAY_MAX_AGE + 1)
  await assert.rejects(verifyEnvelope(early, now), code('protocol-error'))
  // A relayed offer is not replayable for minutes: about its own 40 s lifetime.
  assert.ok(RELAY_MAX_AGE <= 60_000)
  await verifyEnvelope((await signed(now - RELAY_MAX_AGE + 1_000)).env, now)
  // Longer-lived signed records (lobby-log entries) keep the wider window.
  await verifyEnvelope(env, now, RELAY_DOMAIN, MAX_AGE)
  const { env: old } = await signed(now - MAX_AGE - 1)
  await assert.rejects(verifyEnvelope(old, now, RELAY_DOMAIN, MAX_AGE), code('protocol-error'))
})

test('hops are capped; members are de-duplicated; unknown kinds are skipped', async () => {
  const { env } = await signed()
  const back = decodeRelay(encodeRelay({ t: 'signal', hops: 1_000, env }))
  assert.equal(back?.t === 'signal' && back.hops, MAX_HOPS)
  const id = 'aa'.repeat(20)
  assert.deepEqual(decodeRelay(encodeRelay({ t: 'members', peers: [id, id] })), {
    t: 'members',
    peers: [id],
  })
  assert.equal(decodeRelay(new TextEncoder().encode('{"t":"later"}')), null)
})

test('malformed relay messages are protocol errors', async () => {
  const { env } = await signed()
  const bad: unknown[] = [
    'not json',
    [],
    { t: 'members', peers: 'x' },
    { t: 'members', peers: ['XYZ'] },
    { t: 'members', peers: Array.from({ length: 65 }, (_, i) => i.toString(16).padStart(40, '0')) },
    { t: 'signal', hops: -1, env },
    { t: 'signal', hops: 1.5, env },
    { t: 'signal', hops: 1, env: { ...env, sdp: 'x'.repeat(MAX_SDP + 1) } },
    { t: 'signal', hops: 1, env: { ...env, kind: 'candidate' } },
    { t: 'signal', hops: 1, env: { ...env, from: 'nope' } },
    { t: 'signal', hops: 1, env: { ...env, sig: 'zz' } },
    { t: 'signal', hops: 1, env: { ...env, ts: -5 } },
    { t: 'signal', hops: 1, env: null },
  ]
  for (const raw of bad) {
    const bytes = new TextEncoder().encode(typeof raw === 'string' ? raw : JSON.stringify(raw))
    assert.throws(() => decodeRelay(bytes), code('protocol-error'), JSON.stringify(raw))
  }
  assert.throws(() => decodeRelay(new Uint8Array([0xff, 0xfe])), code('protocol-error'))
})

test('ICE-restart envelopes are their own kinds: signed, and no offer can pass as one', async () => {
  const from = await generateLocalPeer()
  const to = (await generateLocalPeer()).peerId
  const fields = { topic: TOPIC, to, offerId: OFFER_ID, sdp: SDP }
  const restart = await signEnvelope(from, { kind: 'restart', ...fields })
  assert.ok(isRestartKind(restart.kind))
  const back = decodeRelay(encodeRelay({ t: 'signal', hops: 1, env: restart }))
  assert.ok(back?.t === 'signal')
  await verifyEnvelope(back.env)
  // The kind is signed: an answer relabelled as a restart's answer does not verify.
  const answer = await signEnvelope(from, { kind: 'answer', ...fields })
  assert.equal(isRestartKind(answer.kind), false)
  await assert.rejects(verifyEnvelope({ ...answer, kind: 'restarted' }), code('unauthenticated'))
})
