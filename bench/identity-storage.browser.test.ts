/// <reference types="mocha" />
/** Keeps the identity storage benchmark runnable: a tiny run must produce sane numbers. */
import { assert } from 'chai'
import { benchIdentityStorage } from './identity-storage.js'

describe('benchIdentityStorage', () => {
  it('measures append throughput and reopen time', async () => {
    const r = await benchIdentityStorage({
      appends: 16,
      rounds: 2,
      reopenBlocks: 30,
      reopenRuns: 2,
    })
    assert.equal(r.memory.appends, 16)
    assert.equal(r.rounds, 2)
    assert.isAbove(r.memory.blocksPerSecond, 0)
    assert.isAbove(r.idb.blocksPerSecond, 0)
    assert.isAbove(r.ratio, 0)
    assert.equal(r.reopen.blocks, 30)
    assert.equal(r.reopen.runs, 2)
    assert.isAtLeast(r.reopen.ms, 0)
  })
})
