// SessionPublisher: session.json written on start, rewritten on each
// heartbeat and when the peer count changes, deleted on stop (and nothing
// written after), over an in-memory archive and a fake clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ArchiveKey, Session } from '../identity/records.js'
import { fakeClock } from '../testing/fake-clock.js'
import { SessionPublisher } from './publisher.js'

const URL = `hyper://${'ab'.repeat(32)}?lobby=Game+night&origin=https%3A%2F%2Fgame.example`

/** An archive's put/delete of session.json, recording every write. */
function memoryArchive() {
  const writes: Array<Session | 'deleted'> = []
  return {
    writes,
    current: () => writes.at(-1),
    put: async <K extends ArchiveKey>(_key: K, value: unknown) => {
      writes.push(value as Session)
      return value as never
    },
    delete: async () => void writes.push('deleted'),
  }
}

const flush = () => new Promise((r) => setImmediate(r))

describe('SessionPublisher', () => {
  it('writes on start, beats every interval, counts peers, deletes on stop', async () => {
    const clock = fakeClock(1_000)
    const archive = memoryArchive()
    const publisher = new SessionPublisher({
      archive,
      session: { name: 'Game night', url: URL, max_peers: 4, protected: true },
      interval: 2_000,
      now: () => clock.now(),
      clock,
    })
    const first = await publisher.start()
    assert.deepEqual(first, {
      name: 'Game night',
      url: URL,
      max_peers: 4,
      protected: true,
      peers: 1,
      last_update: 1_000,
      heartbeat_ms: 2_000,
    })
    clock.advance(2_000)
    await flush()
    assert.equal((archive.current() as Session).last_update, 3_000, 'the heartbeat rewrote it')

    publisher.setPeers(3)
    await flush()
    assert.equal((archive.current() as Session).peers, 3)
    const writes = archive.writes.length
    publisher.setPeers(3)
    await flush()
    assert.equal(archive.writes.length, writes, 'the same count is not written again')
    publisher.setPeers(99)
    await flush()
    assert.equal((archive.current() as Session).peers, 4, 'never more than max_peers')

    await publisher.stop()
    assert.equal(archive.current(), 'deleted')
    const afterStop = archive.writes.length
    clock.advance(10_000)
    publisher.setPeers(2)
    await flush()
    assert.equal(archive.writes.length, afterStop, 'nothing written after stop')
    assert.equal(clock.timers(), 0, 'no heartbeat left')
  })

  it('a stop before the first write finished leaves no heartbeat', async () => {
    const clock = fakeClock()
    const archive = memoryArchive()
    const publisher = new SessionPublisher({
      archive,
      session: { name: 'x', url: URL, max_peers: 2, protected: false },
      clock,
    })
    const started = publisher.start()
    await publisher.stop()
    await started
    assert.equal(clock.timers(), 0)
  })
})
