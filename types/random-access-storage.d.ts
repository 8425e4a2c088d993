// The parts of random-access-storage@3 Porchlight uses; the package ships no types.
declare module 'random-access-storage' {
  import { EventEmitter } from 'node:events'

  type Callback<T = unknown> = (err: Error | null, value?: T) => void

  /** One queued operation, as a subclass's `_read`/`_write`/… receive it. */
  export interface RandomAccessRequest {
    offset: number
    size: number
    data: Uint8Array | null
    callback(err: Error | null, value?: unknown): void
  }

  export default class RandomAccessStorage extends EventEmitter {
    constructor()
    readonly opened: boolean
    readonly closed: boolean
    readonly unlinked: boolean
    read(offset: number, size: number, cb: Callback<Uint8Array>): void
    write(offset: number, data: Uint8Array, cb?: Callback): void
    del(offset: number, size: number, cb?: Callback): void
    truncate(offset: number, cb?: Callback): void
    stat(cb: Callback<{ size: number; blocks: number }>): void
    open(cb?: Callback): void
    close(cb?: Callback): void
    unlink(cb?: Callback): void
    protected _open(req: RandomAccessRequest): void
    protected _read(req: RandomAccessRequest): void
    protected _write(req: RandomAccessRequest): void
    protected _del(req: RandomAccessRequest): void
    protected _truncate(req: RandomAccessRequest): void
    protected _stat(req: RandomAccessRequest): void
    protected _close(req: RandomAccessRequest): void
    protected _unlink(req: RandomAccessRequest): void
  }
}

declare module 'random-access-memory' {
  import RandomAccessStorage from 'random-access-storage'
  export default class RandomAccessMemory extends RandomAccessStorage {
    constructor(opts?: { pageSize?: number })
    static reusable(): (name: string) => RandomAccessMemory
  }
}
