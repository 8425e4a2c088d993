/**
 * One IndexedDB database holding many random-access files as fixed-size
 * pages: object store `pages` keyed [file, pageIndex], object store `lengths`
 * keyed by file.
 *
 * Operations are applied in batches, in the order they were queued, one
 * transaction at a time: what is queued during one task forms a batch, and
 * so does everything queued while a transaction is in flight (group commit).
 * The transaction loads the lengths and pages the batch needs that the cache
 * (./idb-cache.ts) does not hold, applies the operations in memory
 * (./idb-pages.ts) and writes the result back. So a file's pages and its
 * length always change together, a crash leaves the database as it was after
 * some whole batch (a prefix of what was queued, never a later batch without
 * an earlier one), and overlapping writes land in queue order. A batch of
 * reads the cache can answer needs no transaction.
 *
 * Acknowledgement: an operation calls back once its transaction has
 * completed (committed with the store's durability), never before: a write
 * that reported success is on disk. A write queued with ack `'queued'` calls
 * back at once instead: it is ordered before every operation queued after
 * it, so it is on disk as soon as a later commit-acknowledged operation has
 * called back (./idb-storage.ts uses this for hypercore, whose oplog is that
 * later operation). Should a batch carrying such a write fail, its success was
 * already reported, so the store stops: that batch and every later operation
 * fail until the store is reopened, and nothing commits on top of the loss.
 */
import { DEFAULT_CACHE_PAGES, PageCache, loadFromCache, type Missing } from './idb-cache.js'
import { PageSet, pagesNeeded, type FileOp, type OpResult } from './idb-pages.js'
import { complete, openDatabase, request } from './idb-util.js'

const PAGES = 'pages'
const LENGTHS = 'lengths'
const DB_VERSION = 1

export const DEFAULT_PAGE_SIZE = 4096

export interface IdbStoreOptions {
  /** Bytes per stored page. Fixed for the life of a database. Default 4096. */
  pageSize?: number
  /** IndexedDB commit durability. Default 'strict' (flushed to disk before callbacks run). */
  durability?: IDBTransactionDurability
  /** Pages the read cache keeps (0: lengths only). Default 2048. */
  cachePages?: number
}

/** When a write calls back: once committed (default), or at once (see the file's comment). */
export type Ack = 'commit' | 'queued'

type Callback = (result: OpResult) => void
interface Queued {
  op: FileOp
  done: Callback
  /** Already acknowledged when queued. */
  early: boolean
}

function isWrite(op: FileOp): boolean {
  return op.kind !== 'read' && op.kind !== 'stat'
}

/** Schedules `fn` as a task of its own (a MessageChannel message is not throttled like timers). */
function nextTask(fn: () => void): void {
  const channel = new MessageChannel()
  channel.port1.onmessage = () => {
    channel.port1.close()
    fn()
  }
  channel.port2.postMessage(null)
}

export class IdbStore {
  readonly name: string
  readonly pageSize: number
  readonly durability: IDBTransactionDurability
  private readonly db: IDBDatabase
  private readonly cache: PageCache
  private queue: Queued[] = []
  private scheduled = false
  private closed = false
  /** A transaction of ours is in flight; the next batch waits for it. */
  private busy = false
  /** Set when a batch with early-acknowledged writes failed: every later operation fails. */
  private broken: Error | null = null
  private idle: Array<() => void> = []
  /** Test hook: sees each batch's transaction after its writes are issued. */
  onBatch: ((tx: IDBTransaction) => void) | null = null

  private constructor(db: IDBDatabase, pageSize: number, opts: IdbStoreOptions) {
    this.db = db
    this.name = db.name
    this.pageSize = pageSize
    this.durability = opts.durability ?? 'strict'
    this.cache = new PageCache(opts.cachePages ?? DEFAULT_CACHE_PAGES)
  }

  /** Opens (creating if needed) the database `name`. */
  static async open(name: string, opts: IdbStoreOptions = {}): Promise<IdbStore> {
    const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE
    if (!Number.isSafeInteger(pageSize) || pageSize < 64) {
      throw new RangeError('pageSize must be an integer of at least 64')
    }
    const db = await openDatabase(name, DB_VERSION, (db) => {
      if (!db.objectStoreNames.contains(PAGES)) db.createObjectStore(PAGES)
      if (!db.objectStoreNames.contains(LENGTHS)) db.createObjectStore(LENGTHS)
    })
    return new IdbStore(db, pageSize, opts)
  }

  /** Pages the read cache holds now (for tests and the bench). */
  get cachedPages(): number {
    return this.cache.size
  }

  /** Queues one operation; a write with ack 'queued' calls back at once. */
  run(op: FileOp, done: Callback, ack: Ack = 'commit'): void {
    const refused = this.closed ? new Error(`IdbStore ${this.name} is closed`) : this.broken
    if (refused) {
      queueMicrotask(() => done({ ok: false, error: refused }))
      return
    }
    const early = ack === 'queued' && isWrite(op)
    this.queue.push({ op, done, early })
    if (early) queueMicrotask(() => done({ ok: true }))
    this.schedule()
  }

