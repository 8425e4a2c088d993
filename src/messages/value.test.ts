import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { decodeValue, encodeValue } from './value.js'

function roundTrip(value: unknown): unknown {
  return decodeValue(encodeValue(value))
}

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof P2PError, String(err))
    return err.code
  }
  return 'no error'
}

test('JSON values survive as they are', () => {
  const value = { a: 1, b: 'two', c: [true, null, 3.5], d: { e: [] }, f: '' }
  assert.deepEqual(roundTrip(value), value)
  for (const v of [null, 0, -1.25, 'x', true, [], {}]) assert.deepEqual(roundTrip(v), v)
})

test('Uint8Arrays survive anywhere in the value, byte for byte', () => {
  const big = new Uint8Array(300_000).map((_, i) => i % 251)
  const value = { bytes: new Uint8Array([1, 2, 3]), list: [new Uint8Array(0), big], top: 1 }
  const back = roundTrip(value) as { bytes: Uint8Array; list: Uint8Array[]; top: number }
  assert.ok(back.bytes instanceof Uint8Array)
  assert.deepEqual([...back.bytes], [1, 2, 3])
  assert.equal(back.list[0]?.length, 0)
  assert.deepEqual(back.list[1], big)
  const bare = roundTrip(new Uint8Array([9, 8])) as Uint8Array
  assert.deepEqual([...bare], [9, 8])
})

test('keys that look like the binary tag stay plain keys', () => {
  const value = { $bytes: 0, $$x: 'y', $: [{ $bytes: 'no' }] }
  assert.deepEqual(roundTrip(value), value)
  const proto = JSON.parse('{"__proto__": {"polluted": true}}') as unknown
  const back = roundTrip(proto) as Record<string, unknown>
  assert.equal(Object.getPrototypeOf(back), Object.prototype)
  assert.equal(({} as Record<string, unknown>).polluted, undefined)
  assert.ok(Object.hasOwn(back, '__proto__'))
})

test('undefined is dropped from objects and null in arrays, as JSON does', () => {
  assert.deepEqual(roundTrip({ a: undefined, b: [undefined] }), { b: [null] })
})

test('what JSON cannot hold is invalid-argument', () => {
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  for (const bad of [() => 1, Symbol('s'), 1n, NaN, Infinity, new Date(), new Map(), cyclic]) {
    assert.equal(
      code(() => encodeValue(bad)),
      'invalid-argument',
      String(bad),
    )
  }
  let deep: unknown = 1
  for (let i = 0; i < 70; i++) deep = [deep]
  assert.equal(
    code(() => encodeValue(deep)),
    'invalid-argument',
  )
})

test('a value over the cap is payload-too-large', () => {
  assert.equal(
    code(() => encodeValue(new Uint8Array(2000), 1000)),
    'payload-too-large',
  )
  assert.equal(encodeValue(new Uint8Array(900), 1000).length > 900, true)
})

test('malformed bytes from a peer are protocol-error', () => {
  const good = encodeValue({ b: new Uint8Array([1]) })
  const text = new TextEncoder()
  const frame = (json: string, bins: number[][] = []) => {
    const t = text.encode(json)
    const parts = [
      new Uint8Array(4),
      t,
      ...bins.flatMap((b) => [new Uint8Array(4), new Uint8Array(b)]),
    ]
    new DataView(parts[0]!.buffer).setUint32(0, t.length)
    bins.forEach((b, i) => new DataView(parts[2 + i * 2]!.buffer).setUint32(0, b.length))
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const p of parts) {
      out.set(p, at)
      at += p.length
    }
    return out
  }
  const cases = [
    new Uint8Array([0, 0]),
    good.subarray(0, good.length - 1),
    frame('{"a":'),
    frame('{"$bytes":3}'),
    frame('{"$x":1}'),
    frame('[{"$bytes":0},{"$bytes":0}]', [[1]]),
    frame('1', [[1]]),
  ]
  for (const bytes of cases)
    assert.equal(
      code(() => decodeValue(bytes)),
      'protocol-error',
    )
})
