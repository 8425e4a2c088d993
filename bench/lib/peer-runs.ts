/**
 * Runs of a peer stack across profiles: time to a first peer between two
 * profiles, and time until n profiles are fully meshed. Each run uses fresh
 * tabs and a topic of its own, so no state carries over between runs.
 *
 * A run's time counts from the moment the last profile joined until every
 * profile has its peers: what a user waits for once everyone is in.
 */
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { PeerCount } from '../page/peers.js'
import type { BenchContext } from './context.js'
import type { PeerStack } from './stacks.js'
import { median } from './stats.js'

export interface MeshRun {
  /** ms from the last join until every profile had all its peers; null when not within the cap. */
  ms: number | null
  /** Links up at the end (each counted once). */
  links: number
  /** The tabs, still open (for measurements while meshed); close them with `stack.close`. */
  pages: Page[]
}

/** A fresh 40-hex topic. */
export function randomTopic(): string {
  return randomBytes(20).toString('hex')
}

/** Opens one tab per profile, joins them all to one new topic, and waits up to `capMs`. */
export async function meshRun(
  ctx: BenchContext,
  stack: PeerStack,
  profiles: Profile[],
  capMs: number,
): Promise<MeshRun> {
  const pages: Page[] = []
  for (const p of profiles) pages.push(await stack.open(ctx, p))
  const topic = randomTopic()
  const joined = await Promise.all(pages.map((pg) => stack.join(pg, ctx.tracker.url, topic)))
  const deadline = Math.max(...joined) + capMs
  const counts: PeerCount[] = await Promise.all(
    pages.map((pg) => stack.waitPeers(pg, profiles.length - 1, Math.max(1, deadline - Date.now()))),
  )
  const done = counts.every((c) => c.at !== null)
  return {
    ms: done ? Math.max(...counts.map((c) => c.at!)) - Math.max(...joined) : null,
    links: Math.floor(
      counts.reduce((sum, c) => sum + Math.min(c.count, profiles.length - 1), 0) / 2,
    ),
    pages,
  }
}

export interface FirstPeerTimes {
  /** The runs that connected within the cap, ms. */
  times: number[]
  /** Runs that did not. */
  failed: number
  capMs: number
  /** The median over all runs, a run that did not connect counting as slower than any: Infinity when most did not. */
  median: number
}

/** `runs` two-profile runs of `stack`, each capped at `capMs`. */
export async function firstPeerTimes(
  ctx: BenchContext,
  stack: PeerStack,
  runs: number,
  capMs: number,
): Promise<FirstPeerTimes> {
  const profiles = await ctx.profiles(2)
  const times: number[] = []
  let failed = 0
  for (let i = 0; i < runs; i++) {
    const run = await meshRun(ctx, stack, profiles, capMs)
    await Promise.all(run.pages.map((pg) => stack.close(pg)))
    if (run.ms === null) failed++
    else times.push(run.ms)
  }
  ctx.log(
    `${stack.name}: first peer ${times.map((t) => Math.round(t)).join(', ')} ms` +
      (failed ? `, ${failed} not within ${capMs / 1000} s` : ''),
  )
  return {
    times,
    failed,
    capMs,
    median: median([...times, ...Array<number>(failed).fill(Infinity)]),
  }
}
