/**
 * File operations over fixed-size pages, applied in memory to a working set
 * that one IndexedDB transaction loaded and will write back. Pure: no
 * IndexedDB here, so the byte arithmetic is testable on its own.
 *
 * Invariant kept by every operation: no stored byte lies at or beyond a file's
 * length (pages past the end are absent, the tail of the last page is zero),
 * so extending a file, by a write past the end or a growing truncate, always
 * reads zeros in the gap. Absent pages read as zeros (sparse files).
 */

/** One queued file operation. `size` of a `del` may be Infinity (truncate). */
export type FileOp =
  | { kind: 'read'; file: string; offset: number; size: number }
  | { kind: 'write'; file: string; offset: number; data: Uint8Array }
  | { kind: 'del'; file: string; offset: number; size: number }
  | { kind: 'truncate'; file: string; offset: number }
  | { kind: 'stat'; file: string }
  | { kind: 'unlink'; file: string }

/** What `stat` answers, shaped like random-access-file's (hypercore reads `size` and `blocks`). */
export interface FileStat {
  size: number
  blocks: number
  blksize: number
}

export type OpResult = { ok: true; value?: Uint8Array | FileStat } | { ok: false; error: Error }

/** Page `index` of `file` as the transaction saw it (undefined: absent). */
export type PageKey = readonly [file: string, index: number]

export function pageRange(offset: number, size: number, pageSize: number): [number, number] {
  return [Math.floor(offset / pageSize), Math.floor((offset + size - 1) / pageSize)]
}

/**
 * The pages whose current content `op` needs before it can be applied: every
 * page a read touches, and the partially covered edge pages of a write, a
 * delete or a truncate. Fully overwritten pages need no load.
 */
export function pagesNeeded(op: FileOp, pageSize: number): number[] {
  const edges = (offset: number, size: number): number[] => {
    if (size <= 0) return []
    const [first, last] = pageRange(offset, size, pageSize)
    const out: number[] = []
    if (offset % pageSize !== 0) out.push(first)
    if ((offset + size) % pageSize !== 0 && !out.includes(last)) out.push(last)
    return out
  }
  switch (op.kind) {
    case 'read': {
      if (op.size <= 0) return []
      const [first, last] = pageRange(op.offset, op.size, pageSize)
      return Array.from({ length: last - first + 1 }, (_, i) => first + i)
    }
    case 'write':
      return edges(op.offset, op.data.byteLength)
    case 'del':
      // Only a delete that stays inside the file zero-fills; its size is finite then.
      return Number.isFinite(op.size)
        ? edges(op.offset, op.size)
        : pagesNeeded(truncate(op), pageSize)
    case 'truncate':
      return op.offset % pageSize === 0 ? [] : [Math.floor(op.offset / pageSize)]
    case 'stat':
    case 'unlink':
      return []
  }
}

function truncate(op: { file: string; offset: number }): FileOp {
  return { kind: 'truncate', file: op.file, offset: op.offset }
}

/**
 * The files and pages of one transaction: loaded once, changed in memory by
 * each operation in order, and written back when all are applied.
 */
export class PageSet {
  readonly pageSize: number
  /** Page contents by "file\0index"; null = absent (deleted or never written). */
  private readonly pages = new Map<string, Uint8Array | null>()
  private readonly dirtyPages = new Set<string>()
  private readonly lengths = new Map<string, number>()
  private readonly dirtyLengths = new Set<string>()
  /** Files cut at a page boundary: every stored page from `index` on goes. */
  private readonly cuts = new Map<string, number>()
  private readonly unlinked = new Set<string>()

  constructor(pageSize: number) {
    this.pageSize = pageSize
  }

  /** Records what the store held before this transaction. */
  loadLength(file: string, length: number): void {
    if (!this.lengths.has(file)) this.lengths.set(file, length)
  }

  loadPage(file: string, index: number, data: Uint8Array | undefined): void {
    const key = pageKey(file, index)
    if (!this.pages.has(key)) this.pages.set(key, data ?? null)
  }

  length(file: string): number {
    return this.lengths.get(file) ?? 0
  }

  /** Applies one operation; reads and stats return their value. */
  apply(op: FileOp): OpResult {
    switch (op.kind) {
      case 'read':
        return this.read(op.file, op.offset, op.size)
      case 'write':
        this.write(op.file, op.offset, op.data)
        return { ok: true }
      case 'del':
        this.del(op.file, op.offset, op.size)
        return { ok: true }
      case 'truncate':
        this.truncate(op.file, op.offset)
        return { ok: true }
      case 'stat': {
        const size = this.length(op.file)
        return { ok: true, value: { size, blocks: Math.ceil(size / 512), blksize: this.pageSize } }
      }
      case 'unlink':
        this.truncate(op.file, 0)
        this.unlinked.add(op.file)
        return { ok: true }
    }
  }

