import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { ConnectProblem } from './connect-problem.js'

const noPath = (n: number) => P2PError.NOT_CONNECTED(`no network path to a peer (#${n})`)

test('pages hear one not-connected per run of failures, again after a connection', () => {
  const problem = new ConnectProblem()
  const heard = [1, 2, 3].map((n) => problem.report(noPath(n)))
  assert.deepEqual(heard, [true, false, false])
  assert.equal(problem.latest?.message.includes('#3'), true, 'the latest is kept for the popup')
  problem.connected()
  assert.equal(problem.latest, null)
  assert.deepEqual(
    [4, 5].map((n) => problem.report(noPath(n))),
    [true, false],
  )
})

test('other errors always go through and do not start a run', () => {
  const problem = new ConnectProblem()
  assert.equal(problem.report(P2PError.LOBBY_FULL('x', 2)), true)
  assert.equal(problem.report(P2PError.LOBBY_FULL('x', 2)), true)
  assert.equal(problem.latest, null)
  assert.equal(problem.report(noPath(1)), true)
})
