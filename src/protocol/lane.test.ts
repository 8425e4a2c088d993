/** Lane tokens: the service worker's one-time, short-lived tickets for a page's lobby lane. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LANE_TOKEN_MS, LaneTokens } from './lane.js'

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
