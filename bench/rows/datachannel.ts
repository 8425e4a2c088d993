/**
 * Data over an open connection between two profiles: one bare
 * RTCDataChannel (bench/page/raw-link.ts) as the anchor for Porchlight's
 * session-data latency, message round trip and message throughput.
 */
import type { Page } from 'playwright-core'
import type { BenchContext } from '../lib/context.js'
import { Pending, orPending, row, type Row } from '../lib/rows.js'
import { median } from '../lib/stats.js'
import { lobbyMessages, lobbySessionData } from './lobby.js'

const CHUNK = 16 * 1024
/** Bulk transfers per throughput figure (the median is reported), raw and lobby alike. */
const throughputRounds = (ctx: BenchContext) => (ctx.quick ? 3 : 5)
const MB = 1024 * 1024

interface RawFigures {
  oneWay: number
  rtt: number
  /** The receiving page's clock minus the sender's, NTP-style over the channel. */
  offset: number
  mbps: number
}

async function rawLink(ctx: BenchContext, a: Page, b: Page): Promise<RawFigures> {
  const offer = await a.evaluate(() => window.benchRaw.link.offer())
  const answer = await b.evaluate((o) => window.benchRaw.link.answer(o), offer)
  await a.evaluate((x) => window.benchRaw.link.accept(x), answer)
  await b.evaluate(() => window.benchRaw.link.opened())
  const stamps = ctx.quick ? 30 : 100
  // Armed before the first stamp leaves (see bench/page/stamps.ts).
  await b.evaluate((n) => window.benchRaw.link.armStamps(n, 10_000), stamps)
  await a.evaluate((n) => window.benchRaw.link.sendStamps(n, 20), stamps)
  const oneWay = median(await b.evaluate(() => window.benchRaw.link.stamps()))
  const pings = await a.evaluate((n) => window.benchRaw.link.ping(n), ctx.quick ? 50 : 200)
  const rtt = median(pings.rtts)
  const offset = median(pings.offsets)
  const bytes = (ctx.quick ? 8 : 32) * MB
  const rates: number[] = []
  for (let i = 0; i < throughputRounds(ctx); i++) {
    const ms = await a.evaluate(([n, c]) => window.benchRaw.link.bulk(n, c), [
      bytes,
      CHUNK,
    ] as const)
    rates.push(bytes / MB / (ms / 1000))
  }
  return { oneWay, rtt, offset, mbps: median(rates) }
}

function lobbyFields<T>(
  result: T | Pending | null,
  measured: (r: T) => { value: number; runs: number },
): { value: number | null; runs: number; missing?: 'pending' | 'incomplete'; note?: string } {
  if (result instanceof Pending)
    return { value: null, runs: 0, missing: 'pending', note: result.message }
  if (result === null)
    return { value: null, runs: 0, missing: 'incomplete', note: 'the lobby did not connect' }
  return measured(result)
}

export async function dataRows(ctx: BenchContext): Promise<Row[]> {
  const [pa, pb] = await ctx.profiles(2)
  const a = await ctx.open(pa!, 'raw', 'benchRaw')
  const b = await ctx.open(pb!, 'raw', 'benchRaw')
  let raw: RawFigures
  try {
    raw = await rawLink(ctx, a, b)
  } finally {
    await Promise.all([a.close(), b.close()])
  }
  const sessionData = await orPending(() => lobbySessionData(ctx, ctx.runs))
  const messages = await orPending(() =>
    lobbyMessages(ctx, ctx.quick ? 50 : 200, (ctx.quick ? 8 : 32) * MB, throughputRounds(ctx)),
  )
  const rawOneWay = { figure: 'raw data channel', value: raw.oneWay }
  const rawRtt = { figure: 'raw data channel', value: raw.rtt }
  const rawRate = { figure: 'raw data channel', value: raw.mbps }
  return [
    row({
      id: 'data.raw.one-way',
      figure: 'one-way latency, raw RTCDataChannel',
      value: raw.oneWay,
      unit: 'ms',
      runs: ctx.quick ? 30 : 100,
      note:
        'a message every 20 ms, timed on the clock the pages share ' +
        `(their clocks differ by ${raw.offset.toFixed(2)} ms, measured over the channel); ` +
        'slower than half a round trip, which is measured back to back',
    }),
    row({
      id: 'session-data.one-way',
      figure: 'session-data one-way latency (first update)',
      unit: 'ms',
      anchor: rawOneWay,
      target: { bound: 'max', value: 1.5, of: 'ratio' },
      ...lobbyFields(sessionData, (d) => ({ value: median(d.delays), runs: d.delays.length })),
    }),
    row({
      id: 'session-data.call',
      figure: 'setSessionData answered (sending page ⇄ its engine)',
      unit: 'ms',
      ...lobbyFields(sessionData, (d) => {
        const call = median(d.calls)
        const floor = raw.oneWay + call
        return {
          value: call,
          runs: d.calls.length,
          // The update crosses the same two page ⇄ engine hops (out on the
          // sender's side, in on the receiver's) around the data channel.
          note:
            `raw one-way + this = ${floor.toFixed(1)} ms = ${(floor / raw.oneWay).toFixed(1)}× raw: ` +
            'about the least session-data can take with the connections in the extension',
        }
      }),
    }),
    row({
      id: 'data.raw.rtt',
      figure: 'round trip, raw RTCDataChannel',
      value: raw.rtt,
      unit: 'ms',
      runs: ctx.quick ? 50 : 200,
    }),
    row({
      id: 'messages.rtt',
      figure: 'message round trip, Porchlight lobby',
      unit: 'ms',
      anchor: rawRtt,
      ...lobbyFields(messages, (m) => ({ value: median(m.rtts), runs: m.rtts.length })),
    }),
    row({
      id: 'data.raw.throughput',
      figure: 'throughput, raw RTCDataChannel (16 KiB messages)',
      value: raw.mbps,
      unit: 'MB/s',
      runs: throughputRounds(ctx),
    }),
    row({
      id: 'messages.throughput',
      figure: 'message throughput, Porchlight lobby',
      unit: 'MB/s',
      anchor: rawRate,
      target: { bound: 'min', value: 0.5, of: 'ratio' },
      ...lobbyFields(messages, (m) => ({ value: median(m.rates), runs: m.rates.length })),
    }),
  ]
}
