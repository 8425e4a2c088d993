/// <reference types="mocha" />
// The swarm's offer pool with real WebRTC and a real bittorrent-tracker on
// 127.0.0.1: offers made before a topic is joined carry its first announce.
import { expect } from '@esm-bundle/chai'
import {
  randomTopic,
  sleep,
  startTracker,
  stopTrackers,
  testSwarm,
  waitFor,
  type TestSwarmOptions,
  type TestTracker,
} from '../../test/browser/helpers.js'
import type { Topic } from '../signaling/topic.js'
import { NO_TOPIC, type Connection } from './connection.js'
import type { Swarm } from './swarm.js'

const swarms: Swarm[] = []

async function swarm(urls: string[], opts: TestSwarmOptions = {}): Promise<Swarm> {
  const s = await testSwarm(urls, opts)
  swarms.push(s)
  return s
}

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

/** The pool's entries once it holds `n`, with their offers gathered. */
async function gathered(s: Swarm, n: number): Promise<Connection[]> {
  await waitFor(`${n} pooled offers`, () => s.pooled.length === n)
  const conns = [...s.pooled]
  await Promise.all(conns.map((c) => c.offer()))
  return conns
}

/** `b` joins and is on the tracker first, so the offers of `a`'s first announce are the ones used. */
async function bThenA(t: TestTracker, topic: Topic, b: Swarm, a: Swarm): Promise<void> {
  b.join(topic)
  await waitFor('b on the tracker', async () => (await t.swarms())[topic.hex] === 1)
  a.join(topic)
}

describe('Offer pool (real WebRTC, real tracker)', () => {
  it('a topic’s first announce carries offers made before the join, and the pool refills', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t.url], { offerPool: 5 })
    const b = await swarm([t.url])
    const pooled = await gathered(a, 5)
    expect(pooled.every((c) => c.topic === NO_TOPIC)).to.equal(true, 'topic-free until handed out')
    await bThenA(t, topic, b, a)
    // The join's announce took them at once (before any await): bound to the topic now.
    expect(a.pooled).to.have.length(0)
    expect(pooled.every((c) => c.topic.hex === topic.hex && c.path === 'tracker')).to.equal(true)
    await waitFor('connected', () => a.peer(b.peerId) && b.peer(a.peerId))
    const conn = a.peer(b.peerId)?.primary
    expect(pooled).to.include(conn, 'the connection is one of the pooled offers')
    expect(conn?.topic.hex).to.equal(topic.hex)
    // Replacements, made after the handed-out ones connected.
    const refilled = await gathered(a, 5)
    expect(refilled.some((c) => pooled.includes(c))).to.equal(false)
    // The four unanswered ones still expire with the offer TTL, not with the pool.
    expect(pooled.filter((c) => c !== conn).every((c) => c.state === 'signaling')).to.equal(true)
  })

  it('an expired pooled offer is closed, replaced, and never handed out', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t.url], { offerPool: 2, offerPoolTtl: 2_500 })
    const b = await swarm([t.url])
    const first = await gathered(a, 2)
    const rtcs = first.map((c) => c.rtc)
    await waitFor('the first offers expired', () => first.every((c) => c.state === 'closed'))
    expect(rtcs.every((pc) => pc.signalingState === 'closed')).to.equal(
      true,
      'their RTCPeerConnections are closed',
    )
    const second = await gathered(a, 2)
    expect(second.some((c) => first.includes(c))).to.equal(false, 'replaced by new ones')
    await bThenA(t, topic, b, a)
    expect(second.every((c) => c.topic.hex === topic.hex)).to.equal(true, 'the fresh ones went out')
    expect(first.every((c) => c.topic === NO_TOPIC)).to.equal(true, 'the expired ones did not')
    await waitFor('connected', () => a.peer(b.peerId) && b.peer(a.peerId))
    expect(second).to.include(a.peer(b.peerId)?.primary)
  })

  it('destroying the swarm closes its pooled offers and makes no more', async () => {
    const t = await startTracker()
    const a = await swarm([t.url], { offerPool: 3 })
    const pooled = await gathered(a, 3)
    const rtcs = pooled.map((c) => c.rtc)
    a.destroy()
    expect(pooled.every((c) => c.state === 'closed')).to.equal(true)
    // simple-peer closes the RTCPeerConnection a tick later.
    await waitFor('closed RTCPeerConnections', () =>
      rtcs.every((pc) => pc.signalingState === 'closed'),
    )
    await sleep(500)
    expect(a.pooled).to.have.length(0)
  })
})
