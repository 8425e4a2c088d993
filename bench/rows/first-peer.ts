/**
 * Time to a first peer between two profiles: Porchlight's lobby against
 * Trystero and against the raw floor (bittorrent-tracker's client and
 * RTCPeerConnection, no extension), all through the same local tracker;
 * and two RTCPeerConnections in one page as the floor under signaling.
 */
import { createRequire } from 'node:module'
import type { BenchContext } from '../lib/context.js'
import { firstPeerTimes, type FirstPeerTimes } from '../lib/peer-runs.js'
import { Pending, orPending, row, type Row } from '../lib/rows.js'
import { pageStack } from '../lib/stacks.js'
import { median } from '../lib/stats.js'
import { lobbyStack } from './lobby.js'

export const rawStack = pageStack('raw', 'benchRaw', 'raw tracker client')
export const trysteroStack = pageStack('trystero', 'benchTrystero', 'Trystero')

/** Which Trystero was measured (its torrent strategy package). */
export const TRYSTERO = `@trystero-p2p/torrent ${
  (createRequire(import.meta.url)('@trystero-p2p/torrent/package.json') as { version: string })
    .version
}`

/** Runs as an anchor: their median, or (most runs never connected) only their cap as a floor. */
function anchorOf(figure: string, t: FirstPeerTimes) {
  return { figure, value: t.median, over: t.capMs }
}

/** Value, runs and note of a row from first-peer runs (failed runs count in the median). */
function fields(t: FirstPeerTimes, about = ''): { value: number; runs: number; note?: string } {
  const runs = t.times.length + t.failed
  const failed = t.failed
    ? `${t.failed} of ${runs} runs did not connect within ${t.capMs / 1000} s ` +
      '(counted as slower than every other run)'
    : ''
  const note = [about, failed].filter(Boolean).join('; ')
  return { value: t.median, runs, ...(note ? { note } : {}) }
}

export async function firstPeerRows(ctx: BenchContext): Promise<Row[]> {
  const runs = ctx.runs
  const cap = ctx.quick ? 6_000 : 15_000
  const [a] = await ctx.profiles(2)
  const pairPage = await ctx.open(a!, 'raw', 'benchRaw')
  const pairTimes: number[] = []
  for (let i = 0; i < runs; i++)
    pairTimes.push(await pairPage.evaluate(() => window.benchRaw.inPagePair()))
  await pairPage.close()
  const pair = median(pairTimes)
  const raw = await firstPeerTimes(ctx, rawStack, runs, cap)
  const trystero = await firstPeerTimes(ctx, trysteroStack, runs, cap)
  const lobby = await orPending(() => firstPeerTimes(ctx, lobbyStack, runs, cap))

  const lobbyRow = {
    figure: 'time to first peer, Porchlight lobby',
    unit: 'ms' as const,
    ...(lobby instanceof Pending
      ? { value: null, runs: 0, missing: 'pending' as const, note: lobby.message }
      : fields(lobby)),
  }
  return [
    row({
      id: 'first-peer.in-page-pair',
      figure: 'time to first peer, in-page RTCPeerConnection pair',
      value: pair,
      unit: 'ms',
      runs,
    }),
    row({
      id: 'first-peer.raw',
      figure: 'time to first peer, raw tracker client',
      unit: 'ms',
      anchor: { figure: 'in-page pair', value: pair },
      ...fields(raw),
    }),
    row({
      id: 'first-peer.trystero',
      figure: 'time to first peer, Trystero',
      unit: 'ms',
      anchor: anchorOf('raw tracker client', raw),
      ...fields(trystero, TRYSTERO),
    }),
    row({
      ...lobbyRow,
      id: 'first-peer.lobby-vs-trystero',
      anchor: anchorOf('Trystero', trystero),
      target: { bound: 'max', value: 0.6, of: 'ratio' },
    }),
    row({
      ...lobbyRow,
      id: 'first-peer.lobby-vs-pair',
      anchor: { figure: 'in-page pair', value: pair },
      target: { bound: 'max', value: 4, of: 'ratio' },
    }),
  ]
}
