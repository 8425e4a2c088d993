/// <reference types="mocha" />
// Lobby messages across a connection that goes quiet and is taken over by a
// fresh one (the peer stays in the lobby): real WebRTC between two swarms in
// one page, a real tracker on 127.0.0.1. What the dead channel took is sent
// again on the new connection, also when the sender sends nothing more; the
// receiver gets every message once, in order.
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

/**
 * Two members of a fresh lobby, connected both ways (`to` is b's peer id),
 * once a's first `n` messages reached b; `old` is the connection they took.
 */
async function pair(label: string, n: number) {
  const t = await startTracker()
  const name = `${label}-${Math.random().toString(36).slice(2)}`
  const a = await member(t.url, name)
  const b = await member(t.url, name)
  await waitFor('a has b', () => a.messenger.connected(b.swarm.peerId))
  await waitFor('b has a', () => b.messenger.connected(a.swarm.peerId))
  const to = b.swarm.peerId
  const old = a.swarm.peer(to)?.primary
  say(a.messenger, to, 0, n)
  await waitFor(`the first ${n}`, () => b.got.length === n)
  return { a, b, to, old }
}

/** Runs `step` with the channels open now cut (fresh ones work), then restores them. */
async function whileCut(step: () => Promise<void>) {
  const cut = channels.cut()
  try {
    await step()
  } finally {
    cut.restore()
  }
}

afterEach(async () => {
  for (const m of messengers.splice(0)) m.close()
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('LobbyMessenger across a fresh connection (real WebRTC)', () => {
  it('messages the dead connection took arrive over the new one, once, in order', async () => {
    const { a, b, to, old } = await pair('messages-recovery', 20)

    await whileCut(async () => {
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
    })
    expect(b.got).to.deep.equal(numbered(50))
    expect(a.leaves.concat(b.leaves), 'no peer-leave').to.deep.equal([])
  })

  it('a sender that goes quiet after the cut still resends what the dead connection took', async () => {
    const { a, b, to, old } = await pair('messages-quiet', 10)

    await whileCut(async () => {
      // Taken by the channel, lost on the way; then a sends nothing more.
      say(a.messenger, to, 10, 30)
      await waitFor('all 30 with nothing sent after the cut', () => b.got.length >= 30, 12_000)
    })
    expect(b.got).to.deep.equal(numbered(30))
    expect(a.swarm.peer(to)?.primary, 'they came over a fresh connection').not.to.equal(old)
    expect(a.leaves.concat(b.leaves), 'no peer-leave').to.deep.equal([])
  })
})
