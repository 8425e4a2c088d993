/**
 * The <p2p-*> elements in the real extension: a page that only writes the
 * tags gets the element bundle injected, the elements find window.p2p, ask
 * for presence through the real prompt window, show the granted identity,
 * follow a rename in the options page (identitychange), an engine that goes
 * away ("Connection lost", Try again) and a revocation; and
 * the same elements built by the site from the package (`exports["./elements"]`)
 * work beside the extension.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import {
  admin,
  extensionPage,
  fixtureServer,
  openPage,
  profile,
  promptFor,
  useTrackers,
  within,
} from './harness.js'

describe('elements in the extension', () => {
  let site: StaticServer
  let erin: Profile

  before(async () => {
    site = await fixtureServer()
    erin = await profile('Erin')
  })
  after(async () => {
    await erin?.close()
    await site?.close()
  })

  it('defines the tags, asks for presence, shows the identity and follows a revoke', async () => {
    const page = await openPage(erin, `${site.origin}/elements.html`)
    const identity = page.locator('p2p-identity')
    const lobby = page.locator('p2p-lobby')

    // The page wrote only the tags: the extension injected the bundle.
    await within(10_000, 'the elements to be defined', () =>
      page.waitForFunction(() => customElements.get('p2p-identity') !== undefined),
    )
    await identity.locator('[part~="presence-button"]').waitFor()
    assert.equal(await identity.getAttribute('state'), 'needs-permission')
    assert.equal(await lobby.getAttribute('state'), 'needs-permission')

    // A real click in the element (a user gesture) opens the extension's prompt.
    await identity.getByRole('button', { name: 'Show my presence' }).click()
    const prompt = await promptFor(erin, site.origin)
    await prompt.getByRole('button', { name: 'Allow', exact: true }).click()

    await within(10_000, 'the identity to show', () =>
      page.waitForFunction(
        () => document.querySelector('p2p-identity')?.getAttribute('state') === 'granted',
      ),
    )
    const granted = await page.evaluate(() => window.p2p.identity())
    assert.match(granted.url, /^hyper:\/\/[0-9a-f]{64}$/)
    assert.equal(await identity.locator('[part="name"]').innerText(), granted.name)
    assert.equal(await identity.locator('[part="url"]').getAttribute('title'), granted.url)
    // The lobby heard the same permissionchange and moved on from the button.
    assert.notEqual(await lobby.getAttribute('state'), 'needs-permission')

    // A rename in the options page reaches the site (identitychange) and the element.
    await page.evaluate(() => {
      window.p2p.addEventListener('identitychange', (e) => {
        ;(window as unknown as { renamed: unknown }).renamed = (e as CustomEvent).detail
      })
    })
    const options = await extensionPage(erin, 'extension/options/options.html')
    await admin(options, 'identities.rename', { url: granted.url, name: 'Erin Renamed' })
    await options.close()
    await identity.locator('[part="name"]').getByText('Erin Renamed').waitFor({ timeout: 10_000 })
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { renamed: unknown }).renamed),
      { identity: { ...granted, name: 'Erin Renamed' } },
    )

    await within(10_000, 'the lobby to be joined', () =>
      page.waitForFunction(() => document.querySelector('p2p-lobby')?.lobby != null),
    )

    // The engine goes away (as on a crash): "Connection lost", not "You left".
    const sw = await erin.serviceWorker()
    await sw.evaluate(() => chrome.offscreen.closeDocument())
    await lobby.locator('[part="title"]').getByText('Connection lost').waitFor({ timeout: 10_000 })
    assert.match(await lobby.locator('[part="announcer"]').innerText(), /The connection was lost/)
    // Try again joins anew (the engine comes back on demand).
    await lobby.getByRole('button', { name: 'Try again' }).click()
    await within(10_000, 'the lobby to join again', () =>
      page.waitForFunction(() => document.querySelector('p2p-lobby')?.lobby != null),
    )

    // The page gives its grant back: every element returns to the button.
    await page.evaluate(() => window.p2p.revokePermission())
    await within(10_000, 'the elements to ask again', () =>
      page.waitForFunction(() =>
        ['p2p-identity', 'p2p-lobby'].every(
          (tag) => document.querySelector(tag)?.getAttribute('state') === 'needs-permission',
        ),
      ),
    )
    await page.close()
  })
})

describe('<p2p-lobby> between two browsers', () => {
  let site: StaticServer
  let tracker: RunningTracker
  const people: Profile[] = []

  before(async () => {
    site = await fixtureServer()
    tracker = await startTracker()
  })
  after(async () => {
    await Promise.all(people.map((p) => p.close()))
    await site?.close()
    await tracker?.close()
  })

  it('<p2p-lobby> with no tracker reachable says so, with Try again, instead of looking for ever', async () => {
    const gone = await startTracker()
    await gone.close()
    const p = await profile('Nia')
    people.push(p)
    await useTrackers(p, [gone.url])
    const page = await openPage(p, `${site.origin}/lobby-only.html`)
    const lobby = page.locator('p2p-lobby')
    await page.evaluate(() => {
      const w = window as unknown as { errors: string[] }
      w.errors = []
      document.addEventListener('p2p-lobby-state', (e) => {
        const detail = (e as CustomEvent<{ state: string; error?: { code: string } }>).detail
        if (detail.state === 'error') w.errors.push(detail.error?.code ?? '')
      })
    })
    await lobby.getByRole('button', { name: 'Show my presence' }).click()
    const prompt = await promptFor(p, site.origin)
    await prompt.getByRole('button', { name: 'Allow', exact: true }).click()
    const message = 'Could not reach the servers that bring people together.'
    await lobby.locator('[part="message"]').getByText(message).waitFor({ timeout: 15_000 })
    assert.equal(await lobby.getAttribute('state'), 'error')
    assert.match(await lobby.locator('[part="announcer"]').innerText(), /Could not reach/)
    const errors = () => page.evaluate(() => (window as unknown as { errors: string[] }).errors)
    assert.deepEqual(await errors(), ['signaling-failed'])
    // Try again joins anew; with the tracker still down it says so again at once.
    await lobby.getByRole('button', { name: 'Try again' }).click()
    await within(5_000, 'the error again', () =>
      page.waitForFunction(() => (window as unknown as { errors: string[] }).errors.length === 2),
    )
    assert.deepEqual(await errors(), ['signaling-failed', 'signaling-failed'])
    await page.close()
  })

  it('a page with only <p2p-lobby name="x">: after "Show my presence" and "Allow" both show two people', async () => {
    const pages = []
    for (const name of ['Kim', 'Lee']) {
      const p = await profile(name)
      people.push(p)
      await useTrackers(p, [tracker.url])
      const page = await openPage(p, `${site.origin}/lobby-only.html`)
      await page.locator('p2p-lobby').getByRole('button', { name: 'Show my presence' }).click()
      const prompt = await promptFor(p, site.origin)
      await prompt.getByRole('button', { name: 'Allow', exact: true }).click()
      pages.push(page)
    }
    for (const page of pages) {
      const lobby = page.locator('p2p-lobby')
      await lobby.getByText('2 people here').waitFor({ timeout: 20_000 })
      assert.equal(await lobby.getAttribute('state'), 'connected')
      assert.equal(await lobby.locator('[part~="peer"]').count(), 2)
    }
  })
})

describe('elements a site bundles itself', () => {
  let site: StaticServer
  let fay: Profile

  before(async () => {
    site = await fixtureServer()
    fay = await profile('Fay')
  })
  after(async () => {
    await fay?.close()
    await site?.close()
  })

  it('the package\'s "./elements" build defines the tags first and works through window.p2p', async () => {
    const root = resolve(import.meta.dirname, '../..')
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { default: string }>
    }
    const built = resolve(root, pkg.exports['./elements']!.default)
    // The site serves its own bundle of the elements (npm run build makes it).
    await fay.context.route(`${site.origin}/site-elements.js`, (route) =>
      route.fulfill({ path: built, contentType: 'text/javascript' }),
    )
    const page = await openPage(fay, `${site.origin}/site-bundle.html`)
    const theSitesOwn = (): Promise<boolean> =>
      page.evaluate(() => {
        const own = (window as unknown as { siteElements?: Record<string, unknown> }).siteElements
        return (
          !!own &&
          customElements.get('p2p-identity') === own.P2PIdentity &&
          customElements.get('p2p-lobby') === own.P2PLobby
        )
      })
    await within(10_000, "the site's elements to be defined", async () => {
      while (!(await theSitesOwn())) await new Promise((r) => setTimeout(r, 100))
    })

    const identity = page.locator('p2p-identity')
    await identity.getByRole('button', { name: 'Show my presence' }).click()
    const prompt = await promptFor(fay, site.origin)
    await prompt.getByRole('button', { name: 'Allow', exact: true }).click()
    await within(10_000, 'the identity to show', () =>
      page.waitForFunction(
        () => document.querySelector('p2p-identity')?.getAttribute('state') === 'granted',
      ),
    )
    const granted = await page.evaluate(() => window.p2p.identity())
    assert.equal(await identity.locator('[part="name"]').innerText(), granted.name)
    // Joined through window.p2p (this profile has no tracker running, so the
    // lobby may say so next: the join is what counts here).
    await within(10_000, 'the lobby to join', () =>
      page.waitForFunction(() => document.querySelector('p2p-lobby')?.lobby != null),
    )
    // The extension's own copy (injected for the page client) left the site's tags alone.
    assert.equal(await theSitesOwn(), true)
    await page.close()
  })
})
