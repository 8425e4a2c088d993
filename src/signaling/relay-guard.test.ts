import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RelayGuard } from './relay-guard.js'
import { RELAY_MAX_AGE } from './relay-envelope.js'
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

test('de-duplication memory is bounded, and never forgets a signature inside its window', () => {
  const c = clock()
  const guard = new RelayGuard({ now: c.now, maxSeen: 3, seenFor: 10_000 })
  for (const s of ['a', 'b', 'c']) assert.equal(guard.firstSight(s), true)
  // Full of signatures still inside their window: new ones are dropped, old ones stay known.
  assert.equal(guard.firstSight('d'), false)
  for (let i = 0; i < 10_000; i++) guard.firstSight(`flood-${i}`)
  assert.equal(guard.firstSight('a'), false, 'a replay is refused however many came since')
  // Past the window they go, and room comes back.
  c.advance(10_001)
  assert.equal(guard.firstSight('d'), true)
  assert.equal(guard.firstSight('a'), true)
})

test('by default a signature is remembered for the whole ± window of relayed signals', () => {
  const c = clock()
  const guard = new RelayGuard({ now: c.now })
  assert.equal(guard.firstSight('sig'), true)
  c.advance(2 * RELAY_MAX_AGE - 1)
  assert.equal(guard.firstSight('sig'), false)
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
