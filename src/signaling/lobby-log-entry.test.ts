import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bytesToHex } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { generateLocalPeer, type LocalPeerInfo } from '../swarm/local-peer.js'
import {
  decodeEntry,
  encodeEntry,
  hostEntry,
  lobbyLogKey,
  MAX_ENTRY_BYTES,
  signalEntry,
  verifyEntry,
} from './lobby-log-entry.js'
import { MAX_AGE, verifyEnvelope } from './relay-envelope.js'

const TOPIC = 'ab'.repeat(20)
const OFFER_ID = 'cd'.repeat(20)
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'
const code = (c: string) => (err: unknown) => err instanceof P2PError && err.code === c

/** `peer`'s signed offer entry of TOPIC, to `to`. */
const offerEntry = (peer: LocalPeerInfo, to = 'ef'.repeat(20)) =>
  signalEntry(peer, { kind: 'offer', topic: TOPIC, to, offerId: OFFER_ID, sdp: SDP })

test('entries survive the log and verify against their log owner', async () => {
  const host = await generateLocalPeer()
  const guest = await generateLocalPeer()
  const h = await hostEntry(host, TOPIC)
  const back = decodeEntry(encodeEntry(h))
  assert.deepEqual(back, h)
  await verifyEntry(h, bytesToHex(host.identityKey))
  const offer = await offerEntry(guest, host.peerId)
  const decoded = decodeEntry(encodeEntry(offer))
  assert.ok(decoded)
  await verifyEntry(decoded, bytesToHex(guest.identityKey))
  // Written by the guest, it is no entry of the host's log.
  await assert.rejects(verifyEntry(decoded, bytesToHex(host.identityKey)), code('unauthenticated'))
})

test('a log entry is no relay signal, a host entry no offer, and stale ones are refused', async () => {
  const peer = await generateLocalPeer()
  const key = bytesToHex(peer.identityKey)
  const offer = await offerEntry(peer)
  await assert.rejects(verifyEnvelope(offer.env), code('unauthenticated'))
  const h = await hostEntry(peer, TOPIC)
  await assert.rejects(verifyEntry({ t: 'signal', env: h.env }, key), code('unauthenticated'))
  const old = await hostEntry(peer, TOPIC, Date.now() - MAX_AGE - 1_000)
  await assert.rejects(verifyEntry(old, key), code('protocol-error'))
  const altered = { t: 'signal' as const, env: { ...offer.env, sdp: SDP + 'a=x\r\n' } }
  await assert.rejects(verifyEntry(altered, key), code('unauthenticated'))
})

test('malformed blocks are protocol errors; unknown kinds are skipped', async () => {
  const enc = new TextEncoder()
  assert.throws(() => decodeEntry(enc.encode('nope')), code('protocol-error'))
  assert.throws(() => decodeEntry(enc.encode('[]')), code('protocol-error'))
  assert.throws(() => decodeEntry(enc.encode('{"t":"signal","env":{}}')), code('protocol-error'))
  assert.throws(() => decodeEntry(new Uint8Array(MAX_ENTRY_BYTES + 1)), code('protocol-error'))
  assert.equal(decodeEntry(enc.encode('{"t":"later"}')), null)
  const peer = await generateLocalPeer()
  const offer = await offerEntry(peer)
  // A signal entry presented as a host entry is malformed.
  assert.throws(
    () => decodeEntry(encodeEntry({ t: 'host', env: offer.env })),
    code('protocol-error'),
  )
})

test('the log key derives from the identity key and the log nonce: a log made again is another core', async () => {
  const a = await generateLocalPeer()
  const b = await generateLocalPeer()
  const [n1, n2] = ['11'.repeat(32), '22'.repeat(32)]
  const ka = lobbyLogKey(a.identityKey, n1)
  assert.equal(ka.length, 32)
  assert.deepEqual(lobbyLogKey(a.identityKey, n1), ka)
  // The same identity's next swarm (or its other browser) writes a log at another key.
  assert.notDeepEqual(lobbyLogKey(a.identityKey, n2), ka)
  assert.notDeepEqual(lobbyLogKey(b.identityKey, n1), ka)
  assert.notDeepEqual(ka, a.identityKey)
  assert.throws(() => lobbyLogKey(a.identityKey, 'nope'), code('invalid-argument'))
})
