/**
 * Every measurement that goes through Porchlight's lobby (`p2p.joinLobby`,
 * API.md "Lobbies and peers"), in one place:
 *
 * - `lobbyStack` (with bench/page/lobby.ts): a PeerStack over joinLobby,
 *   used by the first-peer rows (./first-peer.ts) and the 8-profile lobby and
 *   its engine memory (./mesh.ts). The extension signals through the
 *   trackers it was built with; the bench runs its tracker on that address
 *   (bench/run.ts, PORCHLIGHT_TRACKERS).
 * - `lobbySessionData`: one-way latency of the first session-data update on
 *   a fresh connection (./datachannel.ts).
 * - `lobbyMessages`: message round trip and throughput (./datachannel.ts).
 *
 * A build whose page API has no joinLobby (an old extension) makes these
 * rows "pending: needs joinLobby" (`Pending`) instead of failing the bench.
 */
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import { allow } from '../../test/e2e/harness.js'
import { LANE_DELAY_MS } from '../../src/protocol/lane.js'
import type { BenchContext } from '../lib/context.js'
import { meshRun } from '../lib/peer-runs.js'
import { Pending } from '../lib/rows.js'
import { pageStack, type PeerStack } from '../lib/stacks.js'

const NEEDS = 'needs joinLobby'
const base = pageStack('lobby', 'benchLobby', 'Porchlight lobby')

/** Porchlight's lobby as a peer stack: a tab with presence granted, joining by topic. */
export const lobbyStack: PeerStack = {
  ...base,
  async open(ctx: BenchContext, profile: Profile): Promise<Page> {
    const page = await base.open(ctx, profile)
    await page.waitForFunction(() => 'p2p' in window)
    if (!(await page.evaluate(() => window.benchLobby.available()))) {
      await page.close()
      throw new Pending(NEEDS)
    }
    if ((await page.evaluate(() => window.p2p.permission())) !== 'granted')
      await allow(profile, page)
    return page
  },
}

/** Two profiles in a fresh lobby; calls `fn` with both tabs, then leaves. */
async function withPair<T>(
  ctx: BenchContext,
  fn: (a: Page, b: Page) => Promise<T>,
): Promise<T | null> {
  const run = await meshRun(ctx, lobbyStack, await ctx.profiles(2), 15_000)
  try {
    return run.ms === null ? null : await fn(run.pages[0]!, run.pages[1]!)
  } finally {
    await Promise.all(run.pages.map((pg) => lobbyStack.close(pg)))
  }
}

/**
 * How long a new pair is left alone before it is timed, ms: its engines open
 * and replicate each other's identity archives, and each page gets its lobby
 * lane (LANE_DELAY_MS after the join, then its setup). The figures are those
 * of a lobby in use, not of its first second.
 */
const SETTLE_MS = LANE_DELAY_MS + 500
/**
 * The sender waits this long before it sets session data, so that the
 * bench's calls into both pages (DevTools traffic through both browsers) are
 * done before the update leaves: a raw stamp does not share the cores with
 * them either.
 */
const QUIET_MS = 100
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS))

/**
 * One-way delays (ms) of the first session-data update, one fresh lobby per
 * run, and how long each `setSessionData` call took to be answered: the
 * sending page's hops to its engine and back, which a raw channel lacks.
 */
export async function lobbySessionData(
  ctx: BenchContext,
  runs: number,
): Promise<{ delays: number[]; calls: number[] }> {
  const delays: number[] = []
  const calls: number[] = []
  for (let i = 0; i < runs; i++) {
    const run = await withPair(ctx, async (a, b) => {
      // The link settles first (see SETTLE_MS): peer-join no longer waits for
      // the archives, and timing that work would not time the update's path.
      await settle()
      // Armed before the update leaves (see bench/page/stamps.ts).
      await b.evaluate(() => window.benchLobby.armSessionData(10_000))
      await a.evaluate((ms) => window.benchLobby.sendSessionData(ms), QUIET_MS)
      const delay = await b.evaluate(() => window.benchLobby.sessionDataDelay())
      return { delay, call: await a.evaluate(() => window.benchLobby.sessionDataCall()) }
    })
    if (run === null) continue
    delays.push(run.delay)
    calls.push(run.call)
  }
  return { delays, calls }
}

/**
 * Message round trips (ms), and throughput (MB/s over `bytes` in 16 KiB
 * messages) in `rounds` runs on the same link, as the raw channel's is.
 */
export async function lobbyMessages(
  ctx: BenchContext,
  count: number,
  bytes: number,
  rounds: number,
): Promise<{ rtts: number[]; rates: number[] } | null> {
  const chunk = 16 * 1024
  return withPair(ctx, async (a) => {
    await settle()
    const rtts = await a.evaluate((n) => window.benchLobby.ping(n), count)
    const rates: number[] = []
    for (let i = 0; i < rounds; i++) {
      const ms = await a.evaluate(([n, size]) => window.benchLobby.bulk(n, size), [
        Math.ceil(bytes / chunk),
        chunk,
      ] as const)
      rates.push(bytes / (1024 * 1024) / (ms / 1000))
    }
    return { rtts, rates }
  })
}
