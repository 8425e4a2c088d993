/**
 * The foundation end to end: the real extension in real Chromium, a page on
 * 127.0.0.1, and every context in the chain (page → bridge → service worker →
 * engine) answering, also after the service worker is stopped.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import { EXTENSION_DIR, type Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { fixtureServer, openPage, profile, tabIdOf, within } from './harness.js'

interface DeveloperPrivate {
  getExtensionInfo(
    id: string,
    cb: (info: {
      name: string
      state: string
      runtimeErrors: unknown[]
      manifestErrors: unknown[]
    }) => void,
  ): void
}

describe('foundation: the extension wires every context', () => {
  let site: StaticServer
  let alice: Profile

  before(async () => {
    site = await fixtureServer()
    alice = await profile('Alice')
  })
  after(async () => {
    await alice?.close()
    await site?.close()
  })

  it('loads with no errors on the extension page', async () => {
    const page = await alice.context.newPage()
    await page.goto('chrome://extensions/')
    const details = await page.evaluate(
      (id) =>
        new Promise<{ name: string; errors: number; enabled: boolean }>((resolve) => {
          // chrome://extensions' own API: what the extensions page shows as errors.
          const dev = (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate
          dev.getExtensionInfo(id, (info) =>
            resolve({
              name: info.name,
              errors: info.runtimeErrors.length + info.manifestErrors.length,
              enabled: info.state === 'ENABLED',
            }),
          )
        }),
      alice.extensionId,
    )
    assert.equal(details.name, 'Porchlight')
    assert.equal(details.enabled, true)
    assert.equal(details.errors, 0)
    await page.close()
  })

  it('gives pages that never use it only the small loader; the relay comes with the first call', async () => {
    // Every page gets the manifest's content scripts: together at most 2 KB gzipped.
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
      content_scripts: Array<{ js: string[] }>
    }
    const files = manifest.content_scripts.flatMap((c) => c.js)
    const gz = files.map((f) => gzipSync(readFileSync(join(EXTENSION_DIR, f))).length)
    assert.deepEqual(files.sort(), ['bridge.js', 'provider.js'])
    assert.ok(gz.reduce((a, b) => a + b) <= 2048, `content scripts are ${gz.join(' + ')} B gz`)

    const page = await openPage(alice, `${site.origin}/index.html`)
    await page.waitForFunction(() => 'p2p' in window)
    const tabId = await tabIdOf(alice, page)
    // Runs in the page's isolated world, the one the content bridge lives in:
    // the loader's hand-off is there until a relay takes it.
    const relayPending = async () => {
      const sw = await alice.serviceWorker()
      // A string, not a function: tsx's name helpers do not exist in the worker.
      return sw.evaluate(`chrome.scripting
        .executeScript({ target: { tabId: ${tabId} }, func: () => '__porchlightRelay' in globalThis })
        .then(([r]) => r.result)`)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(await relayPending(), true, 'an idle page has no relay')
    assert.equal(await page.evaluate(() => customElements.get('p2p-lobby')), undefined)
    assert.equal(
      await within(10_000, 'the first call', () => page.evaluate(() => window.p2p.permission())),
      'prompt',
    )
    assert.equal(await relayPending(), false, 'the first call brought the relay')
    await page.close()
  })

  it('gives a page window.p2p, announces it on request, and answers permission()', async () => {
    const page = await openPage(alice, `${site.origin}/index.html`)
    const info = await page.evaluate(
      () =>
        new Promise<{ name: string; same: boolean; uuid: string; icon: string }>((resolve) => {
          window.addEventListener('p2p:announceProvider', (e) => {
            const { info, provider } = (e as CustomEvent).detail
            resolve({ ...info, same: provider === window.p2p })
          })
          window.dispatchEvent(new Event('p2p:requestProvider'))
        }),
    )
    assert.equal(info.name, 'Porchlight')
    assert.equal(info.same, true)
    assert.match(info.uuid, /^[0-9a-f-]{36}$/)
    assert.match(info.icon, /^data:image\//)
    assert.equal(await page.evaluate(() => window.p2p.permission()), 'prompt')
    await page.close()
  })

  it('reaches the engine document, created on demand', async () => {
    const page = await openPage(alice, `${site.origin}/index.html`)
    const status = await page.evaluate(() => window.p2p.status())
    assert.equal(status.version, '0.1.0')
    assert.ok(status.uptime >= 0)
    await page.close()
  })

  it('answers again after the service worker is stopped, and the engine lives on', async () => {
    const page = await openPage(alice, `${site.origin}/index.html`)
    const before = await page.evaluate(() => window.p2p.status())
    await within(5000, 'stopping the service worker', () => alice.stopServiceWorker())
    const state = await within(10_000, 'permission() after a restart', () =>
      page.evaluate(() => window.p2p.permission()),
    )
    assert.equal(state, 'prompt')
    const afterRestart = await within(10_000, 'status() after a restart', () =>
      page.evaluate(() => window.p2p.status()),
    )
    // The same engine document answers: its clock kept running.
    assert.ok(afterRestart.uptime > before.uptime, `${afterRestart.uptime} > ${before.uptime}`)
    await page.close()
  })
})
