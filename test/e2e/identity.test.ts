/**
 * Identities end to end, in real Chromium with the built extension: the popup
 * shows the main identity; the admin channel creates and renames; a page
 * sees its identity; everything survives a service-worker stop, an engine
 * reload and a browser restart on the same profile; an export moves the
 * identity into a second profile and garbage is refused.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import type { Identity, IdentitySummary } from '../../src/protocol/messages.js'
import {
  admin,
  adminCall,
  allow,
  fixtureServer,
  openPage,
  openPopup as popup,
  profile,
  within,
} from './harness.js'

describe('identity: durable, movable, shown in the popup', () => {
  let site: StaticServer
  const aliceDir = mkdtempSync(join(tmpdir(), 'porchlight-identity-alice-'))
  let alice: Profile | undefined
  let bob: Profile | undefined
  let exported = ''
  let main: Identity
  let second: Identity

  before(async () => {
    site = await fixtureServer()
  })
  after(async () => {
    await alice?.close({ keepData: false })
    await bob?.close()
    await site?.close()
    rmSync(aliceDir, { recursive: true, force: true })
  })

  it('shows the first-run identity in the popup, with a working Copy button', async () => {
    alice = await profile('Alice', { userDataDir: aliceDir })
    const page = await popup(alice)
    const name = await page.textContent('#identity-name')
    const url = await page.textContent('#identity-url')
    assert.equal(name, 'Anonymous')
    assert.match(url ?? '', /^hyper:\/\/[0-9a-f]{64}$/)
    await page.click('#identity-copy')
    await page.waitForFunction(
      () => document.getElementById('identity-copy-status')?.textContent === 'Copied',
    )
    // Read the clipboard back from a site page (extension origins cannot be granted clipboard-read).
    await alice.context.grantPermissions(['clipboard-read'], { origin: site.origin })
    const reader = await openPage(alice, `${site.origin}/index.html`)
    assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), url)
    await reader.close()
    await page.close()
  })

  it('creates and renames through the admin channel; a page sees the main identity', async () => {
    assert.ok(alice)
    const page = await popup(alice)
    main = await admin(page, 'identities.rename', {
      url: (await admin(page, 'identities.main')).url,
      name: 'Alice',
    })
    second = await admin(page, 'identities.create', { name: 'Alice at work' })
    const renamed = await admin(page, 'identities.rename', { url: second.url, name: 'Work' })
    assert.equal(renamed.name, 'Work')
    const bad = await adminCall(page, 'identities.rename', { url: main.url, name: '' })
    assert.equal(bad.ok, false)
    assert.equal(!bad.ok && bad.error.code, 'invalid-argument')
    const unconfirmed = await adminCall(page, 'identities.delete', {
      url: second.url,
      confirm: false as unknown as true,
    })
    assert.equal(!unconfirmed.ok && unconfirmed.error.code, 'invalid-argument')

    const list: IdentitySummary[] = await admin(page, 'identities.list')
    assert.deepEqual(
      list.map((i) => [i.url, i.name, i.main]),
      [
        [main.url, 'Alice', true],
        [second.url, 'Work', false],
      ],
    )
    // The site is granted the main identity in the prompt, and sees it.
    const site1 = await openPage(alice, `${site.origin}/index.html`)
    assert.deepEqual(await allow(alice, site1), main)
    assert.deepEqual(await site1.evaluate(() => window.p2p.identity()), main)
    await site1.close()
    await page.close()
  })

  it('keeps identities across a service-worker stop and an engine reload', async () => {
    assert.ok(alice)
    const p = alice
    await within(10_000, 'stopping the service worker', () => p.stopServiceWorker())
    const page = await popup(p)
    assert.equal(await page.textContent('#identity-name'), 'Alice')
    assert.deepEqual(
      (await admin(page, 'identities.list')).map((i) => i.name),
      ['Alice', 'Work'],
    )

    // Close the engine document; the next call starts a fresh one.
    const sw = await p.serviceWorker()
    const engineDocument = () =>
      sw.evaluate(async () => {
        const contexts = await chrome.runtime.getContexts({
          contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
        })
        return contexts.map((c) => c.documentId)
      })
    const [before] = await engineDocument()
    assert.ok(before)
    await sw.evaluate(() => chrome.offscreen.closeDocument())
    assert.deepEqual(await engineDocument(), [])
    const list = await admin(page, 'identities.list')
    const [after] = await engineDocument()
    assert.ok(after && after !== before, 'a new engine document answered')
    assert.deepEqual(
      list.map((i) => [i.url, i.name, i.main]),
      [
        [main.url, 'Alice', true],
        [second.url, 'Work', false],
      ],
    )
    const site1 = await openPage(p, `${site.origin}/index.html`)
    assert.deepEqual(await site1.evaluate(() => window.p2p.identity()), main)
    await page.close()
    await site1.close()
  })

  it('comes back after a browser restart; the archive still accepts appends', async () => {
    assert.ok(alice)
    await alice.close({ keepData: true })
    alice = await profile('Alice', { userDataDir: aliceDir })
    const page = await popup(alice)
    assert.equal(await page.textContent('#identity-name'), 'Alice')
    assert.equal(await page.textContent('#identity-url'), main.url)
    assert.deepEqual(await admin(page, 'identities.main'), main)
    const renamed = await admin(page, 'identities.rename', { url: main.url, name: 'Alice again' })
    assert.equal(renamed.name, 'Alice again')
    assert.equal(renamed.created, main.created)
    main = renamed
    exported = (await admin(page, 'identities.export', { url: main.url })).text
    assert.match(exported, /^PORCHLIGHT IDENTITY EXPORT — contains your secret key/)
    await page.close()
  })

  it('imports the export into a second profile as the same identity, and refuses garbage', async () => {
    bob = await profile('Bob')
    const page = await popup(bob)
    const before = await admin(page, 'identities.list')
    assert.equal(before.length, 1)

    const garbage = await adminCall(page, 'identities.import', { text: 'not an export at all' })
    assert.equal(garbage.ok, false)
    assert.equal(!garbage.ok && garbage.error.code, 'invalid-argument')
    assert.match(!garbage.ok ? garbage.error.message : '', /not a Porchlight identity export/)
    const truncated = await adminCall(page, 'identities.import', {
      text: exported.slice(0, exported.length / 2),
    })
    assert.match(!truncated.ok ? truncated.error.message : '', /truncated/)
    assert.deepEqual(await admin(page, 'identities.list'), before)

    // The import replays the log and checks it against the exported tree hash.
    const imported = await admin(page, 'identities.import', { text: exported })
    assert.deepEqual(imported, main)
    const list = await admin(page, 'identities.list')
    assert.deepEqual(
      list.map((i) => [i.url, i.name, i.main, i.writable]),
      [
        [before[0]?.url, 'Anonymous', true, true],
        [main.url, 'Alice again', false, false],
      ],
    )
    await page.close()
  })
})
