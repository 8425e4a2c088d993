/**
 * The presence permission: the extension's own prompt window, one per
 * origin, "Don't allow" remembered, closing the window as a refusal, and
 * every gated call refused without a grant.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import {
  allow,
  evaluateWithoutGesture,
  fixtureServer,
  openPage,
  profile,
  promptFor,
  useTrackers,
  within,
  admin,
  extensionPage,
} from './harness.js'
import { joinIn, waitForLog } from './lobby-helpers.js'

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string }

/**
 * Calls a p2p method in the page, as the page's own script would (no user
 * gesture), and returns its outcome as data.
 */
function outcome(page: Page, method: 'requestPermission' | 'revokePermission' | 'permission') {
  return evaluateWithoutGesture<Outcome>(
    page,
    `window.p2p.${method}().then((value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code, message: e.message }))`,
  )
}

/** The state of the next `permissionchange` the page hears. */
function nextPermissionChange(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        window.p2p.addEventListener('permissionchange', (e: Event) =>
          resolve((e as CustomEvent<{ state: string }>).detail.state),
        ),
      ),
  )
}

function optionsPage(p: Profile): Promise<Page> {
  return extensionPage(p, 'extension/options/options.html')
}

function prompts(p: Profile): Page[] {
  return p.context.pages().filter((pg) => pg.url().includes('/extension/prompt/prompt.html'))
}

describe('presence permission', () => {
  let site: StaticServer
  let other: StaticServer
  let carol: Profile

  before(async () => {
    site = await fixtureServer('127.0.0.1')
    other = await fixtureServer('localhost')
    carol = await profile('Carol')
  })
  after(async () => {
    await carol?.close()
    await site?.close()
    await other?.close()
  })

  it('refuses gated calls without a grant', async () => {
    const page = await openPage(carol, `${site.origin}/index.html`)
    const res = await outcome(page, 'revokePermission')
    assert.deepEqual(res.ok, false)
    assert.equal(!res.ok && res.code, 'permission-required')
    await page.close()
  })

  it('opens one prompt per origin, joins a second request, and remembers "Don\'t allow"', async () => {
    const page = await openPage(carol, `${site.origin}/index.html`)
    const waiting = prompts(carol).length
    const first = outcome(page, 'requestPermission')
    const prompt = await promptFor(carol, site.origin)
    assert.match(await prompt.locator('#origin').innerText(), /127\.0\.0\.1/)
    assert.ok(await prompt.getByRole('button', { name: 'Allow', exact: true }).isVisible())

    // A second request while the prompt is open joins it: still one prompt.
    const second = outcome(page, 'requestPermission')
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(prompts(carol).length, waiting + 1)

    await prompt.getByRole('button', { name: "Don't allow" }).click()
    const [a, b] = await within(10_000, 'both requests settling', () =>
      Promise.all([first, second]),
    )
    for (const res of [a, b]) assert.equal(!res.ok && res.code, 'permission-denied')
    assert.deepEqual(await outcome(page, 'permission'), { ok: true, value: 'denied' })

    // Asking again at once, with no click in the page, is refused without a prompt.
    const again = await within(5000, 'a spammed request', () => outcome(page, 'requestPermission'))
    assert.equal(!again.ok && again.code, 'permission-denied')
    assert.equal(prompts(carol).length, waiting)

    // After a click in the page it may ask again.
    await page.locator('h1').click()
    const retry = outcome(page, 'requestPermission')
    const prompt2 = await promptFor(carol, site.origin)
    await prompt2.getByRole('button', { name: "Don't allow" }).click()
    assert.equal(await retry.then((r) => !r.ok && r.code), 'permission-denied')
    await page.close()
  })

  it('counts closing the prompt window as "Don\'t allow"', async () => {
    const page = await openPage(carol, `${other.origin}/index.html`)
    const asked = outcome(page, 'requestPermission')
    const prompt = await promptFor(carol, other.origin)
    await prompt.close()
    const res = await within(10_000, 'the request after closing the prompt', () => asked)
    assert.equal(!res.ok && res.code, 'permission-denied')
    await page.close()
  })

  it('"Allow" grants an identity; the options page lists the site; revoking there reaches every tab', async () => {
    const page = await openPage(carol, `${site.origin}/index.html?tab=1`)
    const second = await openPage(carol, `${site.origin}/index.html?tab=2`)
    const main = await allow(carol, page)
    assert.match(main.url, /^hyper:\/\/[0-9a-f]{64}$/)
    assert.deepEqual(await outcome(page, 'permission'), { ok: true, value: 'granted' })
    assert.deepEqual(await second.evaluate(() => window.p2p.identity()), main)

    const changes = [page, second].map(nextPermissionChange)
    const options = await optionsPage(carol)
    const row = options.locator(`li[data-origin="${site.origin}"]`)
    await row.waitFor()
    await row.getByRole('button', { name: `Revoke ${site.origin}` }).click()
    assert.deepEqual(
      await within(10_000, 'permissionchange in both tabs', () => Promise.all(changes)),
      ['prompt', 'prompt'],
    )
    const after = await outcome(page, 'revokePermission')
    assert.equal(!after.ok && after.code, 'permission-required')
    await row.waitFor({ state: 'detached' })
    await Promise.all([page.close(), second.close(), options.close()])
  })

  it('a site can be shown a new identity of its own instead of the main one', async () => {
    const page = await openPage(carol, `${other.origin}/index.html`)
    await page.locator('h1').click() // a gesture: this origin was refused earlier
    const own = await allow(carol, page, 'site')
    const first = await openPage(carol, `${site.origin}/index.html`)
    const main = await allow(carol, first)
    assert.notEqual(own.url, main.url)
    assert.match(own.name, /localhost/)

    // Deleting that identity takes the site's grant with it: it must ask again.
    const change = nextPermissionChange(page)
    const options = await optionsPage(carol)
    await admin(options, 'identities.delete', { url: own.url, confirm: true })
    assert.equal(await within(10_000, 'permissionchange', () => change), 'prompt')
    const origins = (await admin(options, 'grants.list')).map((g) => g.origin)
    assert.deepEqual(origins, [site.origin])
    await Promise.all([page.close(), first.close(), options.close()])
  })
})

