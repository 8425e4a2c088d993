/// <reference types="mocha" />
/** Keeps the identity storage benchmark runnable: a tiny run must produce sane numbers. */
import { assert } from 'chai'
import { benchIdentityStorage } from './identity-storage.js'

describe('benchIdentityStorage', () => {
  it('measures append throughput and reopen time', async () => {
    const r = await benchIdentityStorage({ appends: 20, rounds: 2, reopenBlocks: 30 })
    assert.equal(r.memory.appends, 20)
    assert.isAbove(r.memory.blocksPerSecond, 0)
    assert.isAbove(r.idb.blocksPerSecond, 0)
    assert.isAbove(r.ratio, 0)
    assert.equal(r.reopen.blocks, 30)
    assert.isAtLeast(r.reopen.ms, 0)
  })
})
