/**
 * Page API rows: the round trip of a call that reaches the engine
 * (`p2p.status()`: page → content bridge → service worker → engine and
 * back), of one the service worker answers itself (`p2p.permission()`), and
 * of the first call after the service worker was stopped; against a bare
 * page ⇄ content script ⇄ service worker echo (a test-only extension the
 * bench builds, ../echo-extension/, in a profile of its own: Porchlight
 * ships no echo, and loading both into one profile would need changes to
 * the shared launcher, which finds "the" extension's service worker).
 */
import { launchProfile } from '../../scripts/lib/chromium.js'
import { allow } from '../../test/e2e/harness.js'
import type { BenchContext } from '../lib/context.js'
import { buildEchoExtension } from '../lib/extensions.js'
import { row, type Row } from '../lib/rows.js'
import { median } from '../lib/stats.js'

/** Calls before measuring: the first loads the page client and starts the engine. */
const WARM_UP = 10
/** The service worker allows a burst of 200 calls per origin, then 100 a second. */
const REFILL_MS = 2500

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Median round trip of `p2p.<method>()` and of the echo, in ms. */
async function echoRtt(ctx: BenchContext, count: number): Promise<number> {
  const echo = await buildEchoExtension()
  const profile = await launchProfile({ name: 'bench-echo', extensionDir: echo.dir })
  try {
    const page = await ctx.open(profile, 'api', 'benchApi')
    await page.evaluate((n) => window.benchApi.echoRtts(n), WARM_UP)
    return median(await page.evaluate((n) => window.benchApi.echoRtts(n), count))
  } finally {
    await profile.close()
    echo.remove()
  }
}

export async function apiRows(ctx: BenchContext): Promise<Row[]> {
  const count = ctx.quick ? 50 : 150
  const [profile] = await ctx.profiles(1)
  const p = profile!
  const page = await ctx.open(p, 'api', 'benchApi')
  await page.waitForFunction(() => 'p2p' in window)
  await allow(p, page)
  await page.evaluate((n) => window.benchApi.callRtts('status', n), WARM_UP)
  await pause(REFILL_MS)
  const status = median(await page.evaluate((n) => window.benchApi.callRtts('status', n), count))
  await pause(REFILL_MS)
  const permission = median(
    await page.evaluate((n) => window.benchApi.callRtts('permission', n), count),
  )
  const cold: number[] = []
  for (let i = 0; i < ctx.runs; i++) {
    await p.stopServiceWorker()
    const [ms] = await page.evaluate(() => window.benchApi.callRtts('status', 1))
    cold.push(ms!)
  }
  await page.close()
  const echo = await echoRtt(ctx, count)
  const anchor = { figure: 'bare page ⇄ SW echo', value: echo }
  return [
    row({
      id: 'api.status',
      figure: 'page API call round trip (p2p.status: page → SW → engine)',
      value: status,
      unit: 'ms',
      runs: count,
      anchor,
      target: { bound: 'max', value: 3, of: 'ratio' },
    }),
    row({
      id: 'api.permission',
      figure: 'page API call answered by the SW (p2p.permission)',
      value: permission,
      unit: 'ms',
      runs: count,
      anchor,
    }),
    row({
      id: 'api.cold',
      figure: 'cold call after the SW was stopped (p2p.status)',
      value: median(cold),
      unit: 'ms',
      runs: cold.length,
      target: { bound: 'max', value: 150, of: 'value' },
    }),
  ]
}
