import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fakeClock } from '../testing/fake-clock.js'
import { OfferPool, type Poolable } from './offer-pool.js'

/** A pooled thing whose offer resolves (or fails) when the test says. */
class Fake implements Poolable {
  static made = 0
  readonly id = ++Fake.made
  closed = false
  resolve: (sdp: string) => void = () => undefined
  reject: (err: Error) => void = () => undefined
  readonly #offer = new Promise<string>((resolve, reject) => {
    this.resolve = resolve
    this.reject = reject
  })
  offer(): Promise<string> {
    return this.#offer
  }
  close(): void {
    this.closed = true
  }
}

function setup(size = 3, room = () => true) {
  const clock = fakeClock(0)
  const made: Fake[] = []
  const pool = new OfferPool<Fake>({
    size,
    ttl: 30_000,
    refillDelay: 300,
    clock,
    make: () => {
      if (!room()) return null
      const f = new Fake()
      made.push(f)
      return f
    },
  })
  return { pool, made, advance: (ms: number) => clock.advance(ms) }
}

const settle = () => new Promise<void>((r) => setImmediate(r))

/** A full pool of `size` whose offers are all gathered. */
async function gatheredPool(size: number) {
  const pool = setup(size)
  pool.pool.fill()
  for (const f of pool.made) f.resolve('sdp')
  await settle()
  return pool
}

test('fills up to its size, and no further', () => {
  const { pool, made } = setup(3)
  pool.fill()
  pool.fill()
  assert.equal(made.length, 3)
  assert.equal(pool.size, 3)
})

test('hands out gathered entries first, freshest first, and refills after the delay', async () => {
  const { pool, made, advance } = setup(3)
  pool.fill()
  const [a, b, c] = made as [Fake, Fake, Fake]
  a.resolve('sdp-a')
  c.resolve('sdp-c')
  await settle()
  assert.equal(pool.ready, 2)
  const taken = pool.take(2)
  assert.deepEqual(
    taken.map((p) => p.item),
    [a, c],
    'the two gathered ones, not the one still gathering',
  )
  assert.equal(await taken[0]!.sdp, 'sdp-a')
  assert.equal(pool.has(a), false, 'handed out: no longer the pool’s')
  assert.equal(pool.has(b), true)
  assert.equal(made.length, 3, 'no replacement at once')
  advance(299)
  assert.equal(made.length, 3)
  advance(1)
  assert.equal(made.length, 5, 'replacements after refillDelay')
  assert.equal(pool.size, 3)
})

test('entries still gathering are handed out too (a join right after the start)', () => {
  const { pool, made } = setup(3)
  pool.fill()
  const taken = pool.take(5)
  assert.equal(taken.length, 3, 'at most what it holds')
  assert.deepEqual(
    taken.map((p) => p.item),
    made,
  )
  assert.equal(pool.size, 0)
})

test('an entry not handed out within ttl is closed and replaced', async () => {
  const { pool, made, advance } = await gatheredPool(2)
  advance(29_999)
  assert.ok(made.every((f) => !f.closed))
  advance(1)
  const [a, b] = made as [Fake, Fake]
  assert.ok(a.closed && b.closed, 'expired entries are closed')
  assert.equal(pool.has(a), false)
  assert.equal(made.length, 4, 'and replaced')
  assert.equal(pool.size, 2)
  assert.deepEqual(
    pool.take(2).map((p) => p.item),
    made.slice(2),
    'only fresh ones are handed out',
  )
})

test('unused for keepWarm, it lets expired entries go; the next take fills it again', async () => {
  const { pool, made, advance } = await gatheredPool(2)
  advance(30_000)
  assert.equal(made.length, 4, 'replaced 30 s after the fill: still in use')
  advance(30_000)
  assert.equal(made.length, 4, 'not replaced 60 s after the last use')
  assert.equal(pool.size, 0)
  assert.ok(
    made.every((f) => f.closed),
    'and nothing is left open',
  )
  advance(10 * 60_000)
  assert.equal(made.length, 4, 'an idle pool makes nothing')
  assert.deepEqual(pool.take(2), [], 'an announce finds it empty (and makes its own offers)')
  advance(300)
  assert.equal(pool.size, 2, 'and fills it again')
  assert.equal(made.length, 6)
})

test('a failed offer is dropped and closed; one that closed on its own is forgotten', async () => {
  const { pool, made, advance } = setup(2)
  pool.fill()
  const [a, b] = made as [Fake, Fake]
  a.reject(new Error('gathering timed out'))
  await settle()
  assert.ok(a.closed)
  assert.equal(pool.has(a), false)
  assert.equal(pool.forget(b), true)
  assert.equal(pool.forget(b), false, 'once')
  assert.equal(pool.size, 0)
  advance(300)
  assert.equal(pool.size, 2, 'refilled')
})

test('makes none without room, and close() closes every entry for good', () => {
  let room = false
  const { pool, made, advance } = setup(3, () => room)
  pool.fill()
  assert.equal(made.length, 0)
  room = true
  pool.fill()
  assert.equal(made.length, 3)
  pool.close()
  assert.ok(made.every((f) => f.closed))
  assert.equal(pool.size, 0)
  pool.fill()
  advance(60_000)
  assert.equal(made.length, 3, 'nothing made after close')
  assert.deepEqual(pool.take(1), [])
})
