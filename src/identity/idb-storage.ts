/**
 * A random-access-storage@3 file kept in IndexedDB, for hypercore 10:
 *
 *   const store = await IdbStore.open('porchlight-hypercores')
 *   const core = new Hypercore(idbStorage(store, 'identity-1/'))
 *
 * Each file is pages plus a length in the shared {@link IdbStore}; operations
 * commit in batches, in queue order, one transaction at a time (see
 * ./idb-store.ts).
 *
 * Hypercore's files acknowledge in two ways. Its `oplog` is its write-ahead
 * log: every change hypercore reports done (append, truncate, user data, a
 * flush of the tree and bitfield) ends with a write to the oplog, so writes
 * to the oplog call back only once committed. Everything else calls back as
 * soon as it is queued: each operation is ordered before the next oplog
 * write, so it is on disk by the time that one calls back, and an append
 * costs one transaction instead of two or three. That includes the
 * truncation of the oplog after a flush: the entries it drops carry the old
 * header's bit, which hypercore ignores on open once the new header (a
 * commit-acknowledged write) is there. A read always sees every operation
 * queued before it.
 */
import RandomAccessStorage, { type RandomAccessRequest } from 'random-access-storage'
import type { FileOp, OpResult } from './idb-pages.js'
import type { Ack, IdbStore } from './idb-store.js'

/** Hypercore's write-ahead log, the file whose operations acknowledge on commit. */
export const HYPERCORE_LOG = 'oplog'

export interface IdbFileOptions {
  /** When changes call back: 'commit' (default) or 'queued' (see ./idb-store.ts), or per operation. */
  ack?: Ack | ((op: FileOp) => Ack)
}

/** The oplog: writes on commit, its truncations when queued (see above). */
const oplogAck = (op: FileOp): Ack => (op.kind === 'write' ? 'commit' : 'queued')

export class IdbFile extends RandomAccessStorage {
  readonly store: IdbStore
  readonly name: string
  readonly ack: Ack | ((op: FileOp) => Ack)

  constructor(store: IdbStore, name: string, opts: IdbFileOptions = {}) {
    super()
    this.store = store
    this.name = name
    this.ack = opts.ack ?? 'commit'
  }

  private queue(op: FileOp, req: RandomAccessRequest): void {
    this.store.run(
      op,
      (result: OpResult) => {
        if (result.ok) req.callback(null, result.value ?? null)
        else req.callback(result.error)
      },
      typeof this.ack === 'function' ? this.ack(op) : this.ack,
    )
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
    // Nothing is held open per file; a closed file's writes are all committed.
    void this.store.settled().then(() => req.callback(null))
  }

  protected override _unlink(req: RandomAccessRequest): void {
    this.queue({ kind: 'unlink', file: this.name }, req)
  }
}

/**
 * A hypercore storage function: every file of the core lives under `prefix`
 * in `store`; only writes to the oplog acknowledge on commit (see above).
 */
export function idbStorage(store: IdbStore, prefix: string): (file: string) => IdbFile {
  return (file: string) =>
    new IdbFile(store, prefix + file, { ack: file === HYPERCORE_LOG ? oplogAck : 'queued' })
}