describe('revocation after a browser restart', () => {
  let site: StaticServer
  let tracker: RunningTracker
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-dora-'))
  let dora: Profile | undefined

  before(async () => {
    site = await fixtureServer('127.0.0.1')
    tracker = await startTracker()
  })
  after(async () => {
    await dora?.close({ keepData: false })
    rmSync(dir, { recursive: true, force: true })
    await site?.close()
    await tracker?.close()
  })

  it("reaches open tabs, closes the site's lobbies and forgets its session-data", async () => {
    dora = await profile('Dora', { userDataDir: dir })
    await useTrackers(dora, [tracker.url])
    const first = await openPage(dora, `${site.origin}/index.html`)
    await allow(dora, first)
    await dora.close({ keepData: true })

    // The browser comes back: the grant is still there.
    dora = await profile('Dora', { userDataDir: dir })
    const page = await openPage(dora, `${site.origin}/index.html`)
    assert.deepEqual(await outcome(page, 'permission'), { ok: true, value: 'granted' })
    await joinIn(page, 'porch')
    await page.evaluate(() => window.lobbies.porch!.setSessionData('still here'))
    const kept = await page.evaluate(() => window.p2p.retainedSessionData('porch'))
    assert.ok(kept.self, 'the value is retained')
    const change = nextPermissionChange(page)
    const options = await optionsPage(dora)
    await admin(options, 'grants.revoke', { origin: site.origin })
    assert.equal(await within(10_000, 'permissionchange', () => change), 'prompt')
    // The lobby closed (waitForLog fails otherwise).
    await waitForLog(page, 'porch', (e) => e.type === 'state' && e.state === 'closed', 1, 10_000)

    // Granted again, the site starts from nothing: its session-data was forgotten.
    await allow(dora, page)
    const after = await page.evaluate(() => window.p2p.retainedSessionData('porch'))
    assert.deepEqual(after, { self: null, peers: [] })
  })
})
