/**
 * Eight profiles in one room: the time until all 28 links are up, for
 * Trystero and for Porchlight's lobby, with the tracker's default announce
 * interval; and the engine document's memory while the lobby is meshed.
 * Each stack gets a cap (60 s, 20 s in quick mode); a mesh that does not
 * complete is reported as such, with the links it had.
 */
import type { BenchContext } from '../lib/context.js'
import { engineHeapBytes } from '../lib/engine-heap.js'
import { meshRun, type MeshRun } from '../lib/peer-runs.js'
import { Pending, orPending, row, type Row } from '../lib/rows.js'
import type { PeerStack } from '../lib/stacks.js'
import { median } from '../lib/stats.js'
import { TRYSTERO, trysteroStack } from './first-peer.js'
import { lobbyStack } from './lobby.js'
import { MB } from './memory.js'

const PROFILES = 8
const LINKS = (PROFILES * (PROFILES - 1)) / 2

interface Mesh {
  times: number[]
  /** The last run that did not complete, if any. */
  incomplete: MeshRun | null
  /** Engine heap of the first profile while meshed (MB), when measured. */
  heapMB: number | null
}

async function mesh(
  ctx: BenchContext,
  stack: PeerStack,
  runs: number,
  capMs: number,
  measureHeap: boolean,
): Promise<Mesh> {
  const profiles = await ctx.profiles(PROFILES)
  const result: Mesh = { times: [], incomplete: null, heapMB: null }
  for (let i = 0; i < runs; i++) {
    const run = await meshRun(ctx, stack, profiles, capMs)
    try {
      ctx.log(
        `${stack.name}: 8-profile mesh ${run.ms === null ? `incomplete, ${run.links}/${LINKS} links` : `${Math.round(run.ms)} ms`}`,
      )
      if (run.ms === null) {
        result.incomplete = run
        break // one run that hits the cap says enough
      }
      result.times.push(run.ms)
      if (measureHeap && result.heapMB === null) {
        result.heapMB = (await engineHeapBytes(profiles[0]!)) / MB
      }
    } finally {
      await Promise.all(run.pages.map((pg) => stack.close(pg)))
    }
  }
  return result
}

function meshFields(
  m: Mesh,
  capMs: number,
): { value: number | null; runs: number; missing?: 'incomplete'; note?: string } {
  if (m.incomplete) {
    return {
      value: null,
      runs: m.times.length + 1,
      missing: 'incomplete',
      note: `did not complete in ${capMs / 1000} s (${m.incomplete.links}/${LINKS} links up)`,
    }
  }
  return { value: median(m.times), runs: m.times.length }
}

export async function meshRows(ctx: BenchContext, idleHeapMB: number | null): Promise<Row[]> {
  const capMs = ctx.quick ? 20_000 : 60_000
  const trystero = await mesh(ctx, trysteroStack, 1, capMs, false)
  const lobby = await orPending(() => mesh(ctx, lobbyStack, ctx.quick ? 1 : 3, capMs, true))
  const trysteroFields = meshFields(trystero, capMs)
  const pending =
    lobby instanceof Pending
      ? { value: null, runs: 0, missing: 'pending' as const, note: lobby.message }
      : null
  return [
    row({
      id: 'mesh.trystero',
      figure: '8-profile mesh (28 links), Trystero',
      unit: 'ms',
      ...trysteroFields,
      ...(trysteroFields.value === null ? {} : { note: TRYSTERO }),
    }),
    row({
      id: 'mesh.lobby',
      figure: '8-profile mesh (28 links), Porchlight lobby',
      unit: 'ms',
      anchor: { figure: 'Trystero', value: trysteroFields.value },
      target: { bound: 'max', value: 3000, of: 'value' },
      ...(pending ?? meshFields(lobby as Mesh, capMs)),
    }),
    row({
      id: 'engine.memory.8-peers',
      figure: 'engine document JS heap, 8 peers connected',
      unit: 'MB',
      anchor: { figure: 'idle', value: idleHeapMB },
      ...(pending ??
        ((lobby as Mesh).heapMB === null
          ? { value: null, runs: 0, missing: 'incomplete' as const, note: 'the lobby did not mesh' }
          : { value: (lobby as Mesh).heapMB, runs: 1 })),
    }),
  ]
}
