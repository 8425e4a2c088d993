import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import {
  MAX_INTERVAL,
  MAX_SDP,
  MAX_TRACKER_MESSAGE,
  MIN_INTERVAL,
  announceMessage,
  answerMessage,
  binaryToHex,
  hexToBinary,
  parseTrackerMessage,
  RESTART_PREFIX,
  restartEnvelope,
  restartMessage,
} from './tracker-messages.js'

const HASH = 'ff'.repeat(10) + '00'.repeat(5) + '7f80a0c3e9'
const PEER = '01'.repeat(20)
const OTHER = 'fe'.repeat(20)
const OFFER_ID = 'ab'.repeat(20)
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'

const protocolError = (err: unknown) => err instanceof P2PError && err.code === 'protocol-error'

function wire(fields: Record<string, unknown>): string {
  return JSON.stringify({ action: 'announce', info_hash: hexToBinary(HASH), ...fields })
}

test('ids convert between hex and 20-char binary strings, every byte value', () => {
  const bin = hexToBinary(HASH)
  assert.equal(bin.length, 20)
  assert.equal(binaryToHex(bin), HASH)
  // JSON on the way keeps chars 0x80–0xff intact.
  assert.equal(binaryToHex(JSON.parse(JSON.stringify(bin))), HASH)
  assert.equal(binaryToHex('x'.repeat(19)), null)
  assert.equal(binaryToHex('\u0100'.repeat(20)), null)
  assert.equal(binaryToHex(42), null)
  assert.throws(() => hexToBinary('zz'), P2PError)
})

test('an announce carries offers with binary ids and numwant equal to the offer count', () => {
  const msg = JSON.parse(
    announceMessage({
      infoHash: HASH,
      peerId: PEER,
      event: 'started',
      offers: [{ offerId: OFFER_ID, sdp: SDP }],
    }),
  )
  assert.equal(msg.action, 'announce')
  assert.equal(binaryToHex(msg.info_hash), HASH)
  assert.equal(binaryToHex(msg.peer_id), PEER)
  assert.equal(msg.event, 'started')
  assert.equal(msg.numwant, 1)
  assert.equal(binaryToHex(msg.offers[0].offer_id), OFFER_ID)
  assert.deepEqual(msg.offers[0].offer, { type: 'offer', sdp: SDP })
})

test('a stopped announce carries no offers', () => {
  const msg = JSON.parse(
    announceMessage({
      infoHash: HASH,
      peerId: PEER,
      event: 'stopped',
      offers: [{ offerId: OFFER_ID, sdp: SDP }],
    }),
  )
  assert.equal(msg.event, 'stopped')
  assert.equal(msg.numwant, 0)
  assert.deepEqual(msg.offers, [])
})

test('an answer has only type and sdp, addressed with to_peer_id and offer_id', () => {
  const msg = JSON.parse(
    answerMessage({ infoHash: HASH, peerId: PEER, toPeerId: OTHER, offerId: OFFER_ID, sdp: SDP }),
  )
  assert.deepEqual(msg.answer, { type: 'answer', sdp: SDP })
  assert.equal(binaryToHex(msg.to_peer_id), OTHER)
  assert.equal(binaryToHex(msg.offer_id), OFFER_ID)
})

test('parses offers and answers from the tracker', () => {
  const offer = parseTrackerMessage(
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      offer: { type: 'offer', sdp: SDP },
    }),
  )
  assert.deepEqual(offer, {
    kind: 'offer',
    infoHash: HASH,
    peerId: OTHER,
    offerId: OFFER_ID,
    sdp: SDP,
  })
  const answer = parseTrackerMessage(
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      answer: { type: 'answer', sdp: SDP },
    }),
  )
  assert.equal(answer.kind, 'answer')
})

