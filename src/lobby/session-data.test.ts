import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import {
  SESSION_DATA_INTERVAL,
  SESSION_DATA_MAX,
  SessionDataReceiver,
  SessionDataSender,
  sameBytes,
  sessionDataBytes,
  truncateSessionData,
} from './session-data.js'
import type { Clock } from '../clock.js'
import { fakeClock } from '../testing/fake-clock.js'

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (s: string) => new TextEncoder().encode(s)

function sender(clock: Clock, ok: () => boolean = () => true) {
  const sent: Array<{ at: number; value: string }> = []
  const s = new SessionDataSender({
    clock,
    send: (payload) => {
      const accepted = ok()
      if (accepted) sent.push({ at: clock.now(), value: new TextDecoder().decode(payload) })
      return accepted
    },
  })
  return { s, sent }
}

test('the API takes strings (UTF-8) and bytes up to 256, refusing more with payload-too-large', () => {
  assert.deepEqual(sessionDataBytes('hé'), bytes(0x68, 0xc3, 0xa9))
  const input = bytes(1, 2, 3)
  const copy = sessionDataBytes(input)
  input[0] = 9
  assert.deepEqual(copy, bytes(1, 2, 3), 'a copy, not a view of the caller’s buffer')
  assert.equal(sessionDataBytes(new Uint8Array(SESSION_DATA_MAX)).length, 256)
  assert.equal(sessionDataBytes('').length, 0)
  const tooLarge = (err: unknown) => err instanceof P2PError && err.code === 'payload-too-large'
  assert.throws(() => sessionDataBytes(new Uint8Array(257)), tooLarge)
  assert.throws(() => sessionDataBytes('x'.repeat(257)), tooLarge)
  // 129 two-byte characters: 258 bytes though only 129 characters.
  assert.throws(() => sessionDataBytes('é'.repeat(129)), tooLarge)
  const invalid = (err: unknown) => err instanceof P2PError && err.code === 'invalid-argument'
  for (const bad of [null, undefined, 42, {}, [1, 2], new ArrayBuffer(2), new Uint16Array(2)]) {
    assert.throws(() => sessionDataBytes(bad), invalid)
  }
})

test('a receiver truncates payloads to 256 bytes', () => {
  const long = Uint8Array.from({ length: 300 }, (_, i) => i % 256)
  const cut = truncateSessionData(long)
  assert.equal(cut.length, 256)
  assert.deepEqual(cut, long.subarray(0, 256))
  assert.deepEqual(truncateSessionData(bytes(1)), bytes(1))
})

test('the first value goes out at once', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  assert.deepEqual(sent, [{ at: clock.now(), value: 'a' }])
  assert.equal(s.pending, null)
})

test('later values wait for the next 5 s slot and coalesce: the latest wins', () => {
  const clock = fakeClock()
  const t0 = clock.now()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  clock.advance(1000)
  s.set(text('b'))
  clock.advance(1000)
  s.set(text('c'))
  assert.deepEqual(s.pending, text('c'))
  clock.advance(2999)
  assert.equal(sent.length, 1, 'nothing before the slot')
  clock.advance(1)
  assert.deepEqual(sent, [
    { at: t0, value: 'a' },
    { at: t0 + SESSION_DATA_INTERVAL, value: 'c' },
  ])
  assert.equal(clock.timers(), 0)
})

test('a value after a quiet stretch goes out at once again', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  clock.advance(7000)
  s.set(text('b'))
  assert.equal(sent.length, 2)
  assert.equal(sent[1]?.at, sent[0] ? sent[0].at + 7000 : NaN)
})

test('never more than one send per 5 s, however often the value changes', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  for (let i = 0; i < 600; i++) {
    s.set(text(String(i)))
    clock.advance(100)
  }
  clock.advance(SESSION_DATA_INTERVAL)
  for (let i = 1; i < sent.length; i++) {
    assert.ok((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0) >= SESSION_DATA_INTERVAL)
  }
  assert.ok(sent.length >= 12 && sent.length <= 13, `${sent.length} sends in 60 s`)
  assert.equal(sent.at(-1)?.value, '599', 'the last value always arrives')
})

test('setting the value the peer already has sends nothing and drops what was pending', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  s.set(text('a'))
  assert.equal(sent.length, 1)
  s.set(text('b'))
  s.set(text('a'))
  assert.equal(s.pending, null)
  clock.advance(SESSION_DATA_INTERVAL * 2)
  assert.deepEqual(
    sent.map((x) => x.value),
    ['a'],
  )
})

