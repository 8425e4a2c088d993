import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RelayGuard } from './relay-guard.js'
import { fakeClock } from '../testing/fake-clock.js'

const clock = () => fakeClock()

test('an envelope is delivered once, however many ways it comes', () => {
  const c = clock()
  const guard = new RelayGuard({ now: c.now, seenFor: 10_000 })
  assert.equal(guard.firstSight('sig-1'), true)
  assert.equal(guard.firstSight('sig-1'), false)
  assert.equal(guard.firstSight('sig-2'), true)
  c.advance(5_000)
  assert.equal(guard.firstSight('sig-1'), false)
  // Past the window (envelopes that old are refused as stale anyway).
  c.advance(6_000)
  assert.equal(guard.firstSight('sig-1'), true)
})

test('de-duplication memory is bounded', () => {
  const c = clock()
  const guard = new RelayGuard({ now: c.now, maxSeen: 3 })
  for (const s of ['a', 'b', 'c', 'd']) assert.equal(guard.firstSight(s), true)
  // 'a' was forgotten to stay within 3; the newer ones are still known.
  assert.equal(guard.firstSight('d'), false)
  assert.equal(guard.firstSight('a'), true)
})

test('each neighbour and each sender has its own rate', () => {
  const c = clock()
  const guard = new RelayGuard({
    now: c.now,
    perNeighbour: { burst: 3, perSecond: 1 },
    perSender: { burst: 2, perSecond: 1 },
  })
  assert.deepEqual(
    [1, 2, 3, 4].map(() => guard.fromNeighbour('n1')),
    [true, true, true, false],
  )
  assert.equal(guard.fromNeighbour('n2'), true, 'another neighbour is not held back')
  assert.deepEqual(
    [1, 2, 3].map(() => guard.fromSender('s1')),
    [true, true, false],
  )
  c.advance(1_000)
  assert.equal(guard.fromNeighbour('n1'), true)
  assert.equal(guard.fromSender('s1'), true)
  assert.equal(guard.fromSender('s1'), false)
})
