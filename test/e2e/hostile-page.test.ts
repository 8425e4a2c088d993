/**
 * A page that sends garbage: 10,000 malformed messages straight into the
 * content bridge's port (captured the way a hostile page script could) and
 * onto the window. Every one with an id must come back as a typed error,
 * nothing may hang or crash, and a valid call afterwards still answers.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { fixtureServer, profile, within } from './harness.js'

const INPUTS = 10_000

/** test/fixtures/fuzz.js, loaded into the page. */
interface FuzzPage {
  runFuzz(count: number): Promise<FuzzReport>
}

interface FuzzReport {
  sent: number
  withId: number
  answered: number
  codes: Record<string, number>
  unexpectedOk: number
  malformedAnswers: number
}

describe('a hostile page cannot break the extension', () => {
  let site: StaticServer
  let mallory: Profile

  before(async () => {
    site = await fixtureServer()
    mallory = await profile('Mallory')
  })
  after(async () => {
    await mallory?.close()
    await site?.close()
  })

  it(`answers ${INPUTS} malformed messages with typed errors and keeps working`, async () => {
    const page = await mallory.context.newPage()
    // A hostile script sees the handshake too and keeps the bridge's port.
    await page.addInitScript(() => {
      window.addEventListener('message', (e) => {
        if ((e.data as { porchlight?: string } | null)?.porchlight === 'port') {
          ;(window as unknown as { stolen: MessagePort }).stolen = e.ports[0]!
        }
      })
    })
    await page.goto(`${site.origin}/index.html`)
    await page.waitForFunction(() => 'stolen' in window)
    await page.addScriptTag({ url: `${site.origin}/fuzz.js` })

    const report = await within(120_000, 'the fuzz run', () =>
      page.evaluate((count) => (window as unknown as FuzzPage).runFuzz(count), INPUTS),
    )
    console.log(
      `fuzz: sent ${report.sent} inputs, ${report.withId} with a valid id; answers by code:`,
      report.codes,
    )

    assert.ok(report.sent >= INPUTS * 0.95, `sent ${report.sent}`)
    assert.equal(report.answered, report.withId, 'every request with a valid id was answered')
    assert.equal(report.unexpectedOk, 0)
    assert.equal(report.malformedAnswers, 0)
    const known = new Set([
      'permission-required',
      'ok',
      'invalid-argument',
      'payload-too-large',
      'rate-limited',
      'extension-unavailable',
    ])
    for (const code of Object.keys(report.codes))
      assert.ok(known.has(code), `unexpected code ${code}`)
    assert.ok(
      (report.codes['invalid-argument'] ?? 0) > 100,
      'bad input was refused as invalid-argument',
    )

    // The rate limiter refills; then a valid call answers, all the way to the engine.
    await new Promise((r) => setTimeout(r, 2500))
    assert.equal(await page.evaluate(() => window.p2p.permission()), 'prompt')
    const status = await page.evaluate(() => window.p2p.status())
    assert.equal(typeof status.uptime, 'number')

    // Nothing leaked into prototypes of the worker.
    const sw = await mallory.serviceWorker()
    assert.equal(
      await sw.evaluate(() => ({}) as Record<string, unknown>).then((o) => o.polluted),
      undefined,
    )
    assert.equal(
      await sw.evaluate(() => (Object.prototype as Record<string, unknown>).polluted ?? null),
      null,
    )
    await page.close()
  })
})
