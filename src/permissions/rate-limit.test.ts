import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RateLimiter } from './rate-limit.js'

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0
    const limiter = new RateLimiter({ burst: 3, perSecond: 2, now: () => now })
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('a')),
      [true, true, true, false],
    )
    now = 500
    assert.equal(limiter.take('a'), true)
    assert.equal(limiter.take('a'), false)
  })

  it('keeps keys apart so one origin cannot starve another', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001, now: () => 0 })
    assert.equal(limiter.take('a'), true)
    assert.equal(limiter.take('a'), false)
    assert.equal(limiter.take('b'), true)
  })

  it('forgets the least recently used keys past maxKeys', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001, maxKeys: 2, now: () => 0 })
    limiter.take('a')
    limiter.take('b')
    limiter.take('c')
    // 'a' was forgotten, so it starts with a full bucket again.
    assert.equal(limiter.take('a'), true)
  })
})
