import assert from 'node:assert/strict'
import { test } from 'node:test'
import { backoffDelay } from './backoff.js'

test('backoff doubles from initial and stops at max', () => {
  const opts = { initial: 100, max: 1000, jitter: 0 }
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 100].map((n) => backoffDelay(n, opts)),
    [100, 200, 400, 800, 1000, 1000, 1000],
  )
})

test('jitter shortens the delay by at most its fraction', () => {
  const opts = { initial: 1000, max: 10_000, jitter: 0.5 }
  assert.equal(backoffDelay(0, { ...opts, random: () => 0 }), 1000)
  assert.equal(backoffDelay(0, { ...opts, random: () => 0.999999 }), 500)
  assert.equal(backoffDelay(1, { ...opts, random: () => 0.5 }), 1500)
})

test('nonsense attempts and jitter are clamped', () => {
  assert.equal(backoffDelay(-3, { initial: 10, max: 100, jitter: 0 }), 10)
  assert.equal(backoffDelay(2.7, { initial: 10, max: 100, jitter: 0 }), 40)
  assert.equal(backoffDelay(0, { initial: 10, max: 100, jitter: 7, random: () => 1 }), 0)
  assert.equal(backoffDelay(1e9, { initial: 10, max: 100, factor: 3, jitter: 0 }), 100)
})
