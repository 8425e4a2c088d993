import assert from 'node:assert/strict'
import { test } from 'node:test'
import { table } from '../../bench/lib/report.js'
import { row } from '../../bench/lib/rows.js'

const lobby = (value: number, anchor: { value: number; over?: number }) =>
  row({
    id: 'first-peer.lobby-vs-trystero',
    figure: 'time to first peer, Porchlight lobby',
    value,
    unit: 'ms',
    anchor: { figure: 'Trystero', ...anchor },
    target: { bound: 'max', value: 0.6, of: 'ratio' },
  })

test('a ratio against a measured anchor is value / anchor, judged against the target', () => {
  const r = lobby(100, { value: 250, over: 15_000 })
  assert.equal(r.ratio, 0.4)
  assert.equal(r.ratioBelow, undefined)
  assert.equal(r.status, 'pass')
  assert.equal(lobby(200, { value: 250 }).status, 'fail')
})

test('an anchor whose runs mostly never finished gives a bound, not a ratio of 0', () => {
  const r = lobby(90, { value: Infinity, over: 15_000 })
  assert.equal(r.ratio, null)
  assert.equal(r.anchor?.value, null)
  assert.equal(r.ratioBelow, 0.01, '90 / 15000 rounded up')
  assert.equal(r.status, 'pass', 'under a bound under the target')
  const shown = table([r])
  assert.match(shown, /Trystero: > 15000 ms/)
  assert.match(shown, /\| < 0\.01× /)
  assert.doesNotMatch(shown, /\b0×/)
  // A bound above the target cannot tell; without a cap nothing can be said.
  assert.equal(lobby(12_000, { value: Infinity, over: 15_000 }).status, 'incomplete')
  assert.equal(lobby(90, { value: Infinity }).status, 'fail')
})
