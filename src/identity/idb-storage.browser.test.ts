/// <reference types="mocha" />
/**
 * The IndexedDB random-access store in real Chromium: byte semantics against a
 * plain reference model, batching, lengths under overlapping writes, reopen,
 * and crashes mid-write (an aborted transaction; a worker killed while writing).
 */
import { assert } from 'chai'
import { freshName as fresh } from './browser-test-helpers.js'
import { IdbFile } from './idb-storage.js'
import { IdbStore } from './idb-store.js'
import { CRASH_FILE, crashPattern, generationOf, type CrashReport } from './idb-crash.fixture.js'

const freshName = () => fresh('idb')

function p<T = unknown>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((err, value) => (err ? reject(err) : resolve(value as T))),
  )
}

const read = (f: IdbFile, offset: number, size: number) =>
  p<Uint8Array>((cb) => f.read(offset, size, cb))
const write = (f: IdbFile, offset: number, data: Uint8Array) => p((cb) => f.write(offset, data, cb))
const truncate = (f: IdbFile, offset: number) => p((cb) => f.truncate(offset, cb))
const del = (f: IdbFile, offset: number, size: number) => p((cb) => f.del(offset, size, cb))
const stat = (f: IdbFile) => p<{ size: number; blocks: number }>((cb) => f.stat(cb))

function bytes(length: number, fill: number): Uint8Array {
  return new Uint8Array(length).fill(fill)
}

/** The expected file: a growable byte array with the same semantics. */
class Model {
  data = new Uint8Array(0)
  write(offset: number, chunk: Uint8Array) {
    this.resize(Math.max(this.data.length, offset + chunk.length))
    this.data.set(chunk, offset)
  }
  truncate(offset: number) {
    this.resize(offset)
  }
  del(offset: number, size: number) {
    if (offset >= this.data.length) return
    if (offset + size >= this.data.length) this.truncate(offset)
    else this.data.fill(0, offset, offset + size)
  }
  private resize(length: number) {
    const next = new Uint8Array(length)
    next.set(this.data.subarray(0, Math.min(length, this.data.length)))
    this.data = next
  }
}

