/**
 * A peer stack as the bench drives it from Node: something that joins a
 * topic through the local tracker in a page of a profile and reports when
 * peers are connected. The raw tracker client and Trystero are bench pages
 * (bench/page/raw.ts, bench/page/trystero.ts); Porchlight's lobby is in
 * ../rows/lobby.ts.
 *
 * Times are on the clock all pages share (bench/page/peers.ts), so they
 * subtract across profiles.
 */
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { PeerCount, PeerStackApi } from '../page/peers.js'
import type { BenchContext } from './context.js'
import type { PageName } from './pages.js'

export interface PeerStack {
  name: string
  /** A fresh tab in `profile`, ready to join. */
  open(ctx: BenchContext, profile: Profile): Promise<Page>
  /** Joins `topic` (40 hex); resolves with the join time. */
  join(page: Page, tracker: string, topic: string): Promise<number>
  waitPeers(page: Page, n: number, timeoutMs: number): Promise<PeerCount>
  /** Leaves and closes the tab. */
  close(page: Page): Promise<void>
}

/** A stack living in bench page `name` as `window[global]`. */
export function pageStack(name: PageName, global: string, label: string): PeerStack {
  // Page functions are serialised into the page: each names the global itself.
  return {
    name: label,
    open: (ctx, profile) => ctx.open(profile, name, global),
    join: (page, tracker, topic) =>
      page.evaluate(
        ([g, t, topic]) => (window as unknown as Record<string, PeerStackApi>)[g]!.join(t, topic),
        [global, tracker, topic] as const,
      ),
    waitPeers: (page, n, timeoutMs) =>
      page.evaluate(
        ([g, n, ms]) => (window as unknown as Record<string, PeerStackApi>)[g]!.waitPeers(n, ms),
        [global, n, timeoutMs] as const,
      ),
    close: async (page) => {
      await page
        .evaluate((g) => {
          const stack = (window as unknown as Record<string, { leave?: () => Promise<void> }>)[g]
          return stack?.leave?.()
        }, global)
        .catch(() => undefined)
      await page.close()
    },
  }
}
