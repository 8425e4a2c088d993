/**
 * What every group of bench rows gets: the mode, the local tracker, the
 * bench's pages, and Chromium profiles with Porchlight built for that
 * tracker (./extensions.ts), launched
 * on first use (one at a time: the machine may be small) and closed at the
 * end by `close()`.
 */
import type { Page } from 'playwright-core'
import { launchProfile, type Profile } from '../../scripts/lib/chromium.js'
import type { RunningTracker } from '../../scripts/lib/tracker.js'
import type { BenchSite, PageName } from './pages.js'

export interface BenchContext {
  quick: boolean
  /** Runs a median is taken over: 10 in the full bench, fewer in quick mode. */
  runs: number
  tracker: RunningTracker
  site: BenchSite
  /** The unpacked Porchlight the profiles load. */
  extensionDir: string
  /** The first `n` profiles with the extension (launched as needed). */
  profiles(n: number): Promise<Profile[]>
  /** A new tab in `profile` on bench page `name`, once its `window.<global>` is there. */
  open(profile: Profile, name: PageName | 'blank', global?: string): Promise<Page>
  log(message: string): void
  close(): Promise<void>
}

export function createContext(opts: {
  quick: boolean
  tracker: RunningTracker
  site: BenchSite
  extensionDir: string
  log: (message: string) => void
}): BenchContext {
  const launched: Profile[] = []
  return {
    quick: opts.quick,
    runs: opts.quick ? 5 : 10,
    tracker: opts.tracker,
    site: opts.site,
    extensionDir: opts.extensionDir,
    async profiles(n) {
      while (launched.length < n) {
        opts.log(`launching profile ${launched.length + 1}`)
        launched.push(
          await launchProfile({
            name: `bench-${launched.length + 1}`,
            extensionDir: opts.extensionDir,
          }),
        )
      }
      return launched.slice(0, n)
    },
    async open(profile, name, global) {
      const page = await profile.context.newPage()
      await page.goto(opts.site.url(name))
      if (global) await page.waitForFunction((g) => g in window, global, { timeout: 15_000 })
      return page
    },
    log: opts.log,
    async close() {
      for (const p of launched.splice(0)) await p.close()
    },
  }
}
