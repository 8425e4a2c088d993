// The engine's swarms (extension/engine/swarms.ts SwarmPool): one per
// identity while lobbies use it, kept a while after the last one for the next
// (its tracker sockets and pooled offers stay warm), then destroyed.
import assert from 'node:assert/strict'
import { mock, test } from 'node:test'
import { SwarmPool, type Peering } from '../../extension/engine/swarms.js'
import type { Swarm } from '../../src/swarm/swarm.js'

function setup(idleMs?: number) {
  mock.timers.enable({ apis: ['setTimeout'] })
  const made: Array<{ destroyed: boolean }> = []
  const pool = new SwarmPool(
    async () => {
      const fake = { destroyed: false }
      made.push(fake)
      const swarm = { destroy: () => void (fake.destroyed = true) } as unknown as Swarm
      return { swarm, replicator: null } satisfies Peering
    },
    idleMs === undefined ? {} : { idleMs },
  )
  return { pool, made }
}

test('a released swarm outlives its last lobby by idleMs, then is destroyed', async (t) => {
  t.after(() => mock.timers.reset())
  const { pool, made } = setup(30_000)
  const lease = await pool.lease('hyper://a', ['ws://t'])
  lease.release()
  mock.timers.tick(29_999)
  assert.equal(made[0]?.destroyed, false, 'kept for the next lobby')
  mock.timers.tick(1)
  assert.equal(made[0]?.destroyed, true)
  await pool.lease('hyper://a', ['ws://t'])
  assert.equal(made.length, 2, 'a new one after it was destroyed')
})

test('a lease within idleMs takes the same swarm, and keeps it', async (t) => {
  t.after(() => mock.timers.reset())
  const { pool, made } = setup(30_000)
  const first = await pool.lease('hyper://a', ['ws://t'])
  first.release()
  mock.timers.tick(10_000)
  const second = await pool.lease('hyper://a', ['ws://t'])
  assert.equal(second.swarm, first.swarm)
  assert.equal(made.length, 1)
  mock.timers.tick(60_000)
  assert.equal(made[0]?.destroyed, false, 'in use again: the idle timer was stopped')
  second.release()
  mock.timers.tick(30_000)
  assert.equal(made[0]?.destroyed, true)
})
