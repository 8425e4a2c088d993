import assert from 'node:assert/strict'
import { mock, test } from 'node:test'
import { LostPeers } from './lost-peers.js'

const opts = { initial: 100, max: 400, jitter: 0, attempts: 4 }

function setup(inTopic: (topic: string) => boolean = () => true) {
  mock.timers.enable({ apis: ['setTimeout'] })
  const calls: Array<[string, string]> = []
  const lost = new LostPeers((topic, peerId) => {
    calls.push([topic, peerId])
    return inTopic(topic)
  }, opts)
  return { lost, calls }
}

test('announces the shared topics with backoff, then gives up', (t) => {
  t.after(() => mock.timers.reset())
  const { lost, calls } = setup()
  lost.add('p', { topics: new Set(['t1', 't2']), tags: new Set() })
  mock.timers.tick(99)
  assert.equal(calls.length, 0)
  mock.timers.tick(1)
  assert.deepEqual(calls, [
    ['t1', 'p'],
    ['t2', 'p'],
  ])
  mock.timers.tick(200) // 2nd after 200
  mock.timers.tick(400) // 3rd after 400
  mock.timers.tick(400) // 4th after 400 (max)
  assert.equal(calls.length, 8)
  mock.timers.tick(10_000)
  assert.equal(calls.length, 8, 'no more than `attempts` rounds')
  assert.equal(lost.take('p'), undefined, 'given up')
})

test('stops when the peer is back, handing back what it was', (t) => {
  t.after(() => mock.timers.reset())
  const { lost, calls } = setup()
  lost.add('p', { topics: new Set(['t1']), tags: new Set(['friend']) })
  mock.timers.tick(100)
  assert.deepEqual(lost.take('p'), { topics: new Set(['t1']), tags: new Set(['friend']) })
  mock.timers.tick(10_000)
  assert.equal(calls.length, 1)
})

test('stops looking through topics we left', (t) => {
  t.after(() => mock.timers.reset())
  const { lost, calls } = setup((topic) => topic !== 'gone')
  lost.add('p', { topics: new Set(['t1', 'gone']), tags: new Set() })
  mock.timers.tick(100)
  assert.equal(calls.length, 2)
  mock.timers.tick(200)
  assert.deepEqual(calls.slice(2), [['t1', 'p']], 'a topic we are no longer in is dropped')
  lost.forgetTopic('t1')
  mock.timers.tick(10_000)
  assert.equal(calls.length, 3)
  assert.equal(lost.take('p'), undefined, 'nothing left to look through')
})

test('clear stops everything', (t) => {
  t.after(() => mock.timers.reset())
  const { lost, calls } = setup()
  lost.add('p', { topics: new Set(['t1']), tags: new Set() })
  lost.add('q', { topics: new Set(['t1']), tags: new Set() })
  lost.clear()
  mock.timers.tick(10_000)
  assert.equal(calls.length, 0)
})
