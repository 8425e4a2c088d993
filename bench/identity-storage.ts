/**
 * Identity storage benchmark, run in a browser page (the engine's
 * environment): hypercore append throughput on the IndexedDB store against
 * the same appends in memory (random-access-memory), and the time to reopen
 * an identity archive of many blocks from IndexedDB.
 *
 *   const result = await benchIdentityStorage({ appends: 500 })
 *   // { memory: {...}, idb: {...}, ratio, reopen: { blocks, ms } }
 *
 * Ratios are measured against the in-memory peer in the same run, so the
 * machine's speed cancels out. Targets: ratio ≥ 0.5, reopen ≤ 200 ms.
 */
import Hypercore from 'hypercore'
import RAM from 'random-access-memory'
import { IdentityArchive } from '../src/identity/archive.js'
import { idbStorage } from '../src/identity/idb-storage.js'
import { IdbStore } from '../src/identity/idb-store.js'
import { PROFILE, SESSION } from '../src/identity/records.js'

export interface BenchOptions {
  /** Appends per backend. Default 500. */
  appends?: number
  /** Alternating memory/IndexedDB rounds the appends are split into. Default 10. */
  rounds?: number
  /** Bytes per appended block. Default 256. */
  blockBytes?: number
  /** Blocks in the archive that is reopened. Default 1000. */
  reopenBlocks?: number
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
  /** idb.blocksPerSecond / memory.blocksPerSecond */
  ratio: number
  reopen: { blocks: number; ms: number }
  durability: IDBTransactionDurability
}

const DEVICE = '0'.repeat(32)

/** Median of a non-empty list. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/**
 * Appends on both cores in alternating rounds, so a load change on the
 * machine hits both alike; the rate of each backend is its median round.
 */
async function appendThroughput(
  cores: { memory: Hypercore; idb: Hypercore },
  appends: number,
  blockBytes: number,
  rounds: number,
): Promise<{ memory: Throughput; idb: Throughput }> {
  const block = new Uint8Array(blockBytes).fill(7)
  const perRound = Math.max(1, Math.floor(appends / rounds))
  const times = { memory: [] as number[], idb: [] as number[] }
  for (const core of [cores.memory, cores.idb]) {
    await core.ready()
    await core.append(block) // warm up: key pair, header, JIT
  }
  for (let r = 0; r < rounds; r++) {
    for (const which of ['memory', 'idb'] as const) {
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
  return { memory: result(times.memory), idb: result(times.idb) }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = req.onerror = req.onblocked = () => resolve()
  })
}

/** Runs the benchmark in a fresh IndexedDB database, deleted afterwards. */
export async function benchIdentityStorage(opts: BenchOptions = {}): Promise<BenchResult> {
  const appends = opts.appends ?? 500
  const blockBytes = opts.blockBytes ?? 256
  const rounds = opts.rounds ?? 10
  const reopenBlocks = opts.reopenBlocks ?? 1000
  const durability = opts.durability ?? 'strict'
  const name = `porchlight-bench-${Date.now()}`
  const store = await IdbStore.open(name, { durability })
  try {
    const cores = {
      memory: new Hypercore(() => new RAM()),
      idb: new Hypercore(idbStorage(store, 'append/')),
    }
    const { memory, idb } = await appendThroughput(cores, appends, blockBytes, rounds)
    await Promise.all([cores.memory.close(), cores.idb.close()])

    // An identity archive of `reopenBlocks` blocks: a profile and session heartbeats.
    const writing = await IdentityArchive.open(new Hypercore(idbStorage(store, 'archive/')), {
      device: DEVICE,
    })
    await writing.put(PROFILE, { name: 'Bench', created: Date.now(), friends: [] })
    const session = { name: 'Bench', url: writing.url, peers: 1, max_peers: 8, protected: false }
    for (let i = 1; i < reopenBlocks; i++)
      await writing.put(SESSION, { ...session, last_update: i })
    await writing.close()

    const start = performance.now()
    const reopened = await IdentityArchive.open(new Hypercore(idbStorage(store, 'archive/')), {
      device: DEVICE,
    })
    const ms = Math.round(performance.now() - start)
    if (
      reopened.length !== reopenBlocks ||
      reopened.get(SESSION)?.last_update !== reopenBlocks - 1
    ) {
      throw new Error('the reopened archive is not the one written')
    }
    await reopened.close()
    const ratio = Math.round((idb.blocksPerSecond / memory.blocksPerSecond) * 100) / 100
    return { memory, idb, ratio, reopen: { blocks: reopenBlocks, ms }, durability }
  } finally {
    await store.close()
    await deleteDatabase(name)
  }
}
