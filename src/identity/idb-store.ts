/**
 * One IndexedDB database holding many random-access files as fixed-size
 * pages: object store `pages` keyed [file, pageIndex], object store `lengths`
 * keyed by file.
 *
 * Every operation queued during one task is applied in ONE transaction, in
 * the order it was queued: the transaction loads the lengths and the pages
 * the operations need, applies them in memory (./idb-pages.ts) and writes the
 * result back. So a file's pages and its length always change together, a
 * crash leaves each file as it was before or after a whole batch, and
 * overlapping writes land in queue order. Transactions over the same stores
 * run in the order they were created, so batches never interleave either.
 *
 * Callbacks run once the transaction is complete (committed), never before:
 * a write that reported success is on disk.
 */
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
}

type Callback = (result: OpResult) => void
interface Queued {
  op: FileOp
  done: Callback
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
  private queue: Queued[] = []
  private scheduled = false
  private closed = false
  private inFlight = 0
  private idle: Array<() => void> = []
  /** Test hook: sees each batch's transaction after its writes are issued. */
  onBatch: ((tx: IDBTransaction) => void) | null = null

  private constructor(db: IDBDatabase, pageSize: number, durability: IDBTransactionDurability) {
    this.db = db
    this.name = db.name
    this.pageSize = pageSize
    this.durability = durability
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
    return new IdbStore(db, pageSize, opts.durability ?? 'strict')
  }

  /** Queues one operation for the current batch. */
  run(op: FileOp, done: Callback): void {
    if (this.closed) {
      queueMicrotask(() => done({ ok: false, error: new Error(`IdbStore ${this.name} is closed`) }))
      return
    }
    this.queue.push({ op, done })
    if (!this.scheduled) {
      this.scheduled = true
      nextTask(() => this.flush())
    }
  }

  /** Resolves once every queued operation has committed (or failed). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve()
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
    await this.settled()
    const tx = this.db.transaction([PAGES, LENGTHS], 'readwrite', { durability: this.durability })
    const end = `${prefix}\uffff`
    tx.objectStore(PAGES).delete(IDBKeyRange.bound([prefix], [end]))
    tx.objectStore(LENGTHS).delete(IDBKeyRange.bound(prefix, end))
    await complete(tx)
  }

  /** Finishes pending work and closes the connection; later operations fail. */
  async close(): Promise<void> {
    await this.settled()
    this.closed = true
    this.db.close()
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    this.inFlight++
    const finish = (results: OpResult[] | Error) => {
      this.inFlight--
      batch.forEach((q, i) =>
        q.done(
          results instanceof Error ? { ok: false, error: results } : (results[i] ?? { ok: true }),
        ),
      )
      if (this.queue.length === 0 && this.inFlight === 0) {
        for (const resolve of this.idle.splice(0)) resolve()
      }
    }
    let tx: IDBTransaction
    try {
      const writes = batch.some((q) => q.op.kind !== 'read' && q.op.kind !== 'stat')
      tx = writes
        ? this.db.transaction([PAGES, LENGTHS], 'readwrite', { durability: this.durability })
        : this.db.transaction([PAGES, LENGTHS], 'readonly')
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)))
      return
    }
    const set = new PageSet(this.pageSize)
    let results: OpResult[] = []
    tx.oncomplete = () => finish(results)
    tx.onabort = () => finish(tx.error ?? new Error('IndexedDB transaction aborted'))
    this.load(tx, batch, set, () => {
      results = batch.map((q) => set.apply(q.op))
      writeBack(tx, set)
      this.onBatch?.(tx)
    })
  }

  /** Loads every length and page the batch needs, then calls `ready` (still inside `tx`). */
  private load(tx: IDBTransaction, batch: Queued[], set: PageSet, ready: () => void): void {
    const pages = tx.objectStore(PAGES)
    const lengths = tx.objectStore(LENGTHS)
    let waiting = 1
    const settle = () => {
      if (--waiting === 0) ready()
    }
    const seenFiles = new Set<string>()
    const seenPages = new Set<string>()
    for (const { op } of batch) {
      if (!seenFiles.has(op.file)) {
        seenFiles.add(op.file)
        waiting++
        const req = lengths.get(op.file)
        req.onsuccess = () => {
          set.loadLength(op.file, typeof req.result === 'number' ? req.result : 0)
          settle()
        }
      }
      for (const index of pagesNeeded(op, this.pageSize)) {
        const id = `${op.file}\0${index}`
        if (seenPages.has(id)) continue
        seenPages.add(id)
        waiting++
        const req = pages.get([op.file, index])
        req.onsuccess = () => {
          const value: unknown = req.result
          set.loadPage(op.file, index, value instanceof Uint8Array ? value : undefined)
          settle()
        }
      }
    }
    settle()
  }
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
