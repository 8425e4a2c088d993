/// <reference types="mocha" />
/**
 * The identity manager in real Chromium: first run, create, rename, main,
 * delete with confirmation, friends, export/import between two "browsers"
 * (two database sets), refusals that change nothing, and reopen.
 */
import { assert } from 'chai'
import { expectP2PError as rejects, freshName as fresh } from './browser-test-helpers.js'
import { decodeExport, encodeExport, EXPORT_TITLE } from './export-format.js'
import { DEFAULT_IDENTITY_NAME, IdentityManager } from './manager.js'

const FRIEND = `hyper://${'d'.repeat(64)}`
describe('IdentityManager', () => {
  const open: IdentityManager[] = []
  async function manager(name: string): Promise<IdentityManager> {
    const m = await IdentityManager.open({ name })
    open.push(m)
    return m
  }
  async function close(m: IdentityManager) {
    open.splice(open.indexOf(m), 1)
    await m.close()
  }
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close().catch(() => undefined)
  })

  it('creates one main identity with the default name on first run, and keeps it', async () => {
    const name = fresh('manager')
    const m = await manager(name)
    const list = m.list()
    assert.lengthOf(list, 1)
    assert.equal(list[0]?.name, DEFAULT_IDENTITY_NAME)
    assert.isTrue(list[0]?.main)
    assert.isTrue(list[0]?.writable)
    const main = m.main()
    assert.match(main.url, /^hyper:\/\/[0-9a-f]{64}$/)
    assert.closeTo(main.created, Date.now(), 60_000)
    await close(m)
    const again = await manager(name)
    assert.deepEqual(again.main(), main)
    assert.lengthOf(again.list(), 1)
  })

  it('renames, creates, switches main, and all of it survives a reopen', async () => {
    const name = fresh('manager')
    const m = await manager(name)
    const first = await m.rename(m.main().url, 'Alice')
    assert.equal(first.name, 'Alice')
    const second = await m.create('Work Alice')
    assert.equal(m.main().url, first.url, 'a new identity does not become main by itself')
    await m.setMain(second.url)
    await m.addFriend(first.url, FRIEND)
    await close(m)

    const again = await manager(name)
    assert.equal(again.main().url, second.url)
    assert.deepEqual(
      again.list().map((i) => [i.name, i.main]),
      [
        ['Alice', false],
        ['Work Alice', true],
      ],
    )
    assert.deepEqual(again.archive(first.url).profile?.friends, [FRIEND])
    const removed = await again.removeFriend(first.url, FRIEND)
    assert.deepEqual(removed.friends, [])
  })

  it('never hands out a secret key outside export', async () => {
    const m = await manager(fresh('manager'))
    const seen = JSON.stringify([m.list(), m.main(), m.identity(m.main().url)])
    const secret = m.archive(m.main().url).core.keyPair?.secretKey
    assert.ok(secret)
    const hex = Array.from(secret, (b) => b.toString(16).padStart(2, '0')).join('')
    assert.notInclude(seen, hex)
    assert.notInclude(seen, 'secret')
  })

  it('refuses bad names and unknown identities with invalid-argument', async () => {
    const m = await manager(fresh('manager'))
    const url = m.main().url
    await rejects(() => m.rename(url, ''), 'invalid-argument', /1–64 characters/)
    await rejects(() => m.rename(url, 'a\u0000b'), 'invalid-argument', /control/)
    await rejects(
      () => m.rename(`hyper://${'e'.repeat(64)}`, 'X'),
      'invalid-argument',
      /no identity/,
    )
    await rejects(() => m.rename('not a url', 'X'), 'invalid-argument', /hyper:\/\//)
    await rejects(() => m.addFriend(url, 'https://example.com'), 'invalid-argument')
    await rejects(() => m.addFriend(url, url), 'invalid-argument', /yourself/)
    assert.equal(m.main().name, DEFAULT_IDENTITY_NAME)
  })

  it('deletes only with confirmation, never the last identity, and moves main on', async () => {
    const name = fresh('manager')
    const m = await manager(name)
    const first = m.main()
    await rejects(() => m.delete(first.url, true), 'invalid-argument', /only identity/)
    const second = await m.create('Second')
    await rejects(() => m.delete(first.url, undefined), 'invalid-argument', /confirm/)
    await rejects(() => m.delete(first.url, 'yes'), 'invalid-argument', /confirm/)
    assert.lengthOf(m.list(), 2)
    await m.delete(first.url, true)
    assert.deepEqual(
      m.list().map((i) => i.url),
      [second.url],
    )
    assert.equal(m.main().url, second.url)
    await close(m)
    const again = await manager(name)
    assert.deepEqual(
      again.list().map((i) => i.url),
      [second.url],
    )
    assert.equal(again.main().url, second.url)
  })

  it('exports a labelled text and imports it elsewhere as the same identity', async () => {
    const here = await manager(fresh('manager'))
    const alice = await here.rename(here.main().url, 'Alice')
    await here.addFriend(alice.url, FRIEND)
    const text = await here.export(alice.url)
    assert.isTrue(text.startsWith(EXPORT_TITLE))
    assert.include(text, alice.url)

    const there = await manager(fresh('manager'))
    const imported = await there.import(text)
    assert.deepEqual(imported, alice)
    assert.equal(there.list().length, 2)
    const copy = there.archive(alice.url)
    assert.deepEqual(copy.profile?.friends, [FRIEND])
    assert.deepEqual(await copy.core.treeHash(), await here.archive(alice.url).core.treeHash())
    assert.isFalse(copy.writable, 'an import is read-only until it takes over')
    await rejects(() => there.rename(alice.url, 'Mallory'), 'permission-denied')
    await rejects(() => there.import(text), 'invalid-argument', /already/)

    const third = await manager(fresh('manager'))
    await third.import(text, { takeOver: true })
    const renamed = await third.rename(alice.url, 'Alice (moved)')
    assert.equal(renamed.name, 'Alice (moved)')
    assert.equal(third.archive(alice.url).length, here.archive(alice.url).length + 2)
  })

  it('refuses garbage, truncated and tampered exports and changes nothing', async () => {
    const here = await manager(fresh('manager'))
    const text = await here.export(here.main().url)
    const there = await manager(fresh('manager'))
    const before = there.list()
    const lines = text.split('\n')
    const body = lines.findIndex((l) => l.startsWith('-----BEGIN')) + 1
    const tampered = [...lines]
    tampered[body] = (tampered[body] ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
    const cases: Array<[unknown, RegExp]> = [
      ['hello', /not a Porchlight identity export/],
      [text.slice(0, Math.floor(text.length / 2)), /truncated/],
      [tampered.join('\n'), /damaged or incomplete/],
      [42, /must be text/],
      [text.replace(/Checksum: .*\n/, ''), /Checksum/],
    ]
    for (const [input, message] of cases) {
      await rejects(() => there.import(input), 'invalid-argument', message)
    }
    assert.deepEqual(there.list(), before)
  })

  it('refuses a well-formed export whose log or key was swapped', async () => {
    const here = await manager(fresh('manager'))
    const other = await here.create('Other')
    const payload = await decodeExport(await here.export(here.main().url))
    const otherPayload = await decodeExport(await here.export(other.url))
    const there = await manager(fresh('manager'))
    const before = there.list()

    const forgedLog = await encodeExport({ ...payload, blocks: otherPayload.blocks }, 'forged')
    await rejects(() => there.import(forgedLog), 'invalid-argument', /tree hash/)
    const foreignKey = await encodeExport({ ...payload, secretKey: otherPayload.secretKey }, 'x')
    await rejects(() => there.import(foreignKey), 'invalid-argument', /secret key does not belong/)
    assert.deepEqual(there.list(), before)
  })
})