test('parses announce responses and clamps the interval the tracker asks for', () => {
  assert.deepEqual(parseTrackerMessage(wire({ interval: 120, complete: 0, incomplete: 2 })), {
    kind: 'response',
    infoHash: HASH,
    interval: 120_000,
    warning: null,
  })
  const short = parseTrackerMessage(wire({ interval: 0.001 }))
  assert.equal(short.kind === 'response' && short.interval, MIN_INTERVAL)
  const long = parseTrackerMessage(wire({ interval: 1e12 }))
  assert.equal(long.kind === 'response' && long.interval, MAX_INTERVAL)
  for (const interval of [-1, 'x', null, Infinity]) {
    const r = parseTrackerMessage(wire({ interval }))
    assert.equal(r.kind === 'response' && r.interval, null)
  }
  const warned = parseTrackerMessage(wire({ 'warning message': 'w'.repeat(10_000) }))
  assert.equal(warned.kind === 'response' && warned.warning?.length, 300)
})

test('a failure reason is reported, capped, with or without an info hash', () => {
  assert.deepEqual(parseTrackerMessage(JSON.stringify({ 'failure reason': 'invalid info_hash' })), {
    kind: 'failure',
    infoHash: null,
    reason: 'invalid info_hash',
  })
  const long = parseTrackerMessage(wire({ 'failure reason': 'x'.repeat(5000) }))
  assert.equal(long.kind === 'failure' && long.reason.length, 300)
  assert.equal(long.kind === 'failure' && long.infoHash, HASH)
})

test('hostile or malformed messages are protocol errors, never crashes', () => {
  const cases: unknown[] = [
    new Uint8Array(4),
    'x'.repeat(MAX_TRACKER_MESSAGE + 1),
    '{',
    '[]',
    'null',
    '"str"',
    JSON.stringify({ action: 'nope' }),
    JSON.stringify({ action: 'announce' }),
    JSON.stringify({ action: 'announce', info_hash: 'short' }),
    wire({ offer: { type: 'offer', sdp: SDP } }),
    wire({ peer_id: hexToBinary(OTHER), offer: { type: 'offer', sdp: SDP } }),
    wire({ peer_id: hexToBinary(OTHER), offer_id: hexToBinary(OFFER_ID), offer: 'x' }),
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      offer: { type: 'answer', sdp: SDP },
    }),
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      offer: { type: 'offer' },
    }),
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      offer: { type: 'offer', sdp: 'v=0' + 'a'.repeat(MAX_SDP) },
    }),
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      offer: { type: 'offer', sdp: 'not sdp' },
    }),
    wire({
      peer_id: hexToBinary(OTHER),
      offer_id: hexToBinary(OFFER_ID),
      answer: { type: 'answer', sdp: 42 },
    }),
  ]
  for (const data of cases) assert.throws(() => parseTrackerMessage(data), protocolError)
})

test('prototype keys in a message are inert', () => {
  const msg = parseTrackerMessage(
    '{"action":"announce","info_hash":' +
      JSON.stringify(hexToBinary(HASH)) +
      ',"__proto__":{"offer":{"type":"offer","sdp":"v=0"}}}',
  )
  assert.equal(msg.kind, 'response')
})

test('scrape responses are ignored', () => {
  assert.equal(parseTrackerMessage(JSON.stringify({ action: 'scrape', files: {} })).kind, 'ignored')
})

test('an ICE-restart signal rides as an answer to the named peer and comes back out', () => {
  const env = JSON.stringify({ kind: 'restart', sdp: 'v=0\r\n"quoted"' })
  const sent = restartMessage({
    infoHash: HASH,
    peerId: PEER,
    toPeerId: OTHER,
    offerId: OFFER_ID,
    envelope: env,
  })
  const raw = JSON.parse(sent) as Record<string, unknown> & { answer: { type: string } }
  assert.equal(raw.answer.type, 'answer', 'a tracker routes it like any answer')
  assert.equal(binaryToHex(raw.to_peer_id), OTHER)
  // What the tracker forwards: the answer as it came, from the sender.
  const msg = parseTrackerMessage(
    wire({ peer_id: raw.peer_id, offer_id: raw.offer_id, answer: raw.answer }),
  )
  assert.ok(msg.kind === 'answer')
  assert.deepEqual(restartEnvelope(msg.sdp), JSON.parse(env))
  assert.equal(restartEnvelope(SDP), null, 'a real answer is not one')
  assert.throws(() => restartEnvelope(`${RESTART_PREFIX}{nope`), protocolError)
})