  private read(file: string, offset: number, size: number): OpResult {
    const length = this.length(file)
    if (offset + size > length) {
      return {
        ok: false,
        error: new Error(`Could not satisfy length: ${file} has ${length} bytes`),
      }
    }
    const out = new Uint8Array(size)
    this.span(offset, size, (index, rel, start, len) => {
      const page = this.page(file, index)
      if (page) out.set(page.subarray(rel, rel + len), start)
    })
    return { ok: true, value: out }
  }

  private write(file: string, offset: number, data: Uint8Array): void {
    this.unlinked.delete(file)
    this.span(offset, data.byteLength, (index, rel, start, len) => {
      const page =
        len === this.pageSize ? new Uint8Array(this.pageSize) : this.editable(file, index)
      page.set(data.subarray(start, start + len), rel)
      this.setPage(file, index, page)
    })
    const end = offset + data.byteLength
    if (end > this.length(file)) this.setLength(file, end)
  }

  /** Zeroes a range inside the file; a range reaching the end truncates (as random-access-memory). */
  private del(file: string, offset: number, size: number): void {
    const length = this.length(file)
    if (offset >= length) return
    if (offset + size >= length) {
      this.truncate(file, offset)
      return
    }
    this.span(offset, size, (index, rel, _start, len) => {
      if (len === this.pageSize) this.setPage(file, index, null)
      else this.editable(file, index).fill(0, rel, rel + len)
    })
  }

  /** Sets the length exactly, shrinking or growing with zeros (as ftruncate). */
  private truncate(file: string, offset: number): void {
    const length = this.length(file)
    if (offset < length) {
      const index = Math.floor(offset / this.pageSize)
      const rel = offset % this.pageSize
      const firstGone = rel === 0 ? index : index + 1
      if (rel !== 0) {
        const page = this.page(file, index)
        if (page) this.editable(file, index).fill(0, rel)
      }
      for (const key of this.pages.keys()) {
        const [f, i] = parseKey(key)
        if (f === file && i >= firstGone) this.setPage(file, i, null)
      }
      this.cuts.set(file, Math.min(this.cuts.get(file) ?? Infinity, firstGone))
    }
    this.setLength(file, offset)
  }

  /** Calls `fn(pageIndex, offsetInPage, offsetInRange, length)` for each page of a range. */
  private span(
    offset: number,
    size: number,
    fn: (index: number, rel: number, start: number, len: number) => void,
  ): void {
    let start = 0
    while (start < size) {
      const pos = offset + start
      const index = Math.floor(pos / this.pageSize)
      const rel = pos % this.pageSize
      const len = Math.min(this.pageSize - rel, size - start)
      fn(index, rel, start, len)
      start += len
    }
  }

  private page(file: string, index: number): Uint8Array | null {
    const key = pageKey(file, index)
    if (!this.pages.has(key)) throw new Error(`page ${index} of ${file} was not loaded`)
    return this.pages.get(key) ?? null
  }

  /** The page as a private copy this transaction may change. */
  private editable(file: string, index: number): Uint8Array {
    const key = pageKey(file, index)
    const current = this.page(file, index)
    if (current && this.dirtyPages.has(key)) return current
    const copy = new Uint8Array(this.pageSize)
    if (current) copy.set(current.subarray(0, this.pageSize))
    this.setPage(file, index, copy)
    return copy
  }

  private setPage(file: string, index: number, data: Uint8Array | null): void {
    const key = pageKey(file, index)
    this.pages.set(key, data)
    this.dirtyPages.add(key)
  }

  private setLength(file: string, length: number): void {
    this.lengths.set(file, length)
    this.dirtyLengths.add(file)
  }

  /** Everything to write back: changed pages, range deletions, changed lengths. */
  changes(): {
    puts: Array<{ key: PageKey; data: Uint8Array }>
    deletes: PageKey[]
    cuts: Array<{ file: string; from: number }>
    lengths: Array<{ file: string; length: number }>
    unlinked: string[]
  } {
    const puts: Array<{ key: PageKey; data: Uint8Array }> = []
    const deletes: PageKey[] = []
    for (const key of this.dirtyPages) {
      const [file, index] = parseKey(key)
      const data = this.pages.get(key)
      if (data) puts.push({ key: [file, index], data })
      else deletes.push([file, index])
    }
    const unlinked = [...this.unlinked]
    const lengths = [...this.dirtyLengths]
      .filter((file) => !this.unlinked.has(file))
      .map((file) => ({ file, length: this.length(file) }))
    const cuts = [...this.cuts].map(([file, from]) => ({ file, from }))
    return { puts, deletes, cuts, lengths, unlinked }
  }

  /** Every page (by key; null: absent) and length this set knows, as they stand now. */
  known(): { pages: ReadonlyMap<string, Uint8Array | null>; lengths: ReadonlyMap<string, number> } {
    return { pages: this.pages, lengths: this.lengths }
  }
}

/** The key of page `index` of `file` in a page map. */
export function pageKey(file: string, index: number): string {
  return `${file}\0${index}`
}

/** The file and page index of a {@link pageKey}. */
export function parseKey(key: string): [string, number] {
  const at = key.lastIndexOf('\0')
  return [key.slice(0, at), Number(key.slice(at + 1))]
}
