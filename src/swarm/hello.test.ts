import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ed25519 } from '@noble/curves/ed25519.js'
import { P2PError } from '../errors.js'
import {
  createHello,
  parseHello,
  sdpFingerprints,
  verifyHelloProof,
  verifyIdentityUrlIsKey,
  type Hello,
} from './hello.js'
import {
  derivePeerId,
  generateLocalPeer,
  identityUrlFromKey,
  keyFromIdentityUrl,
  localPeerFromSecretKey,
  type LocalPeerInfo,
} from './local-peer.js'

const fp = (byte: string) => Array(32).fill(byte).join(':')
const sdp = (byte: string) =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 ${fp(byte)}\r\n`
const SDP_A = sdp('AA')
const SDP_B = sdp('bb')
const SDP_M = sdp('CC') // a man in the middle's certificate

const unauthenticated = (err: unknown) => err instanceof P2PError && err.code === 'unauthenticated'
const protocolError = (err: unknown) => err instanceof P2PError && err.code === 'protocol-error'

async function pair(): Promise<{ a: LocalPeerInfo; b: LocalPeerInfo; helloA: Hello }> {
  const a = await generateLocalPeer()
  const b = await generateLocalPeer()
  // A's side: local SDP is A's, remote is B's.
  const helloA = await createHello(a, ['session-data'], SDP_A, SDP_B)
  return { a, b, helloA }
}

test('fingerprints are read from the SDP, normalised and sorted', () => {
  assert.equal(sdpFingerprints(SDP_B), `sha-256 ${fp('BB')}`)
  const two = SDP_A + `a=fingerprint:SHA-1 ${Array(20).fill('0a').join(':')}\r\n`
  assert.equal(sdpFingerprints(two), `sha-1 ${Array(20).fill('0A').join(':')}|sha-256 ${fp('AA')}`)
  assert.throws(() => sdpFingerprints('v=0\r\n'), protocolError)
})

test('a peer id is derived from the identity key and the instance', async () => {
  const a = await generateLocalPeer('00'.repeat(16))
  assert.equal(a.peerId, await derivePeerId(a.identityKey, '00'.repeat(16)))
  assert.match(a.peerId, /^[0-9a-f]{40}$/)
  const again = await localPeerFromSecretKey({
    secretKey: ed25519.utils.randomSecretKey(),
    instance: '00'.repeat(16),
  })
  assert.notEqual(again.peerId, a.peerId, 'another identity, same instance: another peer id')
  assert.notEqual(await derivePeerId(a.identityKey, '11'.repeat(16)), a.peerId)
  await assert.rejects(() => derivePeerId(new Uint8Array(31), '00'.repeat(16)), P2PError)
  await assert.rejects(() => derivePeerId(a.identityKey, 'xyz'), P2PError)
})

test('a sodium-style 64-byte secret key (hypercore) gives the same peer as its seed', async () => {
  const seed = ed25519.utils.randomSecretKey()
  const pub = ed25519.getPublicKey(seed)
  const sodium = new Uint8Array(64)
  sodium.set(seed)
  sodium.set(pub, 32)
  const instance = '22'.repeat(16)
  const x = await localPeerFromSecretKey({ secretKey: seed, instance })
  const y = await localPeerFromSecretKey({ secretKey: sodium, instance })
  assert.equal(x.peerId, y.peerId)
  assert.equal(x.identityUrl, identityUrlFromKey(pub))
  assert.deepEqual(keyFromIdentityUrl(x.identityUrl), pub)
  const wrong = Uint8Array.from(sodium)
  wrong[40] = (wrong[40] ?? 0) ^ 1
  await assert.rejects(() => localPeerFromSecretKey({ secretKey: wrong }), P2PError)
  await assert.rejects(() => localPeerFromSecretKey({ secretKey: new Uint8Array(16) }), P2PError)
  assert.throws(() => keyFromIdentityUrl('hyper://xyz'), P2PError)
})

test('a genuine hello verifies on the connection it was made for', async () => {
  const { a, helloA } = await pair()
  // B's side: local SDP is B's, remote is A's.
  await verifyHelloProof(helloA, SDP_B, SDP_A, a.peerId)
  await verifyHelloProof(helloA, SDP_B, SDP_A)
  assert.equal(await verifyIdentityUrlIsKey(helloA), true)
  assert.deepEqual(parseHello(JSON.parse(JSON.stringify(helloA))), helloA)
})

test('a forged hello claiming another identity is rejected', async () => {
  const { a, helloA } = await pair()
  const mallory = await generateLocalPeer()
  // Mallory claims A's identity and peer id but can only sign with her own key.
  const forger: LocalPeerInfo = { ...a, sign: mallory.sign }
  const forged = await createHello(forger, ['session-data'], SDP_A, SDP_B)
  await assert.rejects(() => verifyHelloProof(forged, SDP_B, SDP_A, a.peerId), unauthenticated)
  // Swapping in her own key breaks the peer id (derived from the key)…
  const ownKey: LocalPeerInfo = { ...a, identityKey: mallory.identityKey, sign: mallory.sign }
  const withOwnKey = await createHello(ownKey, ['session-data'], SDP_A, SDP_B)
  await assert.rejects(() => verifyHelloProof(withOwnKey, SDP_B, SDP_A), unauthenticated)
  // …and claiming A's URL with her own consistent key fails the identity binding.
  const claim = await createHello({ ...mallory, identityUrl: a.identityUrl }, [], SDP_A, SDP_B)
  await verifyHelloProof(claim, SDP_B, SDP_A)
  assert.equal(await verifyIdentityUrlIsKey(claim), false)
  assert.ok(helloA.proof !== forged.proof)
})

test('a hello replayed on another connection (other certificates) is rejected', async () => {
  const { a, helloA } = await pair()
  // Mallory relays A's hello on her own connection to B: B sees her certificate.
  await assert.rejects(() => verifyHelloProof(helloA, SDP_B, SDP_M, a.peerId), unauthenticated)
  // Or a man in the middle terminates DTLS towards B with his own certificate.
  await assert.rejects(() => verifyHelloProof(helloA, SDP_M, SDP_A, a.peerId), unauthenticated)
  // The signer/verifier order matters: A's hello cannot be reflected back to A.
  await assert.rejects(() => verifyHelloProof(helloA, SDP_A, SDP_B), unauthenticated)
})

test('a hello from another peer id than the one that signaled is rejected', async () => {
  const { b, helloA } = await pair()
  await assert.rejects(() => verifyHelloProof(helloA, SDP_B, SDP_A, b.peerId), unauthenticated)
})

test('tampering with any signed field breaks the proof', async () => {
  const { helloA } = await pair()
  const tampered: Hello[] = [
    { ...helloA, extensions: ['session-data', 'rpc'] },
    { ...helloA, identityUrl: 'hyper://' + '0'.repeat(64) },
    { ...helloA, proof: helloA.proof.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
  ]
  for (const h of tampered) {
    await assert.rejects(() => verifyHelloProof(h, SDP_B, SDP_A), unauthenticated)
  }
})

test('malformed hellos are protocol errors', async () => {
  const { helloA } = await pair()
  const bad: unknown[] = [
    null,
    'hello',
    { ...helloA, peerId: 'x' },
    { ...helloA, instance: 42 },
    { ...helloA, identityKey: helloA.identityKey.toUpperCase() },
    { ...helloA, identityUrl: 'h'.repeat(500) },
    { ...helloA, extensions: 'session-data' },
    { ...helloA, extensions: ['Session Data'] },
    { ...helloA, extensions: Array(17).fill('x') },
    { ...helloA, proof: 'ab' },
  ]
  for (const raw of bad) assert.throws(() => parseHello(raw), protocolError)
})

const NAMED = { name: 'Ada 🚲', created: 1_700_000_000_000 }

async function namedPair(profile: LocalPeerInfo['profile'] = () => NAMED) {
  const a: LocalPeerInfo = { ...(await generateLocalPeer()), profile }
  return { a, hello: await createHello(a, ['session-data'], SDP_A, SDP_B) }
}

test('a hello carries the signer’s current name, signed with the rest', async () => {
  let name = NAMED.name
  const { a, hello } = await namedPair(() => ({ ...NAMED, name }))
  assert.deepEqual(hello.profile, NAMED)
  const wire = parseHello(JSON.parse(JSON.stringify(hello)))
  assert.deepEqual(wire, hello)
  await verifyHelloProof(wire, SDP_B, SDP_A, a.peerId)
  // Read when each hello is made: a rename reaches the next connection.
  name = 'Ada L.'
  assert.equal((await createHello(a, [], SDP_A, SDP_B)).profile?.name, 'Ada L.')
  // No profile: none is claimed, and that is signed too.
  const { hello: bare } = await namedPair(() => null)
  assert.equal(bare.profile, null)
  assert.equal((await createHello(await generateLocalPeer(), [], SDP_A, SDP_B)).profile, null)
})

test('a name changed, added or dropped on the way breaks the proof', async () => {
  const { hello } = await namedPair()
  const tampered: Hello[] = [
    { ...hello, profile: { ...NAMED, name: 'Mallory' } },
    { ...hello, profile: { ...NAMED, created: NAMED.created + 1 } },
    { ...hello, profile: null },
  ]
  const { hello: bare } = await namedPair(() => null)
  tampered.push({ ...bare, profile: NAMED })
  for (const h of tampered) {
    await assert.rejects(() => verifyHelloProof(h, SDP_B, SDP_A), unauthenticated)
  }
})

test('a malformed name in a hello is a protocol error', async () => {
  const { hello } = await namedPair()
  const profiles: unknown[] = [
    'Ada',
    ['Ada', 1],
    { name: 'Ada' },
    { name: '', created: 1 },
    { name: '   ', created: 1 },
    { name: 'x'.repeat(65), created: 1 },
    { name: 'bell\u0007', created: 1 },
    { name: 42, created: 1 },
    { name: 'Ada', created: -1 },
    { name: 'Ada', created: 1.5 },
    { name: 'Ada', created: '1' },
    { name: 'Ada', created: 1, friends: [] },
  ]
  for (const profile of profiles) {
    assert.throws(() => parseHello({ ...hello, profile }), protocolError, JSON.stringify(profile))
  }
  // The longest name a profile allows passes (64 characters, not UTF-16 units).
  const longest = { name: '🚲'.repeat(64), created: 0 }
  assert.deepEqual(parseHello({ ...hello, profile: longest }).profile, longest)
  // A peer that shares no name sends null, or (older peers) nothing.
  const without: Record<string, unknown> = { ...hello }
  delete without.profile
  assert.equal(parseHello(without).profile, null)
})
