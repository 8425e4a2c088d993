/// <reference types="mocha" />
/**
 * The identity archive on hypercore + IndexedDB in real Chromium: values,
 * validation, reopen without scanning the log, the write lease, and a
 * replica that reads a friend's profile.
 */
import { assert } from 'chai'
import Hypercore from 'hypercore'
import { expectP2PError as rejects, freshName as fresh } from './browser-test-helpers.js'
import { IdentityArchive } from './archive.js'
import { idbStorage } from './idb-storage.js'
import { IdbStore } from './idb-store.js'
import { PROFILE, SESSION, type Session } from './records.js'

const DEVICE_A = 'a'.repeat(32)
const DEVICE_B = 'b'.repeat(32)
const FRIEND = `hyper://${'c'.repeat(64)}`

function session(overrides: Partial<Session> = {}): Session {
  return {
    name: 'Game night',
    url: `${FRIEND}?lobby=game`,
    last_update: 1_700_000_000_000,
    peers: 1,
    max_peers: 8,
    protected: false,
    ...overrides,
  }
}

describe('IdentityArchive', () => {
  const stores: IdbStore[] = []
  const archives: IdentityArchive[] = []
  afterEach(async () => {
    for (const a of archives.splice(0)) await a.close().catch(() => undefined)
    for (const s of stores.splice(0)) await s.close().catch(() => undefined)
  })
  async function open(name: string, prefix = 'id/', device = DEVICE_A, key?: Uint8Array) {
    const store = await IdbStore.open(name)
    stores.push(store)
    const core = key
      ? new Hypercore(idbStorage(store, prefix), key)
      : new Hypercore(idbStorage(store, prefix))
    const archive = await IdentityArchive.open(core, { device })
    archives.push(archive)
    return { store, archive }
  }
  async function reopen(
    name: string,
    archive: IdentityArchive,
    store: IdbStore,
    device = DEVICE_A,
  ) {
    await archive.close()
    await store.close()
    archives.splice(archives.indexOf(archive), 1)
    stores.splice(stores.indexOf(store), 1)
    return open(name, 'id/', device)
  }

  it('stores profile.json and session.json, latest wins, and both survive a reopen', async () => {
    const name = fresh('archive')
    const { store, archive } = await open(name)
    assert.match(archive.url, /^hyper:\/\/[0-9a-f]{64}$/)
    assert.isNull(archive.profile)
    await archive.put(PROFILE, { name: 'Alice', created: 1, friends: [] })
    await archive.put(PROFILE, { name: 'Alice B.', created: 1, friends: [FRIEND] })
    await archive.put(SESSION, session())
    await archive.put(SESSION, session({ peers: 3 }))
    const url = archive.url

    const again = await reopen(name, archive, store)
    assert.equal(again.archive.url, url)
    assert.deepEqual(again.archive.profile, { name: 'Alice B.', created: 1, friends: [FRIEND] })
    assert.equal(again.archive.get(SESSION)?.peers, 3)
    await again.archive.delete(SESSION)
    assert.isNull(again.archive.get(SESSION))
    const third = await reopen(name, again.archive, again.store)
    assert.isNull(third.archive.get(SESSION), 'a deleted key stays deleted')
    assert.equal(third.archive.profile?.name, 'Alice B.')
    assert.isTrue(third.archive.writable)
  })

  it('refuses bad values with invalid-argument and writes nothing', async () => {
    const { archive } = await open(fresh('archive'))
    await archive.put(PROFILE, { name: 'Alice', created: 1, friends: [] })
    const before = archive.length
    const bad: unknown[] = [
      { name: '', created: 1, friends: [] },
      { name: 'x'.repeat(65), created: 1, friends: [] },
      { name: '   ', created: 1, friends: [] },
      { name: 'A', created: -1, friends: [] },
      { name: 'A', created: 1, friends: ['dat://abc'] },
      { name: 'A', created: 1, friends: [`hyper://${'z'.repeat(64)}`] },
      { name: 'A', created: 1, friends: [], admin: true },
      'profile',
    ]
    for (const value of bad) await rejects(() => archive.put(PROFILE, value), 'invalid-argument')
    await rejects(() => archive.put(SESSION, session({ peers: 9 })), 'invalid-argument')
    await rejects(
      () => archive.put(SESSION, session({ url: 'https://x.example' })),
      'invalid-argument',
    )
    assert.equal(archive.length, before)
    assert.equal(archive.profile?.name, 'Alice')
  })

  it('normalises friend URLs and drops duplicates', async () => {
    const { archive } = await open(fresh('archive'))
    const upper = `hyper://${'C'.repeat(64)}`
    const profile = await archive.put(PROFILE, {
      name: 'A',
      created: 1,
      friends: [upper, `${FRIEND}/`, FRIEND],
    })
    assert.deepEqual(profile.friends, [FRIEND])
  })

  it('opens by reading the head and one block per key, not the whole log', async () => {
    const name = fresh('archive')
    const { store, archive } = await open(name)
    await archive.put(PROFILE, { name: 'Alice', created: 1, friends: [] })
    for (let i = 0; i < 150; i++) await archive.put(SESSION, session({ last_update: i }))
    await archive.close()
    await store.close()
    archives.length = 0
    stores.length = 0

    const s2 = await IdbStore.open(name)
    stores.push(s2)
    const core = new Hypercore(idbStorage(s2, 'id/'))
    await core.ready()
    const read: number[] = []
    const get = core.get.bind(core)
    core.get = (index: number, opts?: { wait?: boolean; timeout?: number }) => {
      read.push(index)
      return get(index, opts)
    }
    const again = await IdentityArchive.open(core, { device: DEVICE_A })
    archives.push(again)
    assert.deepEqual(
      read.sort((a, b) => a - b),
      [0, 150],
    )
    assert.equal(again.get(SESSION)?.last_update, 149)
    assert.equal(again.profile?.name, 'Alice')
    again.get(SESSION)
    again.get(PROFILE)
    assert.equal(read.length, 2, 'reads come from the cache')
  })

  it('serialises concurrent writes: every block lands and the last one wins', async () => {
    const { archive } = await open(fresh('archive'))
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        archive.put(PROFILE, { name: `name ${i}`, created: 1, friends: [] }),
      ),
    )
    assert.equal(archive.length, 10)
    assert.equal(archive.profile?.name, 'name 9')
  })

  it('lets only the lease holder write; another device must take over', async () => {
    const name = fresh('archive')
    const { store, archive } = await open(name)
    await archive.put(PROFILE, { name: 'Alice', created: 1, friends: [] })
    const other = await reopen(name, archive, store, DEVICE_B)
    assert.isFalse(other.archive.writable)
    assert.equal(other.archive.writerDevice, DEVICE_A)
    await rejects(
      () => other.archive.put(PROFILE, { name: 'Mallory', created: 1, friends: [] }),
      'permission-denied',
    )
    await other.archive.takeOver()
    assert.isTrue(other.archive.writable)
    await other.archive.put(PROFILE, { name: 'Alice on B', created: 1, friends: [] })
    const back = await reopen(name, other.archive, other.store, DEVICE_A)
    assert.isFalse(back.archive.writable, 'the first device lost the lease')
    assert.equal(back.archive.profile?.name, 'Alice on B')
  })

  it("reads a replicated friend's profile as a read-only copy", async () => {
    const { archive: alice } = await open(fresh('archive'), 'alice/')
    await alice.put(PROFILE, { name: 'Alice', created: 5, friends: [FRIEND] })
    const { archive: copy } = await open(
      fresh('archive'),
      'copy/',
      DEVICE_B,
      alice.core.key ?? undefined,
    )
    const s1 = alice.core.replicate(true, { keepAlive: false })
    const s2 = copy.core.replicate(false, { keepAlive: false })
    s1.pipe(s2).pipe(s1)
    await copy.core.update({ wait: true })
    await copy.refresh()
    assert.equal(copy.url, alice.url)
    assert.deepEqual(copy.profile, { name: 'Alice', created: 5, friends: [FRIEND] })
    assert.isFalse(copy.writable)
    await rejects(
      () => copy.put(PROFILE, { name: 'X', created: 1, friends: [] }),
      'permission-denied',
    )
    s1.destroy()
    s2.destroy()
  })
})
