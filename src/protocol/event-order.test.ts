/** A lobby's events arriving two ways (lane and service worker) come out in the engine's order. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventOrder } from './event-order.js'
import type { EventMessage } from './messages.js'

const evt = (seq: number): EventMessage => ({ t: 'evt', name: 'peer-update', lobby: 'l', seq })

function order(seq = 0, opts: { maxAhead?: number } = {}) {
  const applied: number[] = []
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = []
  const o = new EventOrder({
    seq,
    apply: (e) => applied.push(e.seq),
    gapMs: 500,
    ...opts,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false }
      timers.push(t)
      return t
    },
    clearTimer: (t) => {
      ;(t as { cleared: boolean }).cleared = true
    },
  })
  const fire = () => {
    for (const t of timers.splice(0)) if (!t.cleared) t.fn()
  }
  return { o, applied, timers, fire }
}

describe('EventOrder', () => {
  it('applies events in order at once, and drops those the snapshot already has', () => {
    const { o, applied, timers } = order(3)
    for (const s of [2, 3, 4, 5, 5, 4]) o.push(evt(s))
    assert.deepEqual(applied, [4, 5])
    assert.equal(o.seq, 5)
    assert.equal(timers.length, 0)
  })

  it('holds an event that overtook earlier ones until they arrive', () => {
    const { o, applied, timers } = order()
    o.push(evt(3))
    o.push(evt(2))
    assert.deepEqual(applied, [])
    o.push(evt(1))
    assert.deepEqual(applied, [1, 2, 3])
    assert.equal(timers[0]?.cleared, true, 'no wait left once the gap filled')
  })

  it('skips a lost event after the wait, and keeps waiting for a later gap', () => {
    const { o, applied, timers, fire } = order()
    o.push(evt(2))
    o.push(evt(4))
    assert.equal(timers[0]?.ms, 500)
    fire()
    assert.deepEqual(applied, [2], '1 was lost: on from 2; 3 is still awaited')
    o.push(evt(1))
    assert.deepEqual(applied, [2], 'the lost one, late, is old now')
    fire()
    assert.deepEqual(applied, [2, 4])
    o.push(evt(5))
    assert.deepEqual(applied, [2, 4, 5])
  })

  it('skips at once when too many are held', () => {
    const { o, applied } = order(0, { maxAhead: 3 })
    for (const s of [2, 3, 4]) o.push(evt(s))
    assert.deepEqual(applied, [])
    o.push(evt(5))
    assert.deepEqual(applied, [2, 3, 4, 5])
  })

  it('drops what it holds when cleared, and ignores events without a number', () => {
    const { o, applied, timers, fire } = order()
    o.push({ t: 'evt', name: 'state', lobby: 'l' })
    o.push(evt(2))
    o.clear()
    assert.equal(timers[0]?.cleared, true)
    fire()
    o.push(evt(1))
    assert.deepEqual(applied, [1])
  })
})
