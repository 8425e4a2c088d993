/// <reference types="mocha" />
// The swarm with real WebRTC (separate RTCPeerConnections in one page) and
// real bittorrent-tracker servers on 127.0.0.1.
import { expect } from '@esm-bundle/chai'
import {
  answerGate,
  randomTopic,
  sleep,
  startTracker,
  stopTrackers,
  waitFor,
} from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import type { SignalingAdapter } from '../signaling/adapter.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { generateLocalPeer, type LocalPeerInfo } from './local-peer.js'
import { DEFAULT_EXTENSIONS, Swarm, type SwarmOptions } from './swarm.js'

const swarms: Swarm[] = []

interface Made {
  swarm: Swarm
  adapter: WebTorrentTracker
  connected: string[]
  disconnected: Array<{ peerId: string; reason: string }>
  rejected: P2PError[]
}

async function swarm(
  urls: string[],
  opts: Partial<SwarmOptions> & {
    local?: LocalPeerInfo
    announceInterval?: number
    wrap?: (adapter: SignalingAdapter) => SignalingAdapter
  } = {},
): Promise<Made> {
  const adapter = new WebTorrentTracker({
    urls,
    announceInterval: opts.announceInterval ?? 2_000,
    minAnnounceGap: 200,
    backoff: { initial: 100, max: 500, jitter: 0 },
  })
  const s = new Swarm({
    local: opts.local ?? (await generateLocalPeer()),
    adapters: [opts.wrap ? opts.wrap(adapter) : adapter],
    heartbeat: { interval: 300, timeout: 1_500 },
    duplicateGrace: 500,
    reconnect: { initial: 200, max: 1_000, jitter: 0, attempts: 10 },
    ...opts,
  })
  swarms.push(s)
  const made: Made = { swarm: s, adapter, connected: [], disconnected: [], rejected: [] }
  s.on('peer-connected', ({ peer }) => made.connected.push(peer.peerId))
  s.on('peer-disconnected', ({ peer, reason }) =>
    made.disconnected.push({ peerId: peer.peerId, reason }),
  )
  s.on('rejected', ({ error }) => made.rejected.push(error))
  return made
}

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('Swarm (real WebRTC, real tracker)', () => {
  it('two instances meet on a topic and see each other verified', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t.url])
    const named = { name: 'Bea', created: 1_700_000_000_000 }
    const b = await swarm([t.url], {
      local: { ...(await generateLocalPeer()), profile: () => named },
    })
    const ma = a.swarm.join(topic)
    const mb = b.swarm.join(topic)
    await waitFor('both in the topic', () => ma.has(b.swarm.peerId) && mb.has(a.swarm.peerId))
    const bAtA = a.swarm.peer(b.swarm.peerId)
    expect(bAtA?.identityUrl).to.equal(b.swarm.local.identityUrl)
    expect(bAtA?.profile).to.deep.equal(named, 'the name B signed in its hello')
    expect(b.swarm.peer(a.swarm.peerId)?.profile).to.equal(null, 'A shares no name')
    expect(bAtA?.extensions).to.deep.equal(
      [...DEFAULT_EXTENSIONS],
      'the hello carries what it speaks',
    )
    expect(a.connected).to.deep.equal([b.swarm.peerId])
    expect(b.connected).to.deep.equal([a.swarm.peerId])
    expect(bAtA?.connections[0]?.rtc.connectionState).to.equal('connected')
  })

  it('four instances form a full mesh on one topic', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const all = await Promise.all([0, 1, 2, 3].map(() => swarm([t.url])))
    const memberships = all.map((m) => m.swarm.join(topic))
    await waitFor(
      'everyone sees the three others',
      () => memberships.every((m) => m.peers().length === 3),
      15_000,
    )
    for (const [i, m] of all.entries()) {
      const others = all.filter((_, j) => j !== i).map((o) => o.swarm.peerId)
      expect(
        memberships[i]
          ?.peers()
          .map((p) => p.peerId)
          .sort(),
      ).to.deep.equal(others.sort())
      // One connection per remote instance, whatever re-announces happened.
      await waitFor('duplicates closed', () =>
        m.swarm.peers().every((p) => p.connections.length === 1),
      )
      expect(m.disconnected).to.deep.equal([])
    }
  })

  /**
   * A and B in one topic with two connections between them: both in the
   * tracker's swarm first without offers, then both offer at the same moment,
   * and both answers land at the same instant.
   */
  async function twoConnections(opts: Partial<SwarmOptions> = {}) {
    const t = await startTracker()
    const topic = randomTopic()
    let wanted = 0
    const policy = { wanted: () => wanted, accepting: () => true }
    const simultaneous = { duplicateGrace: 1_000, wrap: answerGate(2), ...opts }
    const a = await swarm([t.url], simultaneous)
    const b = await swarm([t.url], simultaneous)
    const ma = a.swarm.join(topic, policy)
    const mb = b.swarm.join(topic, policy)
    await waitFor('both announced', async () => (await t.swarms())[topic.hex] === 2)
    wanted = 1
    ma.announce()
    mb.announce()
    const bAtA = await waitFor(
      'two connections A↔B',
      () => {
        const peer = a.swarm.peer(b.swarm.peerId)
        return peer && peer.connections.length === 2 ? peer : null
      },
      10_000,
      10,
    )
    return { a, b, ma, mb, bAtA }
  }

  it('merges simultaneous offers into one connection: the one the lower peer id initiated', async () => {
    const { a, b, ma, mb, bAtA } = await twoConnections()
    const lower = [a.swarm.peerId, b.swarm.peerId].sort()[0]
    expect(bAtA.connections.map((c) => c.initiatorPeerId).sort()).to.deep.equal(
      [a.swarm.peerId, b.swarm.peerId].sort(),
      'one initiated by each side',
    )
    const winner = bAtA.primary.key
    expect(bAtA.primary.initiatorPeerId).to.equal(lower)
    await waitFor('one left at A', () => bAtA.connections.length === 1)
    const aAtB = await waitFor('one left at B', () => {
      const peer = b.swarm.peer(a.swarm.peerId)
      return peer && peer.connections.length === 1 ? peer : null
    })
    expect(bAtA.primary.key).to.equal(winner)
    expect(aAtB.primary.key).to.equal(winner, 'both sides keep the same connection')
    expect(aAtB.primary.initiatorPeerId).to.equal(lower)
    expect(bAtA.primary.rtc.connectionState).to.equal('connected')
    // The merge is invisible: one peer-connected each, no peer-disconnected.
    expect(a.connected).to.deep.equal([b.swarm.peerId])
    expect(b.connected).to.deep.equal([a.swarm.peerId])
    expect(a.disconnected).to.deep.equal([])
    expect(b.disconnected).to.deep.equal([])
    expect(ma.has(b.swarm.peerId) && mb.has(a.swarm.peerId)).to.equal(true)
  })

  it('retiring a duplicate loses nothing either side had on its way', async () => {
    const channel = 'x-retire-test'
    const extensions = [...DEFAULT_EXTENSIONS, channel]
    const { a, b, bAtA } = await twoConnections({ duplicateGrace: 60_000, extensions })
    const aAtB = await waitFor('two connections at B', () => {
      const peer = b.swarm.peer(a.swarm.peerId)
      return peer && peer.connections.length === 2 ? peer : null
    })
    const loserAtA = bAtA.connections[1]!
    const loserAtB = aAtB.connections.find((c) => c.key === loserAtA.key)!
    const got = { a: [] as number[], b: [] as number[] }
    a.swarm.handleChannel(channel, (_p, _c, payload) =>
      got.a.push(new DataView(payload.buffer, payload.byteOffset).getUint32(0)),
    )
    b.swarm.handleChannel(channel, (_p, _c, payload) =>
      got.b.push(new DataView(payload.buffer, payload.byteOffset).getUint32(0)),
    )
    const chunk = (n: number) => {
      const bytes = new Uint8Array(32 * 1024)
      new DataView(bytes.buffer).setUint32(0, n)
      return bytes
    }
    // Each side keeps its duplicate's buffer full until the duplicate takes no more.
    const sent = { a: [] as number[], b: [] as number[] }
    const pump = (conn: typeof loserAtA, into: number[]) =>
      new Promise<void>((resolve) => {
        const tick = () => {
          if (conn.retiring || conn.state === 'closed' || into.length > 2_000) return resolve()
          while (conn.sendChannel(channel, '', chunk(into.length))) into.push(into.length)
          setTimeout(tick, 1)
        }
        tick()
      })
    const pumped = Promise.all([pump(loserAtA, sent.a), pump(loserAtB, sent.b)])
    await waitFor(
      'buffers full',
      () => loserAtA.bufferedAmount > 512 * 1024 && loserAtB.bufferedAmount > 512 * 1024,
    )
    loserAtA.retire()
    await pumped
    await waitFor(
      'the duplicate closed on both sides',
      () => bAtA.connections.length === 1 && aAtB.connections.length === 1,
    )
    expect(sent.a.length).to.be.greaterThan(16)
    expect(sent.b.length).to.be.greaterThan(16)
    expect(got.b).to.deep.equal(sent.a, 'B got all A sent on the duplicate, in order')
    expect(got.a).to.deep.equal(sent.b, 'A got all B sent on the duplicate, in order')
    expect(a.disconnected).to.deep.equal([])
    expect(b.disconnected).to.deep.equal([])
  })

  it('takes an offer from a peer it is already connected to as a join, not a new connection', async () => {
    // Both on two trackers: after meeting on one, re-announces through the
    // other reach a peer that is already connected.
    const t1 = await startTracker()
    const t2 = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t1.url, t2.url], { announceInterval: 500 })
    const b = await swarm([t1.url, t2.url], { announceInterval: 500 })
    const ma = a.swarm.join(topic)
    const mb = b.swarm.join(topic)
    await waitFor('met', () => ma.has(b.swarm.peerId) && mb.has(a.swarm.peerId))
    // Several rounds of offers through both trackers.
    await sleep(2_500)
    await waitFor('one connection each', () =>
      [a.swarm.peer(b.swarm.peerId), b.swarm.peer(a.swarm.peerId)].every(
        (p) => p?.connections.length === 1,
      ),
    )
    expect(a.connected).to.deep.equal([b.swarm.peerId])
    expect(a.disconnected).to.deep.equal([])
  })

  it('shares one connection between topics and closes it when no tag is left', async () => {
    const t = await startTracker()
    const t1 = randomTopic()
    const t2 = randomTopic()
    const a = await swarm([t.url])
    const b = await swarm([t.url])
    const a1 = a.swarm.join(t1)
    const b1 = b.swarm.join(t1)
    await waitFor('met on t1', () => a1.has(b.swarm.peerId) && b1.has(a.swarm.peerId))
    const a2 = a.swarm.join(t2)
    const b2 = b.swarm.join(t2)
    await waitFor('met on t2 too', () => a2.has(b.swarm.peerId) && b2.has(a.swarm.peerId))
    await sleep(600)
    const peer = a.swarm.peer(b.swarm.peerId)
    expect(peer?.connections).to.have.length(1)
    expect([...(peer?.tags ?? [])].sort()).to.deep.equal(
      [`topic:${t1.hex}`, `topic:${t2.hex}`].sort(),
    )
    expect(a.connected).to.have.length(1)

    // A leaves t1: B sees A leave t1 only; the connection stays for t2.
    const leftB1 = new Promise((resolve) => b1.on('peer-leave', resolve))
    a1.leave()
    await leftB1
    expect(b2.has(a.swarm.peerId)).to.equal(true)
    expect(b1.has(a.swarm.peerId)).to.equal(false)
    await sleep(300)
    expect(a.disconnected).to.deep.equal([])

    // Custom tags keep it open after the last topic (each side decides for itself,
    // so both tag it)…
    a.swarm.tag(b.swarm.peerId, 'friend')
    b.swarm.tag(a.swarm.peerId, 'friend')
    a2.leave()
    await waitFor('B sees A leave t2', () => !b2.has(a.swarm.peerId))
    await sleep(300)
    expect(a.swarm.peer(b.swarm.peerId)).to.not.equal(undefined)
    // …until one side removes its own: then both sides close.
    a.swarm.untag(b.swarm.peerId, 'friend')
    await waitFor('A disconnected', () => a.disconnected.length === 1)
    await waitFor('B disconnected', () => b.disconnected.length === 1)
    expect(a.disconnected[0]).to.deep.equal({ peerId: b.swarm.peerId, reason: 'local' })
    expect(b.disconnected[0]).to.deep.equal({ peerId: a.swarm.peerId, reason: 'bye' })
  })

  it('rejects a peer that claims someone else’s identity', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const victim = await generateLocalPeer()
    const mallory = await generateLocalPeer()
    const honest = await swarm([t.url])
    const m = honest.swarm.join(topic)
    // Mallory presents the victim's identity and peer id but signs with her own key.
    const forged: LocalPeerInfo = { ...victim, sign: mallory.sign }
    const evil = await swarm([t.url], { local: forged })
    evil.swarm.join(topic)
    await waitFor('a rejection', () => honest.rejected.length > 0, 10_000)
    expect(honest.rejected[0]?.code).to.equal('unauthenticated')
    expect(m.peers()).to.have.length(0)
    expect(honest.connected).to.deep.equal([])
  })

  it('rejects a peer whose own key is not bound to the identity URL it claims', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const victim = await generateLocalPeer()
    const mallory = await generateLocalPeer()
    const honest = await swarm([t.url])
    honest.swarm.join(topic)
    const claim: LocalPeerInfo = { ...mallory, identityUrl: victim.identityUrl }
    const evil = await swarm([t.url], { local: claim })
    evil.swarm.join(topic)
    await waitFor('a rejection', () => honest.rejected.length > 0, 10_000)
    expect(honest.rejected[0]?.code).to.equal('unauthenticated')
    expect(honest.rejected[0]?.message).to.contain(victim.identityUrl)
    expect(honest.connected).to.deep.equal([])
  })

  it('closes the connection of a peer that floods frames', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t.url])
    const b = await swarm([t.url])
    const ma = a.swarm.join(topic)
    b.swarm.join(topic)
    await waitFor('met', () => ma.has(b.swarm.peerId))
    const peer = a.swarm.peer(b.swarm.peerId)
    for (let i = 0; i < 1_500; i++) peer?.send('session-data', topic.hex, new Uint8Array([i & 255]))
    await waitFor('B rejects A', () => b.rejected.length > 0)
    expect(b.rejected[0]?.code).to.equal('rate-limited')
    await waitFor('A sees B go', () => a.disconnected.length === 1)
  })

  it('looks for a peer again with backoff when its connection drops while tagged', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const a = await swarm([t.url], { announceInterval: 60_000 })
    const b = await swarm([t.url], { announceInterval: 60_000 })
    const ma = a.swarm.join(topic)
    b.swarm.join(topic)
    await waitFor('met', () => ma.has(b.swarm.peerId))
    // Cut the transport under B, no bye: to A this is a network failure.
    b.swarm.peer(a.swarm.peerId)?.primary.rtc.close()
    await waitFor('A notices', () => a.disconnected.length === 1)
    expect(a.disconnected[0]?.reason).to.be.oneOf(['transport', 'timeout'])
    // Announces are a minute apart: only the reconnect backoff can bring B back this soon.
    await waitFor('back together', () => ma.has(b.swarm.peerId), 10_000)
    expect(a.connected).to.deep.equal([b.swarm.peerId, b.swarm.peerId])
  })
})
