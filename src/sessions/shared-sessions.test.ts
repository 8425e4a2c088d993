// Tabs sharing a session: hosting again must ask for the same options, and a
// join with another password does not ride on another tab's admission.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkSameHosting, SessionJoins } from './shared-sessions.js'

const K1 = new Uint8Array(32).fill(1)
const K2 = new Uint8Array(32).fill(2)
const ID = '["hyper://me","hyper://host?lobby=x&origin=https%3A%2F%2Fa.example"]'

describe('checkSameHosting', () => {
  it('lets the same options share, refuses another password or maxPeers', () => {
    checkSameHosting(undefined, { maxPeers: 4, key: K1 }, 'x')
    checkSameHosting({ maxPeers: 4, key: K1 }, { maxPeers: 4, key: Uint8Array.from(K1) }, 'x')
    checkSameHosting({ maxPeers: 4, key: null }, { maxPeers: 4, key: null }, 'x')
    for (const wanted of [
      { maxPeers: 4, key: K2 },
      { maxPeers: 4, key: null },
      { maxPeers: 8, key: K1 },
    ]) {
      assert.throws(() => checkSameHosting({ maxPeers: 4, key: K1 }, wanted, 'x'), {
        code: 'invalid-argument',
        message: /already hosted here/,
      })
    }
    assert.throws(
      () => checkSameHosting({ maxPeers: 4, key: null }, { maxPeers: 4, key: K1 }, 'x'),
      {
        code: 'invalid-argument',
        message: /no password/,
      },
    )
  })
})

describe('SessionJoins', () => {
  /** A join that the test decides: resolve (admitted) or reject. */
  function pendingJoin(joins: SessionJoins) {
    let finish: (admitted: boolean) => void = () => {}
    const result = new Promise<string>((resolve, reject) => {
      finish = (admitted) => {
        if (admitted) {
          joins.admitted(ID)
          resolve('joined')
        } else reject(new Error('wrong-password'))
      }
    })
    return { result, finish }
  }

  it('another password than the admitted tab’s is wrong-password, without a join', async () => {
    const joins = new SessionJoins()
    assert.equal(await joins.run(ID, K1, async () => (joins.admitted(ID), 'first')), 'first')
    let called = false
    await assert.rejects(
      joins.run(ID, K2, async () => ((called = true), 'second')),
      { code: 'wrong-password' },
    )
    await assert.rejects(
      joins.run(ID, null, async () => 'none'),
      { code: 'wrong-password' },
    )
    assert.equal(called, false)
    assert.equal(
      await joins.run(ID, K1, async () => 'shared'),
      'shared',
      'the same password shares',
    )
    joins.ended(ID)
    assert.equal(
      await joins.run(ID, K2, async () => 'fresh'),
      'fresh',
      'after it closed: a new join',
    )
  })

  it('an open session admitted without a password lets any tab share', async () => {
    const joins = new SessionJoins()
    await joins.run(ID, null, async () => joins.admitted(ID))
    assert.equal(await joins.run(ID, K2, async () => 'shared'), 'shared')
  })

  it('waits for a pending join with another password; tries on its own if that failed', async () => {
    const joins = new SessionJoins()
    const first = pendingJoin(joins)
    const a = joins.run(ID, K2, () => first.result)
    let ran = false
    const b = joins.run(ID, K1, async () => ((ran = true), 'own'))
    await new Promise((r) => setTimeout(r, 10))
    assert.equal(ran, false, 'waits while the first is decided')
    first.finish(false)
    await assert.rejects(a)
    assert.equal(await b, 'own')
    assert.equal(ran, true)
  })

  it('waits for a pending join with another password; wrong-password if that got in', async () => {
    const joins = new SessionJoins()
    const first = pendingJoin(joins)
    const a = joins.run(ID, K1, () => first.result)
    const b = joins.run(ID, K2, async () => 'must not run')
    first.finish(true)
    assert.equal(await a, 'joined')
    await assert.rejects(b, { code: 'wrong-password' })
  })
})
