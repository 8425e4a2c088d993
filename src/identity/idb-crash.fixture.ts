/**
 * Shared by idb-storage.browser.test.ts and idb-crash.worker.ts: the file a
 * worker rewrites generation after generation until it is killed. Each
 * generation has its own length (many pages) and content, so a torn write
 * (pages of two generations, or a length that does not fit) is detectable.
 */
export const CRASH_FILE = 'crash/file'

/** The worker reports each generation once its batch committed. */
export interface CrashReport {
  committed: number
}

/** Generation `g`: a uint32 LE `g`, then a fill byte, over a length that varies with g. */
export function crashPattern(g: number): Uint8Array {
  const length = 64 * (((g * 7) % 200) + 40) + (g % 61)
  const data = new Uint8Array(length).fill((g % 251) + 1)
  new DataView(data.buffer).setUint32(0, g, true)
  return data
}

/** The generation stored in a file's content (0 when empty). */
export function generationOf(data: Uint8Array): number {
  return data.byteLength < 4 ? 0 : new DataView(data.buffer, data.byteOffset).getUint32(0, true)
}

/** The hypercore a second worker appends to until it is killed, and its blocks. */
export const CRASH_CORE = 'crash-core/'

/** Block `i` of the crash core: distinct content and length per block. */
export function crashBlock(i: number): Uint8Array {
  return new TextEncoder().encode(`block ${i} `.padEnd(40 + (i % 97), '.'))
}
