/**
 * Test worker (see idb-storage.browser.test.ts): rewrites one file with a new
 * generation per batch, as fast as batches commit, until the test kills it.
 */
import { CRASH_FILE, crashPattern, generationOf, type CrashReport } from './idb-crash.fixture.js'
import { IdbFile } from './idb-storage.js'
import { IdbStore } from './idb-store.js'

function call<T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))))
}

self.onmessage = async (e: MessageEvent<{ name: string }>) => {
  const store = await IdbStore.open(e.data.name, { pageSize: 64 })
  const file = new IdbFile(store, CRASH_FILE)
  const { size } = await call<{ size: number }>((cb) => file.stat(cb))
  let g = generationOf(await call<Uint8Array>((cb) => file.read(0, size, cb)))
  for (;;) {
    g++
    const data = crashPattern(g)
    // Same tick: one batch, one transaction.
    await Promise.all([
      call((cb) => file.truncate(data.length, cb)),
      call((cb) => file.write(0, data, cb)),
    ])
    const report: CrashReport = { committed: g }
    self.postMessage(report)
  }
}
