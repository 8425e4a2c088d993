import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_HEARTBEAT } from './heartbeat.js'
import { DEFAULT_RECOVERY, Recovery, restartsIce } from './recovery.js'
import { fakeClock } from '../testing/fake-clock.js'

const clock = () => fakeClock(0)

const OPTS = { firstRestart: 0, restartEvery: 2_500, freshAfter: 2_000 }

test('only the side that made the original offer restarts ICE', () => {
  assert.equal(restartsIce({ initiator: true }), true)
  assert.equal(restartsIce({ initiator: false }), false)
  const c = clock()
  const answerer = new Recovery(false, { ...OPTS, now: c.now })
  const actions = []
  for (let i = 0; i < 20; i++, c.advance(500)) actions.push(answerer.tick(true))
  assert.deepEqual(
    actions.filter((a) => a !== null),
    ['fresh'],
    'the other side never restarts; it looks for a fresh connection once',
  )
})

test('restarts at once when the path goes down, again every restartEvery, fresh once', () => {
  const c = clock()
  const r = new Recovery(true, { ...OPTS, now: c.now })
  assert.equal(r.tick(false), null, 'nothing while the path is up')
  const at: Array<[number, string]> = []
  for (let t = 0; t <= 6_000; t += 500, c.advance(500)) {
    const action = r.tick(true)
    if (action) at.push([t, action])
  }
  assert.deepEqual(at, [
    [0, 'restart'],
    [2_000, 'fresh'],
    [2_500, 'restart'],
    [5_000, 'restart'],
  ])
  assert.equal(r.restarts, 3)
  assert.equal(r.down, true)
})

test('a path back up ends the outage: the next one starts over', () => {
  const c = clock()
  const r = new Recovery(true, { ...OPTS, now: c.now })
  assert.equal(r.tick(true), 'restart')
  c.advance(500)
  assert.equal(r.tick(true), null)
  c.advance(500)
  assert.equal(r.tick(false), null)
  assert.equal(r.down, false)
  c.advance(500)
  assert.equal(r.tick(true), 'restart', 'a new outage restarts at once, not restartEvery later')
  c.advance(2_000)
  assert.equal(r.tick(true), 'fresh', 'and looks for a fresh connection again')
})

test('the defaults leave a fresh connection time within the heartbeat bound', () => {
  const bound = DEFAULT_HEARTBEAT.timeout + (DEFAULT_HEARTBEAT.pathGrace ?? 0)
  // The path is called down after two intervals of no transport bytes (connection.ts).
  const downAt = DEFAULT_HEARTBEAT.interval * 2
  const freshAt = downAt + DEFAULT_RECOVERY.freshAfter
  assert.ok(bound - freshAt >= 5_000, `${bound - freshAt} ms to signal and handshake`)
  assert.ok(DEFAULT_RECOVERY.restartEvery * 2 < bound - downAt, 'at least two restarts')
})
