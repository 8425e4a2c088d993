import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FriendWire } from '../protocol/sessions.js'
import { INTENT_TTL, JoinIntents, type JoinIntent } from './join-intents.js'

const SITE = 'https://game.example'
const friend: FriendWire = {
  identity: { url: `hyper://${'a'.repeat(64)}`, name: 'Alice', created: 1 },
  online: true,
  session: {
    name: 'Game night',
    url: `hyper://${'a'.repeat(64)}?lobby=Game+night&origin=https%3A%2F%2Fgame.example`,
    lastUpdate: 1,
    peers: 1,
    maxPeers: 2,
    protected: true,
  },
}

function book(): { intents: JoinIntents; clock: { now: number }; stored: () => JoinIntent[] } {
  let saved: JoinIntent[] = []
  const clock = { now: 1_000 }
  const intents = new JoinIntents(
    {
      load: async () => structuredClone(saved),
      save: async (all) => void (saved = structuredClone(all)),
    },
    () => clock.now,
  )
  return { intents, clock, stored: () => saved }
}

describe('JoinIntents', () => {
  it('gives the intent once, to the tab the popup opened, on the session’s site', async () => {
    const { intents, stored } = book()
    await intents.put(7, SITE, friend)
    assert.equal(await intents.take(8, SITE), null, 'another tab')
    assert.equal(await intents.take(7, 'https://evil.example'), null, 'another site in that tab')
    assert.deepEqual(await intents.take(7, SITE), friend)
    assert.equal(await intents.take(7, SITE), null, 'taken once')
    assert.deepEqual(stored(), [])
  })

  it('forgets an intent nobody took in time', async () => {
    const { intents, clock, stored } = book()
    await intents.put(7, SITE, friend)
    clock.now += INTENT_TTL
    assert.equal(await intents.take(7, SITE), null)
    assert.deepEqual(stored(), [])
  })

  it('keeps one intent per tab: the newest', async () => {
    const { intents } = book()
    await intents.put(7, SITE, friend)
    const other = { ...friend, identity: { ...friend.identity, name: 'Bea' } }
    await intents.put(7, SITE, other)
    assert.equal((await intents.take(7, SITE))?.identity.name, 'Bea')
    assert.equal(await intents.take(7, SITE), null)
  })

  it('gives the intent once even to two takes at the same moment (the store is async)', async () => {
    const { intents } = book()
    await intents.put(7, SITE, friend)
    const both = await Promise.all([intents.take(7, SITE), intents.take(7, SITE)])
    assert.equal(both.filter((f) => f !== null).length, 1)
  })

  it('keeps both of two intents put at the same moment', async () => {
    const { intents } = book()
    await Promise.all([intents.put(7, SITE, friend), intents.put(8, SITE, friend)])
    assert.deepEqual(await intents.take(8, SITE), friend)
    assert.deepEqual(await intents.take(7, SITE), friend)
  })
})
