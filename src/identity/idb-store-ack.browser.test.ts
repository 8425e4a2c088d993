/// <reference types="mocha" />
/**
 * The IndexedDB store's faster paths, in real Chromium: group commit (one
 * transaction in flight, the next batch takes everything queued meanwhile),
 * early-acknowledged writes made durable by the next commit-acknowledged
 * one, fail-stop when a batch carrying them aborts, and the read cache
 * (reads without a transaction; correct under eviction).
 */
import { assert } from 'chai'
import { freshName as fresh } from './browser-test-helpers.js'
import { IdbFile, idbStorage } from './idb-storage.js'
import { IdbStore, type IdbStoreOptions } from './idb-store.js'

const freshName = () => fresh('idb-ack')

function p<T = unknown>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((err, value) => (err ? reject(err) : resolve(value as T))),
  )
}
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill)
const read = (f: IdbFile, offset: number, size: number) =>
  p<Uint8Array>((cb) => f.read(offset, size, cb))
const write = (f: IdbFile, offset: number, data: Uint8Array) => p((cb) => f.write(offset, data, cb))
const size = async (f: IdbFile) => (await p<{ size: number }>((cb) => f.stat(cb))).size

describe('IdbStore: group commit, early acknowledgement, read cache', () => {
  const open: IdbStore[] = []
  async function store(name = freshName(), opts: IdbStoreOptions = {}): Promise<IdbStore> {
    const s = await IdbStore.open(name, { pageSize: 64, ...opts })
    open.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined)
  })

  it('runs one transaction at a time; what is queued meanwhile commits as one batch', async () => {
    const s = await store()
    const f = new IdbFile(s, 'a')
    let batches = 0
    const later: Array<Promise<unknown>> = []
    s.onBatch = () => {
      batches++
      if (batches > 1) return
      // While the first transaction is in flight: one write now, one in a later task.
      later.push(write(f, 10, bytes(10, 2)))
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        later.push(write(f, 20, bytes(10, 3)))
      }
      channel.port2.postMessage(null)
    }
    await write(f, 0, bytes(10, 1))
    await new Promise((resolve) => setTimeout(resolve, 0))
    await Promise.all(later)
    assert.equal(later.length, 2)
    assert.equal(batches, 2, 'the writes queued in two tasks shared one transaction')
    const expected = new Uint8Array(30).fill(1, 0, 10).fill(2, 10, 20).fill(3, 20, 30)
    assert.deepEqual(await read(f, 0, 30), expected)
  })

  it('acknowledges a queued-ack write at once; a later commit-ack write makes it durable', async () => {
    const name = freshName()
    const s = await store(name)
    const data = new IdbFile(s, 'core/data', { ack: 'queued' })
    const log = new IdbFile(s, 'core/oplog')
    let batches = 0
    s.onBatch = () => batches++
    await write(data, 0, bytes(100, 7))
    assert.equal(batches, 0, 'called back before its batch was even issued')
    assert.deepEqual(await read(data, 0, 100), bytes(100, 7), 'and a read already sees it')
    await write(log, 0, bytes(8, 1))
    // Another connection (no shared cache) sees both once the log write called back.
    const other = await store(name)
    assert.deepEqual(await read(new IdbFile(other, 'core/data'), 0, 100), bytes(100, 7))
    assert.deepEqual(await read(new IdbFile(other, 'core/oplog'), 0, 8), bytes(8, 1))
  })

  it("gives hypercore's files their acknowledgement: oplog writes on commit, the rest when queued", async () => {
    const s = await store()
    const files = idbStorage(s, 'core/')
    let batches = 0
    s.onBatch = () => batches++
    const issuedBefore = async (done: Promise<unknown>) => {
      const before = batches
      await done
      return batches > before
    }
    assert.isFalse(await issuedBefore(write(files('data'), 0, bytes(10, 1))), 'data: when queued')
    assert.isFalse(await issuedBefore(write(files('tree'), 0, bytes(10, 1))), 'tree: when queued')
    assert.isTrue(
      await issuedBefore(write(files('oplog'), 0, bytes(20, 1))),
      'oplog write: on commit',
    )
    const oplog = files('oplog')
    assert.isFalse(
      await issuedBefore(p((cb) => oplog.truncate(10, cb))),
      'oplog truncate: when queued',
    )
    assert.equal(await size(oplog), 10)
  })

  it('stops when a batch with acknowledged writes aborts, so nothing commits after the loss', async () => {
    const name = freshName()
    const s = await store(name)
    const data = new IdbFile(s, 'core/data', { ack: 'queued' })
    const log = new IdbFile(s, 'core/oplog')
    await write(log, 0, bytes(8, 1))
    s.onBatch = (tx) => tx.abort()
    await write(data, 0, bytes(100, 2)) // acknowledged, then its batch aborts
    const logged = await write(log, 8, bytes(8, 2)).then(
      () => null,
      (e: unknown) => e,
    )
    assert.instanceOf(logged, Error)
    s.onBatch = null
    let later: unknown = null
    await write(log, 16, bytes(8, 3)).catch((e: unknown) => (later = e))
    assert.match(String(later), /stopped/, 'every later operation fails')
    let deleting: unknown = null
    await s.deleteFiles('core/').catch((e: unknown) => (deleting = e))
    assert.match(String(deleting), /stopped/)

    const again = await store(name)
    assert.equal(await size(new IdbFile(again, 'core/oplog')), 8, 'only the first log write')
    assert.equal(await size(new IdbFile(again, 'core/data')), 0, 'the lost write never landed')
    await write(new IdbFile(again, 'core/oplog'), 8, bytes(8, 4))
    assert.equal(await size(new IdbFile(again, 'core/oplog')), 16, 'a reopened store works')
  })

  it('answers reads of cached pages without a transaction', async () => {
    const s = await store()
    const f = new IdbFile(s, 'a')
    await write(f, 0, bytes(300, 3))
    let batches = 0
    s.onBatch = () => batches++
    assert.deepEqual(await read(f, 10, 200), bytes(200, 3))
    assert.equal(await size(f), 300)
    assert.equal(batches, 0, 'served from the cache')
    assert.isAbove(s.cachedPages, 0)
  })

  for (const cachePages of [0, 3]) {
    it(`stays exact with ${cachePages} cached pages under random overlapping operations`, async () => {
      const name = freshName()
      const s = await store(name, { cachePages })
      const f = new IdbFile(s, 'fuzz', { ack: 'queued' })
      let model = new Uint8Array(0)
      const resize = (n: number) => {
        const next = new Uint8Array(n)
        next.set(model.subarray(0, Math.min(n, model.length)))
        model = next
      }
      let seed = 7 + cachePages
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        return seed % n
      }
      for (let round = 0; round < 30; round++) {
        const pending: Array<Promise<unknown>> = []
        for (let i = 0; i < 1 + rnd(5); i++) {
          const offset = rnd(600)
          if (rnd(4) === 0) {
            resize(offset)
            pending.push(p((cb) => f.truncate(offset, cb)))
          } else {
            const chunk = bytes(1 + rnd(150), 1 + rnd(250))
            resize(Math.max(model.length, offset + chunk.length))
            model.set(chunk, offset)
            pending.push(write(f, offset, chunk))
          }
          if (rnd(3) === 0) {
            const expected = Uint8Array.from(model)
            pending.push(read(f, 0, expected.length).then((got) => assert.deepEqual(got, expected)))
          }
        }
        await Promise.all(pending)
      }
      assert.deepEqual(await read(f, 0, model.length), model)
      await s.close()
      const reopened = new IdbFile(await store(name), 'fuzz')
      assert.deepEqual(await read(reopened, 0, model.length), model, 'the same after a reopen')
    })
  }
})