test('a send that cannot go now is retried a slot later', () => {
  const clock = fakeClock()
  let up = false
  const { s, sent } = sender(clock, () => up)
  s.set(text('a'))
  assert.equal(sent.length, 0)
  assert.deepEqual(s.pending, text('a'))
  up = true
  clock.advance(SESSION_DATA_INTERVAL)
  assert.deepEqual(
    sent.map((x) => x.value),
    ['a'],
  )
})

test('closing a sender drops what is pending', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  s.set(text('b'))
  s.close()
  clock.advance(SESSION_DATA_INTERVAL * 2)
  s.set(text('c'))
  assert.deepEqual(
    sent.map((x) => x.value),
    ['a'],
  )
  assert.equal(clock.timers(), 0)
})

test('the sender keeps its own copy of the value', () => {
  const clock = fakeClock()
  const { s, sent } = sender(clock)
  s.set(text('a'))
  const b = text('b')
  s.set(b)
  b[0] = 0x7a
  clock.advance(SESSION_DATA_INTERVAL)
  assert.equal(sent[1]?.value, 'b')
})

test('a receiver starts empty, keeps the latest value and reports changes only', () => {
  const clock = fakeClock()
  const r = new SessionDataReceiver({ clock })
  assert.equal(r.value, null)
  assert.equal(r.receive(text('a')), 'changed')
  assert.deepEqual(r.value, text('a'))
  clock.advance(SESSION_DATA_INTERVAL)
  assert.equal(r.receive(text('a')), 'same')
  clock.advance(SESSION_DATA_INTERVAL)
  assert.equal(r.receive(text('b')), 'changed')
  assert.deepEqual(r.value, text('b'))
  clock.advance(SESSION_DATA_INTERVAL)
  assert.equal(r.receive(new Uint8Array(0)), 'changed', 'empty is a value, unlike null')
  assert.deepEqual(r.value, new Uint8Array(0))
})

test('a receiver truncates what it keeps', () => {
  const r = new SessionDataReceiver({ clock: fakeClock() })
  r.receive(new Uint8Array(1000).fill(7))
  assert.equal(r.value?.length, 256)
})

test('a receiver ignores floods but takes an honest sender with jitter', () => {
  const clock = fakeClock()
  const flood = new SessionDataReceiver({ clock })
  const results = Array.from({ length: 50 }, (_, i) => flood.receive(text(String(i))))
  assert.deepEqual(results.slice(0, 2), ['changed', 'changed'])
  assert.ok(results.slice(2).every((r) => r === 'ignored'))
  assert.equal(flood.ignored, 48)
  assert.deepEqual(flood.value, text('1'), 'the flood did not move the value past the burst')
  // After a quiet interval the peer is heard again.
  clock.advance(SESSION_DATA_INTERVAL)
  assert.equal(flood.receive(text('later')), 'changed')

  const honest = new SessionDataReceiver({ clock })
  // Sent every 5 s exactly; each arrives 0–800 ms late, in a changing pattern.
  let at = 0
  for (let i = 0; i < 100; i++) {
    const arrival = i * SESSION_DATA_INTERVAL + [400, 0, 800, 100][i % 4]!
    clock.advance(arrival - at)
    at = arrival
    assert.equal(honest.receive(text(String(i))), 'changed', `message ${i}`)
  }
  assert.equal(honest.ignored, 0)
})

test('a receiver with a shorter interval (tests, demos) limits at that rate', () => {
  const clock = fakeClock()
  const r = new SessionDataReceiver({ clock, interval: 100, burst: 1 })
  assert.equal(r.receive(text('a')), 'changed')
  assert.equal(r.receive(text('b')), 'ignored')
  clock.advance(100)
  assert.equal(r.receive(text('c')), 'changed')
})

test('sameBytes compares contents, and null only to null', () => {
  assert.equal(sameBytes(bytes(1, 2), bytes(1, 2)), true)
  assert.equal(sameBytes(bytes(1, 2), bytes(1, 3)), false)
  assert.equal(sameBytes(bytes(1), bytes(1, 1)), false)
  assert.equal(sameBytes(null, null), true)
  assert.equal(sameBytes(null, new Uint8Array(0)), false)
})
