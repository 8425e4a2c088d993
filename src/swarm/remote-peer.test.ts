import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareConnections } from './remote-peer.js'

const A = '1'.repeat(40)
const B = 'f'.repeat(40)

test('the connection initiated by the lower peer id is kept', () => {
  assert.ok(
    compareConnections({ initiatorPeerId: A, key: 'z' }, { initiatorPeerId: B, key: 'a' }) < 0,
  )
  assert.ok(
    compareConnections({ initiatorPeerId: B, key: 'a' }, { initiatorPeerId: A, key: 'z' }) > 0,
  )
})

test('between two initiated by the same peer, the lower key is kept', () => {
  assert.ok(
    compareConnections({ initiatorPeerId: A, key: 'k1' }, { initiatorPeerId: A, key: 'k2' }) < 0,
  )
  assert.equal(
    compareConnections({ initiatorPeerId: A, key: 'k' }, { initiatorPeerId: A, key: 'k' }),
    0,
  )
})

test('both sides agree: the order does not depend on which side sorts', () => {
  const x = { initiatorPeerId: A, key: 'sha-256 AA#sha-256 BB' }
  const y = { initiatorPeerId: B, key: 'sha-256 CC#sha-256 DD' }
  const sideA = [x, y].sort(compareConnections)[0]
  const sideB = [y, x].sort(compareConnections)[0]
  assert.equal(sideA, sideB)
})
