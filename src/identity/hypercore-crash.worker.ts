/**
 * Test worker (see hypercore-idb.browser.test.ts): appends to a hypercore on
 * the IndexedDB store, one block at a time, reporting every acknowledged
 * length, until the test kills it.
 */
import Hypercore from 'hypercore'
import { CRASH_CORE, crashBlock, type CrashReport } from './idb-crash.fixture.js'
import { idbStorage } from './idb-storage.js'
import { IdbStore } from './idb-store.js'

self.onmessage = async (e: MessageEvent<{ name: string }>) => {
  const store = await IdbStore.open(e.data.name)
  const core = new Hypercore(idbStorage(store, CRASH_CORE))
  await core.ready()
  for (;;) {
    const { length } = await core.append(crashBlock(core.length))
    const report: CrashReport = { committed: length }
    self.postMessage(report)
  }
}
