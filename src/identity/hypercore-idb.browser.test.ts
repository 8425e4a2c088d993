/// <reference types="mocha" />
/**
 * Hypercore 10 on the IndexedDB store, in real Chromium: append, read, close,
 * reopen from the same database; every acknowledged append survives the
 * writing context being killed; and replication between two cores through
 * the Noise handshake, which runs on the sodium shim.
 */
import { assert } from 'chai'
import Hypercore from 'hypercore'
import RAM from 'random-access-memory'
import { freshName as fresh } from './browser-test-helpers.js'
import { CRASH_CORE, crashBlock, type CrashReport } from './idb-crash.fixture.js'
import { idbStorage } from './idb-storage.js'
import { IdbStore } from './idb-store.js'

const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null)

const freshName = () => fresh('hypercore')

describe('hypercore 10 on IndexedDB', () => {
  const stores: IdbStore[] = []
  const cores: Hypercore[] = []
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close().catch(() => undefined)
    for (const s of stores.splice(0)) await s.close().catch(() => undefined)
  })
  async function store(name = freshName()) {
    const s = await IdbStore.open(name)
    stores.push(s)
    return s
  }
  function track(c: Hypercore): Hypercore {
    cores.push(c)
    return c
  }

  it('appends, reads, and reopens with the same key, blocks and signature', async () => {
    const name = freshName()
    const s1 = await store(name)
    const a = track(new Hypercore(idbStorage(s1, 'a/')))
    await a.ready()
    assert.isTrue(a.writable)
    for (let i = 0; i < 20; i++) await a.append(text(`block ${i}`))
    await a.append([text('x'), text('y')])
    const key = a.key
    const hash = await a.treeHash()
    await a.close()
    await s1.close()

    const s2 = await store(name)
    const b = track(new Hypercore(idbStorage(s2, 'a/')))
    await b.ready()
    assert.deepEqual(b.key, key)
    assert.equal(b.length, 22)
    assert.isTrue(b.writable, 'the secret key came back from storage')
    assert.equal(str(await b.get(7)), 'block 7')
    assert.equal(str(await b.get(21)), 'y')
    assert.deepEqual(await b.treeHash(), hash)
    await b.append(text('after reopen'))
    assert.equal(b.length, 23)
  })

  it('keeps every acknowledged append when the writing context is killed mid-append', async function () {
    this.timeout(60_000)
    const name = freshName()
    let committed = 0
    for (let trial = 0; trial < 4; trial++) {
      const worker = new Worker(new URL('./hypercore-crash.worker.ts', import.meta.url), {
        type: 'module',
      })
      const target = committed + 4 + trial * 3
      await new Promise<void>((resolve, reject) => {
        worker.onerror = (e) => reject(new Error(e.message))
        worker.onmessage = (e: MessageEvent<CrashReport>) => {
          committed = e.data.committed
          // Kill it at an uneven moment, with the next append in flight.
          if (committed >= target) setTimeout(resolve, trial * 2)
        }
        worker.postMessage({ name })
      })
      worker.terminate()
      const core = track(new Hypercore(idbStorage(await store(name), CRASH_CORE)))
      await core.ready()
      assert.isAtLeast(core.length, committed, `trial ${trial}: every acknowledged append is there`)
      for (let i = 0; i < core.length; i++) {
        assert.deepEqual(await core.get(i), crashBlock(i), `trial ${trial}, block ${i}`)
      }
      committed = core.length
      await core.close()
    }
    // The survivor still verifies end to end: a reader checks every block's proof.
    const writer = track(new Hypercore(idbStorage(await store(name), CRASH_CORE)))
    await writer.ready()
    await writer.append(crashBlock(writer.length))
    const reader = track(new Hypercore(() => new RAM(), writer.key))
    await reader.ready()
    const s1 = writer.replicate(true, { keepAlive: false })
    const s2 = reader.replicate(false, { keepAlive: false })
    s1.pipe(s2).pipe(s1)
    await reader.update({ wait: true })
    assert.equal(reader.length, writer.length)
    for (let i = 0; i < reader.length; i++) {
      assert.deepEqual(await reader.get(i, { timeout: 10_000 }), crashBlock(i), `replicated ${i}`)
    }
    s1.destroy()
    s2.destroy()
  })

  it('keeps two cores apart by prefix in one database', async () => {
    const s = await store()
    const a = track(new Hypercore(idbStorage(s, 'one/')))
    const b = track(new Hypercore(idbStorage(s, 'two/')))
    await Promise.all([a.ready(), b.ready()])
    await Promise.all([a.append(text('a')), b.append([text('b1'), text('b2')])])
    assert.notDeepEqual(a.key, b.key)
    assert.equal(a.length, 1)
    assert.equal(b.length, 2)
    assert.deepEqual((await s.files('one/')).sort(), [
      'one/bitfield',
      'one/data',
      'one/oplog',
      'one/tree',
    ])
  })

  it('replicates to a reader over the Noise handshake (sodium shim)', async () => {
    const s = await store()
    const writer = track(new Hypercore(idbStorage(s, 'w/')))
    await writer.ready()
    await writer.append([text('hello'), text('from'), text('the writer')])
    const reader = track(new Hypercore(idbStorage(s, 'r/'), writer.key))
    await reader.ready()
    assert.isFalse(reader.writable)

    const s1 = writer.replicate(true, { keepAlive: false })
    const s2 = reader.replicate(false, { keepAlive: false })
    s1.pipe(s2).pipe(s1)
    const handshake = new Promise<void>((resolve) => s2.once('handshake', () => resolve()))

    assert.equal(str(await reader.get(2, { timeout: 10_000 })), 'the writer')
    await handshake
    // The Noise handshake ran: each side authenticated the other's static key.
    assert.deepEqual(s2.noiseStream.remotePublicKey, s1.noiseStream.publicKey)
    assert.deepEqual(s1.noiseStream.remotePublicKey, s2.noiseStream.publicKey)
    await reader.update({ wait: true })
    assert.equal(reader.length, 3)

    // Live: a new block reaches the reader too, and verifies.
    const appended = new Promise<void>((resolve) => reader.once('append', () => resolve()))
    await writer.append(text('live'))
    await appended
    assert.equal(str(await reader.get(3, { timeout: 10_000 })), 'live')
    s1.destroy()
    s2.destroy()
  })
})