  /** Resolves once every queued operation has committed (or failed). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && !this.busy) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  /** Lists files whose name starts with `prefix` (those with a length record). */
  async files(prefix = ''): Promise<string[]> {
    await this.settled()
    const tx = this.db.transaction(LENGTHS, 'readonly')
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`)
    const keys = await request(tx.objectStore(LENGTHS).getAllKeys(range))
    return keys.filter((k): k is string => typeof k === 'string')
  }

  /** Deletes every file whose name starts with `prefix`, pages and lengths, in one transaction. */
  async deleteFiles(prefix: string): Promise<void> {
    if (!prefix) throw new RangeError('deleteFiles needs a non-empty prefix')
    if (this.broken) throw this.broken
    while (this.busy || this.queue.length > 0) await this.settled()
    this.busy = true
    try {
      this.cache.forget(prefix)
      const tx = this.db.transaction([PAGES, LENGTHS], 'readwrite', {
        durability: this.durability,
      })
      const end = `${prefix}\uffff`
      tx.objectStore(PAGES).delete(IDBKeyRange.bound([prefix], [end]))
      tx.objectStore(LENGTHS).delete(IDBKeyRange.bound(prefix, end))
      await complete(tx)
    } finally {
      this.busy = false
      this.schedule()
      this.notifyIdle()
    }
  }

  /** Finishes pending work and closes the connection; later operations fail. */
  async close(): Promise<void> {
    await this.settled()
    this.closed = true
    this.db.close()
  }

  private schedule(): void {
    if (this.scheduled || this.busy || this.queue.length === 0) return
    this.scheduled = true
    nextTask(() => this.flush())
  }

  private notifyIdle(): void {
    if (this.queue.length === 0 && !this.busy) for (const resolve of this.idle.splice(0)) resolve()
  }

  private flush(): void {
    this.scheduled = false
    if (this.busy) return
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    if (this.broken) return this.finish(batch, this.broken)
    const set = new PageSet(this.pageSize)
    const ops = batch.map((q) => q.op)
    const missing = loadFromCache(this.cache, set, ops, (op) => pagesNeeded(op, this.pageSize))
    const writes = ops.some(isWrite)
    if (!writes && missing.files.length === 0 && missing.pages.length === 0) {
      // Reads the cache answers: no transaction.
      return this.finish(
        batch,
        ops.map((op) => set.apply(op)),
      )
    }
    let tx: IDBTransaction
    try {
      tx = writes
        ? this.db.transaction([PAGES, LENGTHS], 'readwrite', { durability: this.durability })
        : this.db.transaction([PAGES, LENGTHS], 'readonly')
    } catch (err) {
      return this.finish(batch, err instanceof Error ? err : new Error(String(err)))
    }
    this.busy = true
    let results: OpResult[] = []
    tx.oncomplete = () => {
      this.cache.remember(set)
      this.finish(batch, results)
    }
    tx.onabort = () => {
      this.cache.forget()
      this.finish(batch, tx.error ?? new Error('IndexedDB transaction aborted'))
    }
    load(tx, missing, set, () => {
      results = ops.map((op) => set.apply(op))
      writeBack(tx, set)
      this.onBatch?.(tx)
      // Nothing more comes: commit now rather than after every request answered.
      try {
        tx.commit()
      } catch {
        // The test hook aborted it.
      }
    })
  }

  /** Answers a batch (early-acknowledged writes were answered already), then runs the next. */
  private finish(batch: Queued[], results: OpResult[] | Error): void {
    this.busy = false
    if (results instanceof Error && !this.broken && batch.some((q) => q.early)) {
      this.broken = new Error(
        `IdbStore ${this.name} stopped: a commit failed after its writes were acknowledged ` +
          `(${results.message}); reopen it`,
      )
    }
    for (const [i, q] of batch.entries()) {
      if (q.early) continue
      q.done(
        results instanceof Error ? { ok: false, error: results } : (results[i] ?? { ok: true }),
      )
    }
    this.schedule()
    this.notifyIdle()
  }
}

/** Loads the lengths and pages the cache did not have, then calls `ready` (still inside `tx`). */
function load(tx: IDBTransaction, missing: Missing, set: PageSet, ready: () => void): void {
  const pages = tx.objectStore(PAGES)
  const lengths = tx.objectStore(LENGTHS)
  let waiting = 1
  const settle = () => {
    if (--waiting === 0) ready()
  }
  for (const file of missing.files) {
    waiting++
    const req = lengths.get(file)
    req.onsuccess = () => {
      set.loadLength(file, typeof req.result === 'number' ? req.result : 0)
      settle()
    }
  }
  for (const [file, index] of missing.pages) {
    waiting++
    const req = pages.get([file, index])
    req.onsuccess = () => {
      const value: unknown = req.result
      set.loadPage(file, index, value instanceof Uint8Array ? value : undefined)
      settle()
    }
  }
  settle()
}

/** Issues the batch's changes: range cuts first, then single pages, then lengths. */
function writeBack(tx: IDBTransaction, set: PageSet): void {
  const { puts, deletes, cuts, lengths, unlinked } = set.changes()
  if (tx.mode !== 'readwrite') return
  const pages = tx.objectStore(PAGES)
  const lengthStore = tx.objectStore(LENGTHS)
  for (const { file, from } of cuts) pages.delete(IDBKeyRange.bound([file, from], [file, Infinity]))
  for (const key of deletes) pages.delete([...key])
  for (const { key, data } of puts) pages.put(data, [...key])
  for (const { file, length } of lengths) lengthStore.put(length, file)
  for (const file of unlinked) lengthStore.delete(file)
}
