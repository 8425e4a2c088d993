import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_HEARTBEAT, Heartbeat } from './heartbeat.js'
import { fakeClock } from '../testing/fake-clock.js'

const clock = () => fakeClock(0)

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

test('once the path is back, the remote gets timeout more to be heard, within the bound', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, pathGrace: 20_000, now: c.now })
  assert.equal(hb.bound, 24_000)
  // A 10 s outage: the path is down from 3 s of silence until 11 s.
  c.advance(3000)
  for (; hb.quiet < 11_000; c.advance(500)) assert.notEqual(hb.tick(true), 'dead')
  // Last seen down at 10.5 s. Back up: the data channel resumes a few seconds
  // later (SCTP backed off), so silence past the 4 s timeout is not death yet.
  c.advance(3000)
  assert.equal(hb.tick(false), 'ping')
  c.advance(1000)
  assert.equal(hb.tick(false), 'dead', 'timeout after the path came back, nothing heard')
})

test('a path back up late still ends at the bound; heard in time keeps the remote', () => {
  const c = clock()
  const hb = new Heartbeat({ interval: 1000, timeout: 4000, pathGrace: 20_000, now: c.now })
  c.advance(23_000)
  assert.equal(hb.tick(true), 'ping')
  c.advance(500)
  assert.equal(hb.tick(false), 'ping', 'recovering')
  c.advance(500)
  assert.equal(hb.tick(false), 'dead', 'the bound: 24 s of silence')
  const again = new Heartbeat({ interval: 1000, timeout: 4000, pathGrace: 20_000, now: c.now })
  c.advance(15_000)
  assert.equal(again.tick(true), 'ping')
  c.advance(3_000)
  again.heard()
  c.advance(3_999)
  assert.equal(again.tick(false), 'ping')
})

test('by default a hung remote is dead at 4 s, a cut path at 10 s; a 20 s grace keeps it 20 s more', () => {
  const c = clock()
  const hung = new Heartbeat({ ...DEFAULT_HEARTBEAT, now: c.now })
  c.advance(4000)
  assert.equal(hung.tick(false), 'dead')
  const cutByDefault = new Heartbeat({ ...DEFAULT_HEARTBEAT, now: c.now })
  c.advance(9_999)
  assert.equal(cutByDefault.tick(true), 'ping')
  c.advance(1)
  assert.equal(cutByDefault.tick(true), 'dead')
  const cut = new Heartbeat({ ...DEFAULT_HEARTBEAT, pathGrace: 20_000, now: c.now })
  c.advance(23_999)
  assert.equal(cut.tick(true), 'ping')
  c.advance(1)
  assert.equal(cut.tick(true), 'dead')
})
