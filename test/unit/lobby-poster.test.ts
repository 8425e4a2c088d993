// The page's outgoing lobby messages (extension/page/lobby-poster.ts): batching,
// big items cut into `more` pieces, one batch in flight, failures.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import { MAX_POST_CHARS, checkPost, type PostItem } from '../../src/protocol/lobby-messages.js'
import { ITEM_OVERHEAD } from '../../src/messages/value.js'
import { MAX_PAGE_QUEUE, Poster } from '../../extension/page/lobby-poster.js'

const LOBBY = 'a'.repeat(32)

/** A fake engine: records batches, answers each when `release()` is called. */
function engine() {
  const batches: PostItem[][] = []
  const waiting: Array<(err?: P2PError) => void> = []
  let inFlight = 0
  let maxInFlight = 0
  const poster = new Poster((items) => {
    // What the gatekeeper would accept.
    checkPost({ lobby: LOBBY, items })
    batches.push(items)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    return new Promise<void>((resolve, reject) =>
      waiting.push((err) => {
        inFlight--
        if (err) reject(err)
        else resolve()
      }),
    )
  })
  return {
    poster,
    batches,
    release: (err?: P2PError) => waiting.shift()?.(err),
    maxInFlight: () => maxInFlight,
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

test('small messages queued together go in one batch, after the one in flight', async () => {
  const e = engine()
  const first = e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(1))
  const rest = [2, 3, 4].map((n) => e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(n)))
  await tick()
  assert.equal(e.batches.length, 1)
  e.release()
  await first
  await tick()
  assert.equal(e.batches.length, 2)
  assert.deepEqual(
    e.batches[1]!.map((i) => ('data' in i ? [...fromBase64(i.data, 'd')] : [])),
    [[2], [3], [4]],
  )
  e.release()
  await Promise.all(rest)
  assert.equal(e.maxInFlight(), 1)
})

test('a big message is cut into pieces that put it back together', async () => {
  const e = engine()
  const big = new Uint8Array(2_000_000).map((_, i) => i % 253)
  const sent = e.poster.push({ t: 'msg', to: '*' }, big)
  let done = false
  void sent.then(() => (done = true))
  for (let i = 0; i < 10 && !done; i++) {
    await tick()
    e.release()
  }
  await sent
  assert.ok(e.batches.length >= 3, `${e.batches.length} batches`)
  const items = e.batches.flat()
  assert.equal(items[0]?.t, 'msg')
  assert.ok(items.slice(1).every((i) => i.t === 'more'))
  assert.ok(items.slice(0, -1).every((i) => 'more' in i && i.more))
  assert.ok(
    e.batches.every(
      (b) => b.reduce((n, i) => n + ('data' in i ? i.data.length : 0), 0) <= MAX_POST_CHARS,
    ),
  )
  const parts = items.map((i) => ('data' in i ? fromBase64(i.data, 'd') : new Uint8Array()))
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    whole.set(p, at)
    at += p.length
  }
  assert.deepEqual(whole, big)
})

test('a failed batch fails its items; the next ones still go', async () => {
  const e = engine()
  const a = e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(1))
  const b = e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(2))
  await tick()
  e.release(P2PError.RATE_LIMITED())
  await assert.rejects(a, /rate-limited/)
  await tick()
  e.release()
  await b
})

test('a queue past the cap refuses at once; closing fails what waits', async () => {
  const e = engine()
  const first = e.poster.push({ t: 'msg', to: '*' }, new Uint8Array(40 * 1024 * 1024))
  assert.throws(
    () => e.poster.push({ t: 'msg', to: '*' }, new Uint8Array(40 * 1024 * 1024)),
    /rate-limited/,
  )
  const queued = e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(1))
  e.poster.close(P2PError.NOT_CONNECTED('left'))
  await assert.rejects(queued, /not-connected/)
  assert.throws(() => e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(1)), /not-connected/)
  void first.catch(() => undefined)
})

test('a tight loop of tiny sends gets rate-limited within a bounded count', () => {
  const e = engine()
  let pushed = 0
  assert.throws(() => {
    for (; pushed < 10_000_000; pushed++)
      void e.poster.push({ t: 'msg', to: '*' }, Uint8Array.of(0)).catch(() => undefined)
  }, /rate-limited/)
  assert.ok(pushed <= MAX_PAGE_QUEUE / ITEM_OVERHEAD, `${pushed} one-byte sends were queued`)
  e.poster.close(P2PError.NOT_CONNECTED('left'))
})
