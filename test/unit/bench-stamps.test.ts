// The bench's stamp collector (bench/page/stamps.ts): a receiver armed before
// the sender starts keeps every stamp, even those that arrive before anyone
// awaits the result (the race behind the data group's "no stamp in 10000 ms").
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { StampCollector } from '../../bench/page/stamps.js'

test('stamps that arrive before the result is awaited all count', async () => {
  let clock = 100
  const collector = new StampCollector(3, 1_000, () => clock)
  // The sender overtakes the receiver's next call: all three are in already.
  collector.stamp(99)
  clock = 102
  collector.stamp(101.5)
  collector.stamp(100)
  assert.deepEqual(await collector.result(), [1, 0.5, 2])
})

test('stamps beyond the count are ignored', async () => {
  const collector = new StampCollector(1, 1_000, () => 10)
  collector.stamp(7)
  collector.stamp(9)
  assert.deepEqual(await collector.result(), [3])
})

test('missing stamps end in an error that says how many came', async () => {
  const collector = new StampCollector(2, 20, () => 0)
  collector.stamp(0)
  await assert.rejects(collector.result(), /no "stamp" in 20 ms \(1 of 2 arrived\)/)
})
