import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Reassembler, type Delivered } from './frames.js'
import { Outbox } from './outbox.js'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('a backed-up channel makes the outbox wait, then it sends everything in order', async () => {
  let open = false
  const inbox = new Reassembler()
  const got: Delivered[] = []
  const outbox = new Outbox((frame) => {
    if (!open) return false
    got.push(...inbox.push(frame, 0))
    return true
  }, 10_000_000)
  for (let i = 0; i < 5; i++) outbox.push('data', new Uint8Array(100_000).fill(i))
  assert.equal(outbox.queued, 500_000)
  let drained = false
  void outbox.whenBelow(0).then(() => (drained = true))
  await tick(20)
  assert.equal(drained, false, 'nothing went while the channel refused')
  open = true
  await tick(20)
  assert.equal(drained, true)
  assert.equal(outbox.queued, 0)
  assert.deepEqual(
    got.map((m) => [m.seq, m.body[0], m.body.length]),
    [0, 1, 2, 3, 4].map((i) => [i + 1, i, 100_000]),
  )
})

test('a full queue refuses more with rate-limited; closing releases waiters', async () => {
  const outbox = new Outbox(() => false, 250_000)
  outbox.push('data', new Uint8Array(200_000))
  assert.throws(() => outbox.push('data', new Uint8Array(100_000)), /rate-limited/)
  const waiting = outbox.whenBelow(0)
  outbox.close()
  await waiting
  assert.equal(outbox.queued, 0)
})

test('a gone peer closes the outbox', () => {
  const outbox = new Outbox(() => 'gone', 1000)
  outbox.push('data', new Uint8Array(10))
  assert.equal(outbox.closed, true)
})
