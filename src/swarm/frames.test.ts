import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { MAX_CONTROL, MAX_FRAME, decodeFrame, encodeChannel, encodeControl } from './frames.js'

const TOPIC = '0123456789abcdef0123456789abcdef01234567'
const protocolError = (err: unknown) => err instanceof P2PError && err.code === 'protocol-error'

test('control messages round-trip', () => {
  for (const msg of [
    { t: 'join', topic: TOPIC, seq: 3 },
    { t: 'leave', topic: TOPIC, seq: 4, reason: 'full' },
    { t: 'leave', topic: TOPIC, seq: 5, reason: 'left' },
    { t: 'ping' },
    { t: 'bye', reason: 'duplicate' },
    { t: 'bye', reason: 'closing' },
    { t: 'fin' },
  ] as const) {
    assert.deepEqual(decodeFrame(encodeControl(msg)), { kind: 'control', msg })
  }
})

test('channel frames round-trip with and without a topic scope', () => {
  const payload = new Uint8Array([1, 2, 3, 255])
  assert.deepEqual(decodeFrame(encodeChannel('session-data', TOPIC, payload)), {
    kind: 'channel',
    channel: 'session-data',
    scope: TOPIC,
    payload,
  })
  assert.deepEqual(decodeFrame(encodeChannel('rpc', '', new Uint8Array(0))), {
    kind: 'channel',
    channel: 'rpc',
    scope: '',
    payload: new Uint8Array(0),
  })
  // An ArrayBuffer (what a data channel delivers) decodes the same.
  const frame = encodeChannel('rpc', '', payload)
  assert.deepEqual(decodeFrame(frame.slice().buffer), decodeFrame(frame))
})

test('encoding refuses bad names, scopes and oversized payloads', () => {
  assert.throws(() => encodeChannel('Bad Name', '', new Uint8Array(0)), P2PError)
  assert.throws(() => encodeChannel('rpc', 'xyz', new Uint8Array(0)), P2PError)
  assert.throws(
    () => encodeChannel('rpc', '', new Uint8Array(MAX_FRAME)),
    (err: unknown) => err instanceof P2PError && err.code === 'payload-too-large',
  )
})

test('unknown frame kinds and control types from newer peers are skipped', () => {
  assert.equal(decodeFrame(new Uint8Array([7, 1, 2])), null)
  assert.equal(decodeFrame(encodeControl({ t: 'future' } as never)), null)
})

test('unknown reasons fall back to the safe meaning', () => {
  const leave = decodeFrame(
    new TextEncoder().encode(
      '\u0000' + JSON.stringify({ t: 'leave', topic: TOPIC, seq: 1, reason: 'x' }),
    ),
  )
  assert.deepEqual(leave, {
    kind: 'control',
    msg: { t: 'leave', topic: TOPIC, seq: 1, reason: 'left' },
  })
})

test('malformed frames are protocol errors', () => {
  const control = (s: string) => new Uint8Array([0, ...new TextEncoder().encode(s)])
  const cases: Array<Uint8Array | string> = [
    'text',
    new Uint8Array(0),
    new Uint8Array(MAX_FRAME + 1),
    control('{'),
    control('[1]'),
    new Uint8Array([0, 0xff, 0xfe]),
    control(JSON.stringify({ t: 'join', topic: 'nope', seq: 1 })),
    control(JSON.stringify({ t: 'join', topic: TOPIC, seq: -1 })),
    control(JSON.stringify({ t: 'join', topic: TOPIC, seq: 1.5 })),
    control(JSON.stringify({ t: 'hello', hello: {} })),
    control(JSON.stringify({ t: 'ping', pad: 'x'.repeat(MAX_CONTROL) })),
    new Uint8Array([1]),
    new Uint8Array([1, 5, 97]),
    new Uint8Array([1, 3, 65, 66, 67, 0]),
    new Uint8Array([1, 3, 114, 112, 99, 7, 1, 2]),
    new Uint8Array([1, 3, 114, 112, 99, 20, 1, 2]),
  ]
  for (const data of cases) assert.throws(() => decodeFrame(data), protocolError)
})
