/**
 * Identity storage benchmark, run in a browser page (the engine's
 * environment): hypercore append throughput on the IndexedDB store against
 * the same appends in memory (random-access-memory), and the time to reopen
 * an identity archive of many blocks from IndexedDB.
 *
 *   const result = await benchIdentityStorage({ appends: 500 })
 *   // { memory: {...}, idb: {...}, ratio, reopen: { blocks, ms } }
 *
 * The ratio is measured against the in-memory peer in the same run, round
 * by round (short rounds, alternating which backend goes first), and the
 * median of the rounds' ratios counts: the machine's speed, and changes in
 * its load, cancel out. Targets: ratio ≥ 0.5, reopen ≤ 200 ms.
 */
import Hypercore from 'hypercore'
import RAM from 'random-access-memory'
import { IdentityArchive } from '../src/identity/archive.js'
import { idbStorage } from '../src/identity/idb-storage.js'
import { IdbStore } from '../src/identity/idb-store.js'
import { PROFILE, SESSION } from '../src/identity/records.js'
import { median } from './lib/stats.js'

export interface BenchOptions {
  /** Appends per backend. Default 400. */
  appends?: number
  /** Rounds the appends are split into, each on both backends. Default 50 (8 appends each). */
  rounds?: number
  /** Bytes per appended block. Default 256. */
  blockBytes?: number
  /** Blocks in the archive that is reopened. Default 1000. */
  reopenBlocks?: number
  /** Times the archive is reopened (the median counts). Default 5. */
  reopenRuns?: number
  /** IndexedDB commit durability. Default 'strict' (what the extension uses). */
  durability?: IDBTransactionDurability
}

export interface Throughput {
  appends: number
  /** Total time of all rounds. */
  ms: number
  /** Rate of the median round. */
  blocksPerSecond: number
}

export interface BenchResult {
  memory: Throughput
  idb: Throughput
  /** Median over the rounds of IndexedDB's rate / memory's rate in the same round. */
  ratio: number
  rounds: number
  /** Median time to open the archive again (a fresh store each time: no warm cache). */
  reopen: { blocks: number; ms: number; runs: number }
  durability: IDBTransactionDurability
}

const DEVICE = '0'.repeat(32)

/**
 * Appends on both cores round by round, so a load change on the machine hits
 * both alike; the rate of each backend is its median round, the ratio the
 * median of the rounds' ratios. Hypercore flushes its tree every 4 appends:
 * keep `appends / rounds` a multiple of 4 so every round does the same work.
 */
async function appendThroughput(
  cores: { memory: Hypercore; idb: Hypercore },
  appends: number,
  blockBytes: number,
  rounds: number,
): Promise<{ memory: Throughput; idb: Throughput; ratio: number }> {
  const block = new Uint8Array(blockBytes).fill(7)
  const perRound = Math.max(1, Math.floor(appends / rounds))
  const times = { memory: [] as number[], idb: [] as number[] }
  for (const core of [cores.memory, cores.idb]) {
    await core.ready()
    await core.append(block) // warm up: key pair, header, JIT
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? (['idb', 'memory'] as const) : (['memory', 'idb'] as const)
    for (const which of order) {
      const start = performance.now()
      for (let i = 0; i < perRound; i++) await cores[which].append(block)
      times[which].push(performance.now() - start)
    }
  }
  const result = (ms: number[]): Throughput => ({
    appends: perRound * rounds,
    ms: Math.round(ms.reduce((a, b) => a + b, 0)),
    blocksPerSecond: Math.round((perRound / median(ms)) * 1000),
  })
  const ratios = times.idb.map((ms, r) => (times.memory[r] ?? 0) / ms)
  return { memory: result(times.memory), idb: result(times.idb), ratio: median(ratios) }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = req.onerror = req.onblocked = () => resolve()
  })
}

/** Writes an identity archive of `blocks` blocks: a profile, then session heartbeats. */
async function writeArchive(store: IdbStore, blocks: number): Promise<void> {
  const writing = await IdentityArchive.open(new Hypercore(idbStorage(store, 'archive/')), {
    device: DEVICE,
  })
  await writing.put(PROFILE, { name: 'Bench', created: Date.now(), friends: [] })
  const session = { name: 'Bench', url: writing.url, peers: 1, max_peers: 8, protected: false }
  for (let i = 1; i < blocks; i++) await writing.put(SESSION, { ...session, last_update: i })
  await writing.close()
}

/** Opens the store and the archive as after a browser restart; ms until it is ready. */
async function reopenArchive(name: string, blocks: number): Promise<number> {
  const start = performance.now()
  const store = await IdbStore.open(name)
  const reopened = await IdentityArchive.open(new Hypercore(idbStorage(store, 'archive/')), {
    device: DEVICE,
  })
  const ms = performance.now() - start
  const ok = reopened.length === blocks && reopened.get(SESSION)?.last_update === blocks - 1
  await reopened.close()
  await store.close()
  if (!ok) throw new Error('the reopened archive is not the one written')
  return ms
}

/** Runs the benchmark in a fresh IndexedDB database, deleted afterwards. */
export async function benchIdentityStorage(opts: BenchOptions = {}): Promise<BenchResult> {
  const appends = opts.appends ?? 400
  const blockBytes = opts.blockBytes ?? 256
  const rounds = opts.rounds ?? 50
  const reopenBlocks = opts.reopenBlocks ?? 1000
  const reopenRuns = opts.reopenRuns ?? 5
  const durability = opts.durability ?? 'strict'
  const name = `porchlight-bench-${Date.now()}`
  try {
    const store = await IdbStore.open(name, { durability })
    const cores = {
      memory: new Hypercore(() => new RAM()),
      idb: new Hypercore(idbStorage(store, 'append/')),
    }
    const { memory, idb, ratio } = await appendThroughput(cores, appends, blockBytes, rounds)
    await Promise.all([cores.memory.close(), cores.idb.close()])
    await writeArchive(store, reopenBlocks)
    await store.close()

    const times: number[] = []
    for (let i = 0; i < reopenRuns; i++) times.push(await reopenArchive(name, reopenBlocks))
    const reopen = { blocks: reopenBlocks, ms: Math.round(median(times)), runs: reopenRuns }
    return { memory, idb, ratio: Math.round(ratio * 100) / 100, rounds, reopen, durability }
  } finally {
    await deleteDatabase(name)
  }
}
