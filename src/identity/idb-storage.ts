/**
 * A random-access-storage@3 file kept in IndexedDB, for hypercore 10:
 *
 *   const store = await IdbStore.open('porchlight-hypercores')
 *   const core = new Hypercore(idbStorage(store, 'identity-1/'))
 *
 * Each file is pages plus a length in the shared {@link IdbStore}; every
 * operation queued in one task commits in one transaction (see ./idb-store.ts),
 * and callbacks run only after the commit.
 */
import RandomAccessStorage, { type RandomAccessRequest } from 'random-access-storage'
import type { FileOp, OpResult } from './idb-pages.js'
import type { IdbStore } from './idb-store.js'

export class IdbFile extends RandomAccessStorage {
  readonly store: IdbStore
  readonly name: string

  constructor(store: IdbStore, name: string) {
    super()
    this.store = store
    this.name = name
  }

  private queue(op: FileOp, req: RandomAccessRequest): void {
    this.store.run(op, (result: OpResult) => {
      if (result.ok) req.callback(null, result.value ?? null)
      else req.callback(result.error)
    })
  }

  protected override _open(req: RandomAccessRequest): void {
    req.callback(null)
  }

  protected override _read(req: RandomAccessRequest): void {
    this.queue({ kind: 'read', file: this.name, offset: req.offset, size: req.size }, req)
  }

  protected override _write(req: RandomAccessRequest): void {
    const data = req.data ?? new Uint8Array(0)
    // Copy now: the caller may reuse its buffer before the batch runs.
    const copy = Uint8Array.prototype.slice.call(data)
    this.queue({ kind: 'write', file: this.name, offset: req.offset, data: copy }, req)
  }

  protected override _del(req: RandomAccessRequest): void {
    this.queue({ kind: 'del', file: this.name, offset: req.offset, size: req.size }, req)
  }

  protected override _truncate(req: RandomAccessRequest): void {
    this.queue({ kind: 'truncate', file: this.name, offset: req.offset }, req)
  }

  protected override _stat(req: RandomAccessRequest): void {
    this.queue({ kind: 'stat', file: this.name }, req)
  }

  protected override _close(req: RandomAccessRequest): void {
    // Nothing is held open per file: pending operations finish before RAS closes us.
    req.callback(null)
  }

  protected override _unlink(req: RandomAccessRequest): void {
    this.queue({ kind: 'unlink', file: this.name }, req)
  }
}

/** A hypercore storage function: every file of the core lives under `prefix` in `store`. */
export function idbStorage(store: IdbStore, prefix: string): (file: string) => IdbFile {
  return (file: string) => new IdbFile(store, prefix + file)
}
