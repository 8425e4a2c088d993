/**
 * Identity storage rows: hypercore append throughput on the IndexedDB store
 * against the same appends in memory (alternating rounds in one page), and
 * the time to reopen a 1000-block identity archive (../identity-storage.ts).
 */
import type { BenchContext } from '../lib/context.js'
import { row, type Row } from '../lib/rows.js'

export async function storageRows(ctx: BenchContext): Promise<Row[]> {
  const [profile] = await ctx.profiles(1)
  const page = await ctx.open(profile!, 'storage', 'benchStorage')
  try {
    const rounds = ctx.quick ? 25 : 50
    const opts = { appends: rounds * 8, rounds, reopenRuns: ctx.runs }
    const r = await page.evaluate((o) => window.benchStorage.run(o), opts)
    return [
      row({
        id: 'idb.append',
        figure: 'IndexedDB archive appends',
        value: r.idb.blocksPerSecond,
        unit: 'blocks/s',
        runs: rounds,
        anchor: { figure: 'in memory', value: r.memory.blocksPerSecond },
        ratio: r.ratio,
        target: { bound: 'min', value: 0.5, of: 'ratio' },
        note:
          `${r.idb.appends} appends of 256 B per backend in ${rounds} rounds of 8; ` +
          `ratio: median of the rounds' ratios; durability ${r.durability}`,
      }),
      row({
        id: 'idb.reopen',
        figure: `reopen a ${r.reopen.blocks}-block archive`,
        value: r.reopen.ms,
        unit: 'ms',
        runs: r.reopen.runs,
        target: { bound: 'max', value: 200, of: 'value' },
      }),
    ]
  } finally {
    await page.close()
  }
}
