import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Heartbeat } from './heartbeat.js'

function clock() {
  let t = 0
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

test('pings after a quiet interval, not while we are talking', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, now: c.now })
  assert.equal(hb.tick(), null)
  c.advance(999)
  assert.equal(hb.tick(), null)
  hb.heard()
  c.advance(1)
  assert.equal(hb.tick(), 'ping')
  hb.spoke()
  c.advance(500)
  assert.equal(hb.tick(), null)
})

test('declares the remote dead after timeout of silence, whatever we send', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, now: c.now })
  for (let i = 0; i < 3; i++) {
    c.advance(1000)
    hb.spoke()
  }
  c.advance(999)
  assert.equal(hb.tick(), null)
  c.advance(1)
  assert.equal(hb.tick(), 'dead')
})

test('anything heard keeps the remote alive', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, now: c.now })
  for (let i = 0; i < 20; i++) {
    c.advance(3000)
    hb.heard()
    hb.spoke()
    assert.equal(hb.tick(), null)
  }
})

test('a timeout shorter than two intervals is raised so one late ping is not death', () => {
  const hb = new Heartbeat({ interval: 1000, timeout: 500, now: () => 0 })
  assert.equal(hb.timeout, 2000)
})

test('a path that is down gets pathGrace more before the remote is dead', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, pathGrace: 6000, now: c.now })
  c.advance(2400)
  assert.equal(hb.stalled, false)
  c.advance(100)
  assert.equal(hb.stalled, true)
  c.advance(1500)
  assert.equal(hb.tick(false), 'dead')
  assert.equal(hb.tick(true), 'ping')
  c.advance(5999)
  assert.equal(hb.tick(true), 'ping')
  c.advance(1)
  assert.equal(hb.tick(true), 'dead')
  hb.heard()
  assert.equal(hb.stalled, false)
})
