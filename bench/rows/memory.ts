/**
 * Engine document memory: its used JS heap after a garbage collection, idle
 * (identities open, no lobby; the popup starts the engine as a user would),
 * and with 8 peers connected (measured by ./mesh.ts while Porchlight's
 * 8-profile lobby is meshed).
 */
import type { Profile } from '../../scripts/lib/chromium.js'
import type { BenchContext } from '../lib/context.js'
import { engineHeapBytes } from '../lib/engine-heap.js'
import { row, type Row } from '../lib/rows.js'

export const MB = 1024 * 1024

/** Opens the popup, which starts the engine and waits for the identities. */
export async function startEngine(profile: Profile): Promise<void> {
  const popup = await profile.context.newPage()
  try {
    await popup.goto(`chrome-extension://${profile.extensionId}/extension/popup/popup.html`)
    await popup.waitForSelector('#identity-name:not([aria-busy])', { timeout: 20_000 })
  } finally {
    await popup.close()
  }
}

export async function idleMemoryRows(ctx: BenchContext): Promise<Row[]> {
  const [profile] = await ctx.profiles(1)
  await startEngine(profile!)
  const samples: number[] = []
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) samples.push(await engineHeapBytes(profile!))
  return [
    row({
      id: 'engine.memory.idle',
      figure: 'engine document JS heap, idle',
      value: Math.min(...samples) / MB,
      unit: 'MB',
      runs: samples.length,
      note: 'used JS heap after a forced GC (CDP Runtime.getHeapUsage); the smallest of the samples',
    }),
  ]
}
