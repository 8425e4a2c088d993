import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fakeClock } from '../testing/fake-clock.js'
import { RefusalRetry } from './refusal-retry.js'

function setup() {
  const clock = fakeClock()
  const announced: string[] = []
  const retry = new RefusalRetry({
    clock,
    initial: 500,
    max: 4_000,
    announce: (hex) => announced.push(hex),
  })
  return { clock, announced, retry }
}

test('a refusal announces the topic again after the first delay, once for a burst', () => {
  const { clock, announced, retry } = setup()
  retry.refused('t1')
  retry.refused('t1')
  retry.refused('t1')
  clock.advance(499)
  assert.deepEqual(announced, [])
  clock.advance(1)
  assert.deepEqual(announced, ['t1'])
})

test('refusals that go on retry quickly, then back off up to the longest delay; a peer starts them over', () => {
  const { clock, announced, retry } = setup()
  const delays: number[] = []
  let last = clock.now()
  for (let i = 0; i < 8; i++) {
    retry.refused('t1')
    while (announced.length === i) clock.advance(100)
    delays.push(clock.now() - last)
    last = clock.now()
  }
  // Three quick draws first (a tracker picks the member at random), then doubling.
  assert.deepEqual(delays, [500, 500, 500, 1_000, 2_000, 4_000, 4_000, 4_000])
  retry.joined('t1')
  retry.refused('t1')
  clock.advance(500)
  assert.equal(announced.length, 9)
})

test('a topic left has no retry; topics retry apart', () => {
  const { clock, announced, retry } = setup()
  retry.refused('t1')
  retry.refused('t2')
  retry.forget('t1')
  clock.advance(1_000)
  assert.deepEqual(announced, ['t2'])
})