describe('IdbStore / IdbFile (random-access-storage on IndexedDB)', () => {
  const open: IdbStore[] = []
  async function store(name = freshName(), pageSize = 64): Promise<IdbStore> {
    const s = await IdbStore.open(name, { pageSize })
    open.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined)
  })

  it('reads back what it wrote across page boundaries, and sparse gaps read as zeros', async () => {
    const f = new IdbFile(await store(), 'a')
    const chunk = Uint8Array.from({ length: 300 }, (_, i) => i % 251)
    await write(f, 30, chunk)
    assert.deepEqual(await read(f, 30, 300), chunk)
    assert.deepEqual(await read(f, 0, 30), bytes(30, 0))
    await write(f, 1000, bytes(10, 7))
    assert.equal((await stat(f)).size, 1010)
    assert.deepEqual(await read(f, 330, 670), bytes(670, 0))
  })

  it('refuses to read past the end, as random-access-storage expects', async () => {
    const f = new IdbFile(await store(), 'a')
    await write(f, 0, bytes(10, 1))
    await read(f, 0, 10)
    assert.deepEqual(await read(f, 10, 0), new Uint8Array(0))
    let error: unknown
    await read(f, 5, 6).catch((e: unknown) => (error = e))
    assert.instanceOf(error, Error)
    assert.match(String(error), /Could not satisfy length/)
    const missing = new IdbFile(await store(), 'never-written')
    assert.equal((await stat(missing)).size, 0)
  })

  it('applies overlapping writes of one tick in order, with the right length', async () => {
    const s = await store()
    const f = new IdbFile(s, 'a')
    let batches = 0
    s.onBatch = () => batches++
    await Promise.all([
      write(f, 0, bytes(100, 1)),
      write(f, 50, bytes(100, 2)),
      write(f, 10, bytes(5, 3)),
      write(f, 140, bytes(3, 4)),
    ])
    assert.equal(batches, 1, 'one transaction for one tick of writes')
    const data = await read(f, 0, 150)
    const expected = new Uint8Array(150)
    expected.fill(1, 0, 50).fill(2, 50, 150).fill(3, 10, 15).fill(4, 140, 143)
    assert.deepEqual(data, expected)
    assert.equal((await stat(f)).size, 150)
  })

  it('matches the reference model under random concurrent operations', async () => {
    const s = await store()
    const f = new IdbFile(s, 'fuzz')
    const model = new Model()
    let seed = 42
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let round = 0; round < 40; round++) {
      const pending: Array<Promise<unknown>> = []
      const checks: Array<Promise<void>> = []
      for (let i = 0; i < 1 + rnd(6); i++) {
        const kind = rnd(10)
        const offset = rnd(700)
        if (kind < 5) {
          const chunk = bytes(1 + rnd(200), 1 + rnd(250))
          model.write(offset, chunk)
          pending.push(write(f, offset, chunk))
        } else if (kind < 6) {
          model.truncate(offset)
          pending.push(truncate(f, offset))
        } else if (kind < 7) {
          const size = rnd(150)
          model.del(offset, size)
          pending.push(del(f, offset, size))
        } else {
          // A read queued after writes of the same tick sees them.
          const expected = Uint8Array.from(model.data)
          checks.push(
            read(f, 0, expected.length).then((got) =>
              assert.deepEqual(got, expected, `round ${round}`),
            ),
          )
        }
      }
      await Promise.all([...pending, ...checks])
      assert.equal((await stat(f)).size, model.data.length, `length after round ${round}`)
    }
    assert.deepEqual(await read(f, 0, model.data.length), model.data)
  })

  it('truncates: shrinking drops data, growing reads zeros (no stale bytes come back)', async () => {
    const f = new IdbFile(await store(), 'a')
    await write(f, 0, bytes(300, 9))
    await truncate(f, 70)
    assert.equal((await stat(f)).size, 70)
    assert.deepEqual(await read(f, 0, 70), bytes(70, 9))
    await truncate(f, 300)
    const grown = await read(f, 0, 300)
    assert.deepEqual(grown.subarray(0, 70), bytes(70, 9))
    assert.deepEqual(grown.subarray(70), bytes(230, 0))
    await write(f, 500, bytes(1, 1))
    assert.deepEqual(await read(f, 300, 200), bytes(200, 0))
  })

  it('del zeroes a range inside the file and truncates when it reaches the end', async () => {
    const f = new IdbFile(await store(), 'a')
    await write(f, 0, bytes(400, 5))
    await del(f, 10, 200)
    const data = await read(f, 0, 400)
    assert.deepEqual(data.subarray(0, 10), bytes(10, 5))
    assert.deepEqual(data.subarray(10, 210), bytes(200, 0))
    assert.deepEqual(data.subarray(210), bytes(190, 5))
    await del(f, 300, 1000)
    assert.equal((await stat(f)).size, 300)
  })

  it('reports size and blocks in stat, as hypercore reads them', async () => {
    const f = new IdbFile(await store(), 'a')
    await write(f, 0, bytes(1500, 1))
    const st = await stat(f)
    assert.equal(st.size, 1500)
    assert.equal(st.blocks, 3)
  })

  it('keeps files across a reopen, and unlink removes one file only', async () => {
    const name = freshName()
    const first = await store(name)
    await write(new IdbFile(first, 'x/a'), 0, bytes(100, 1))
    await write(new IdbFile(first, 'x/b'), 0, bytes(50, 2))
    await write(new IdbFile(first, 'y/a'), 0, bytes(10, 3))
    await first.close()
    const second = await store(name)
    assert.deepEqual(await read(new IdbFile(second, 'x/a'), 0, 100), bytes(100, 1))
    assert.deepEqual((await second.files('x/')).sort(), ['x/a', 'x/b'])
    const b = new IdbFile(second, 'x/b')
    await p((cb) => b.unlink(cb))
    assert.deepEqual(await second.files('x/'), ['x/a'])
    await second.deleteFiles('x/')
    assert.deepEqual(await second.files(''), ['y/a'])
    assert.equal((await stat(new IdbFile(second, 'x/a'))).size, 0)
  })

  it('calls back only after the commit: another connection already sees the write', async () => {
    const name = freshName()
    const writer = await store(name)
    const reader = await store(name)
    const f = new IdbFile(writer, 'a')
    const seen = await new Promise<Uint8Array>((resolve, reject) => {
      f.write(0, bytes(80, 6), (err) => {
        if (err) return reject(err)
        new IdbFile(reader, 'a').read(0, 80, (e, data) =>
          e ? reject(e) : resolve(data as Uint8Array),
        )
      })
    })
    assert.deepEqual(seen, bytes(80, 6))
  })

  it('leaves a file whole when a batch is aborted mid-write', async () => {
    const name = freshName()
    const s = await store(name)
    const f = new IdbFile(s, 'a')
    await write(f, 0, bytes(200, 1))
    s.onBatch = (tx) => tx.abort()
    const results = await Promise.allSettled([
      write(f, 0, bytes(500, 2)),
      truncate(f, 120),
      write(f, 100, bytes(10, 3)),
    ])
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    )
    s.onBatch = null
    await s.close()
    const again = new IdbFile(await store(name), 'a')
    assert.equal((await stat(again)).size, 200)
    assert.deepEqual(await read(again, 0, 200), bytes(200, 1))
  })

  it('never leaves a torn file when the writing context is killed mid-batch', async function () {
    this.timeout(60_000)
    const name = freshName()
    for (let trial = 0; trial < 5; trial++) {
      const worker = new Worker(new URL('./idb-crash.worker.ts', import.meta.url), {
        type: 'module',
      })
      let committed = 0
      await new Promise<void>((resolve, reject) => {
        worker.onerror = (e) => reject(new Error(e.message))
        worker.onmessage = (e: MessageEvent<CrashReport>) => {
          committed = e.data.committed
          // Kill it at an uneven moment, while the next batch is in flight.
          if (committed >= 3 + trial) setTimeout(resolve, trial * 3)
        }
        worker.postMessage({ name })
      })
      worker.terminate()
      const s = await store(name)
      const f = new IdbFile(s, CRASH_FILE)
      const { size } = await stat(f)
      const data = await read(f, 0, size)
      const generation = generationOf(data)
      // Every reported commit survived; the file holds one whole generation, never a mix.
      assert.isAtLeast(generation, committed, `trial ${trial}`)
      const expected = crashPattern(generation)
      assert.equal(size, expected.length, `length matches generation ${generation}`)
      assert.deepEqual(data, expected, `content is exactly generation ${generation}`)
      await s.close()
      open.splice(open.indexOf(s), 1)
    }
  })
})
