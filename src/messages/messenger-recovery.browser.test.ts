/// <reference types="mocha" />
// Lobby messages across a connection that goes quiet and is taken over by a
// fresh one (the peer stays in the lobby): real WebRTC between two swarms in
// one page, a real tracker on 127.0.0.1. What the dead channel took is sent
// again on the new connection; the receiver gets every message once, in order.
import { expect } from '@esm-bundle/chai'
import {
  cuttableChannels,
  startTracker,
  stopTrackers,
  testSwarm,
  waitFor,
} from '../../test/browser/helpers.js'
import { Lobby } from '../lobby/lobby.js'
import type { Swarm } from '../swarm/swarm.js'
import { LobbyMessenger } from './messenger.js'

const channels = cuttableChannels()
const swarms: Swarm[] = []
const messengers: LobbyMessenger[] = []

async function member(url: string, name: string) {
  const swarm = await testSwarm([url], {
    announceInterval: 1_000,
    relay: true,
    // A 1.5 s timeout and 4 s grace: time for a fresh connection, no peer-leave.
    heartbeat: { interval: 300, timeout: 1_500, pathGrace: 4_000 },
    recovery: { firstRestart: 1e9, freshAfter: 300 },
  })
  swarms.push(swarm)
  const lobby = await Lobby.join({ swarm, origin: 'https://a.example', name })
  const messenger = new LobbyMessenger(lobby)
  messengers.push(messenger)
  const got: string[] = []
  messenger.on('message', ({ value }) => got.push(new TextDecoder().decode(value)))
  const leaves: string[] = []
  lobby.on('peer-leave', ({ peer }) => leaves.push(peer.peerId))
  return { swarm, lobby, messenger, got, leaves }
}

const say = (m: LobbyMessenger, to: string, from: number, until: number) => {
  for (let i = from; i < until; i++) void m.send([to], new TextEncoder().encode(`m${i}`))
}
const numbered = (n: number) => [...Array(n).keys()].map((i) => `m${i}`)

afterEach(async () => {
  for (const m of messengers.splice(0)) m.close()
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('LobbyMessenger across a fresh connection (real WebRTC)', () => {
  it('messages the dead connection took arrive over the new one, once, in order', async () => {
    const t = await startTracker()
    const name = `messages-recovery-${Math.random().toString(36).slice(2)}`
    const a = await member(t.url, name)
    const b = await member(t.url, name)
    await waitFor('a has b', () => a.messenger.connected(b.swarm.peerId))
    await waitFor('b has a', () => b.messenger.connected(a.swarm.peerId))
    const to = b.swarm.peerId
    const old = a.swarm.peer(to)?.primary
    say(a.messenger, to, 0, 20)
    await waitFor('the first 20', () => b.got.length === 20)

    const cut = channels.cut()
    try {
      // Taken by the channel, lost on the way.
      say(a.messenger, to, 20, 40)
      await waitFor(
        'a fresh connection',
        () => {
          const now = a.swarm.peer(to)?.primary
          return !!now && now !== old && now.state === 'ready'
        },
        10_000,
      )
      say(a.messenger, to, 40, 50)
      await waitFor('all 50', () => b.got.length >= 50, 10_000)
    } finally {
      cut.restore()
    }
    expect(b.got).to.deep.equal(numbered(50))
    expect(a.leaves.concat(b.leaves), 'no peer-leave').to.deep.equal([])
  })
})
