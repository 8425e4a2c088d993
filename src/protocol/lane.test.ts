/**
 * Lane tokens (the service worker's one-time, short-lived tickets for a
 * page's lobby lane) and the page's watch on its lane.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fakeClock } from '../testing/fake-clock.js'
import { LANE_ANSWER_MS, LANE_QUIET_MS, LANE_TOKEN_MS, LaneTokens, LaneWatch } from './lane.js'

const binding = { origin: 'https://a.example', owner: { tabId: 1, frameId: 0, documentId: 'D' } }

describe('LaneTokens', () => {
  it('binds a token to the document it was made for, once', () => {
    const tokens = new LaneTokens()
    tokens.mint(binding, 't1')
    assert.equal(tokens.take('t2'), null)
    assert.deepEqual(tokens.take('t1'), binding)
    assert.equal(tokens.take('t1'), null, 'a token works once')
  })

  it('refuses an expired token, and anything that is not a string', () => {
    let now = 1000
    const tokens = new LaneTokens({ now: () => now })
    tokens.mint(binding, 't1')
    tokens.mint(binding, 't2')
    now += LANE_TOKEN_MS - 1
    assert.deepEqual(tokens.take('t1'), binding)
    now += 1
    assert.equal(tokens.take('t2'), null)
    for (const bad of [undefined, null, 1, {}, ['t1']]) assert.equal(tokens.take(bad), null)
  })

  it('forgets the oldest tokens under a flood of asks', () => {
    const tokens = new LaneTokens({ max: 2 })
    for (const t of ['a', 'b', 'c']) tokens.mint(binding, t)
    assert.equal(tokens.take('a'), null)
    assert.deepEqual(tokens.take('b'), binding)
    assert.deepEqual(tokens.take('c'), binding)
  })
})

describe('LaneWatch', () => {
  function watched() {
    const clock = fakeClock()
    const log: string[] = []
    let waiting = 0
    const watch = new LaneWatch({
      clock,
      waiting: () => waiting > 0,
      probe: () => log.push('probe'),
      dead: () => log.push('dead'),
    })
    const call = () => {
      waiting++
      watch.sent()
    }
    const answer = () => {
      waiting--
      watch.heard()
    }
    return { clock, log, watch, call, answer }
  }

  it('declares a lane dead when a waiting call gets no answer and the probe none either', () => {
    const { clock, log, call } = watched()
    call()
    clock.advance(LANE_QUIET_MS - 1)
    assert.deepEqual(log, [])
    clock.advance(1)
    assert.deepEqual(log, ['probe'])
    clock.advance(LANE_ANSWER_MS - 1)
    assert.deepEqual(log, ['probe'])
    clock.advance(1)
    assert.deepEqual(log, ['probe', 'dead'])
  })

  it('keeps a lane whose engine answers the probe, through a long call', () => {
    const { clock, log, watch, call, answer } = watched()
    call()
    for (let i = 0; i < 5; i++) {
      clock.advance(LANE_QUIET_MS)
      assert.equal(log.at(-1), 'probe')
      clock.advance(10)
      watch.heard() // lane-alive
    }
    answer()
    clock.advance(10 * LANE_QUIET_MS)
    assert.deepEqual(log, Array(5).fill('probe'), 'no probe once nothing waits, never dead')
    assert.equal(clock.timers(), 0)
  })

  it('does not probe while the engine keeps talking', () => {
    const { clock, log, watch, call } = watched()
    call()
    for (let i = 0; i < 20; i++) {
      clock.advance(LANE_QUIET_MS / 2)
      watch.heard() // events
    }
    assert.deepEqual(log, [])
  })

  it('does nothing after stop', () => {
    const { clock, log, watch, call } = watched()
    call()
    watch.stop()
    clock.advance(LANE_QUIET_MS + LANE_ANSWER_MS)
    assert.deepEqual(log, [])
  })
})
