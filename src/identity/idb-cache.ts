/**
 * What an {@link IdbStore}'s database holds, as far as this connection knows:
 * every file length it has seen, and the most recently used pages (a bounded
 * LRU). It only ever holds committed state: the store fills it from what a
 * transaction loaded and wrote once that transaction has completed, and
 * clears it when one aborts. Batches then skip the reads they would have
 * issued, and reads whose pages are all here need no transaction at all.
 *
 * It assumes this connection is the only writer of the database (one engine
 * document owns the identity store); a second writing connection would make
 * it stale.
 */
import { pageKey, parseKey, type FileOp, type PageSet } from './idb-pages.js'

/** Pages kept by default: 2048 × 4 KiB = 8 MiB at the default page size. */
export const DEFAULT_CACHE_PAGES = 2048

export class PageCache {
  readonly maxPages: number
  private readonly lengths = new Map<string, number>()
  /** By {@link pageKey}; null: known to be absent. Map order is use order (oldest first). */
  private readonly pages = new Map<string, Uint8Array | null>()
  /** The cached page indexes of each file, so truncations need not scan every page. */
  private readonly byFile = new Map<string, Set<number>>()

  constructor(maxPages = DEFAULT_CACHE_PAGES) {
    this.maxPages = maxPages
  }

  get size(): number {
    return this.pages.size
  }

  /** The committed length of `file`, or undefined when not known here. */
  length(file: string): number | undefined {
    return this.lengths.get(file)
  }

  /** Page `index` of `file` (null: absent), or undefined when not known here. */
  page(file: string, index: number): Uint8Array | null | undefined {
    const key = pageKey(file, index)
    const data = this.pages.get(key)
    if (data === undefined) return undefined
    this.pages.delete(key)
    this.pages.set(key, data)
    return data
  }

  /**
   * Takes in a completed transaction's set: first drops the pages its
   * truncations cut (the set holds only the pages it loaded), then records
   * every page and length the set knows, as committed.
   */
  remember(set: PageSet): void {
    const { cuts, unlinked } = set.changes()
    for (const { file, from } of cuts) this.dropFrom(file, from)
    for (const file of unlinked) this.dropFrom(file, 0)
    const { pages, lengths } = set.known()
    for (const [file, length] of lengths) this.lengths.set(file, length)
    if (this.maxPages === 0) return
    for (const [key, data] of pages) {
      this.pages.delete(key)
      this.pages.set(key, data)
      const [file, index] = parseKey(key)
      let indexes = this.byFile.get(file)
      if (!indexes) this.byFile.set(file, (indexes = new Set()))
      indexes.add(index)
    }
    for (const key of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break
      this.drop(key)
    }
  }

  /** Forgets files whose name starts with `prefix` (everything when empty). */
  forget(prefix = ''): void {
    for (const file of this.lengths.keys()) if (file.startsWith(prefix)) this.lengths.delete(file)
    for (const file of this.byFile.keys()) if (file.startsWith(prefix)) this.dropFrom(file, 0)
  }

  private dropFrom(file: string, from: number): void {
    for (const index of this.byFile.get(file) ?? []) {
      if (index >= from) this.drop(pageKey(file, index))
    }
  }

  private drop(key: string): void {
    this.pages.delete(key)
    const [file, index] = parseKey(key)
    const indexes = this.byFile.get(file)
    indexes?.delete(index)
    if (indexes?.size === 0) this.byFile.delete(file)
  }
}

/** What a batch still has to load from IndexedDB after the cache: lengths and pages. */
export interface Missing {
  files: string[]
  pages: Array<[file: string, index: number]>
}

/**
 * Loads into `set` everything `ops` need that `cache` knows, and returns the
 * rest, each file and page once.
 */
export function loadFromCache(
  cache: PageCache,
  set: PageSet,
  ops: FileOp[],
  needed: (op: FileOp) => number[],
): Missing {
  const missing: Missing = { files: [], pages: [] }
  const seenFiles = new Set<string>()
  const seenPages = new Set<string>()
  for (const op of ops) {
    if (!seenFiles.has(op.file)) {
      seenFiles.add(op.file)
      const length = cache.length(op.file)
      if (length === undefined) missing.files.push(op.file)
      else set.loadLength(op.file, length)
    }
    for (const index of needed(op)) {
      const key = pageKey(op.file, index)
      if (seenPages.has(key)) continue
      seenPages.add(key)
      const data = cache.page(op.file, index)
      if (data === undefined) missing.pages.push([op.file, index])
      else set.loadPage(op.file, index, data ?? undefined)
    }
  }
  return missing
}
