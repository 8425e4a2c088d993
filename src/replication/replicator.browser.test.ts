/// <reference types="mocha" />
// Identity archives replicated over real WebRTC connections (swarms in one
// page meeting through a real tracker on 127.0.0.1), from identities kept by
// IdentityManager in real IndexedDB.
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
import { freshName } from '../identity/browser-test-helpers.js'
import { IdentityManager } from '../identity/manager.js'
import { SESSION, type Session } from '../identity/records.js'
import type { SignalingAdapter } from '../signaling/adapter.js'
import type { Topic } from '../signaling/topic.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { localPeerFromSecretKey } from '../swarm/local-peer.js'
import type { MembershipPolicy } from '../swarm/topic-membership.js'
import { Swarm } from '../swarm/swarm.js'
import { ArchiveReplicator } from './replicator.js'

interface Node {
  ids: IdentityManager
  url: string
  swarm: Swarm
  replicator: ArchiveReplicator
  /** Names seen in `profile` events, by peer id. */
  names: Map<string, string[]>
  sessions: Array<{ from: string; session: Session | null }>
  rejected: P2PError[]
  swarmRejected: P2PError[]
  errors: P2PError[]
}

const managers: IdentityManager[] = []
const swarms: Swarm[] = []
const replicators: ArchiveReplicator[] = []

afterEach(async () => {
  for (const r of replicators.splice(0)) await r.destroy()
  for (const s of swarms.splice(0)) s.destroy()
  for (const m of managers.splice(0)) await m.close().catch(() => undefined)
  await stopTrackers()
})

async function node(
  trackerUrl: string,
  name: string,
  opts: {
    /** Replicate another identity than the one the swarm's hellos are signed with. */
    replicateOther?: boolean
    wrap?: (adapter: SignalingAdapter) => SignalingAdapter
    duplicateGrace?: number
    /** The same identity as this node's, as if open in a second browser. */
    identityOf?: Node
  } = {},
): Promise<Node> {
  const ids =
    opts.identityOf?.ids ??
    (await IdentityManager.open({
      name: freshName('replication'),
      defaultName: name,
      durability: 'relaxed',
    }))
  if (!opts.identityOf) managers.push(ids)
  const url = ids.main().url
  const archive = ids.archive(url)
  const secretKey = archive.core.keyPair?.secretKey
  if (!secretKey) throw new Error('no secret key')
  const adapter = new WebTorrentTracker({
    urls: [trackerUrl],
    announceInterval: 2_000,
    minAnnounceGap: 200,
    backoff: { initial: 100, max: 500, jitter: 0 },
  })
  const swarm = new Swarm({
    local: await localPeerFromSecretKey({ secretKey }),
    adapters: [opts.wrap ? opts.wrap(adapter) : adapter],
    heartbeat: { interval: 300, timeout: 1_500 },
    duplicateGrace: opts.duplicateGrace ?? 500,
    reconnect: { initial: 200, max: 1_000, jitter: 0, attempts: 10 },
  })
  swarms.push(swarm)
  const replicated = opts.replicateOther ? ids.archive((await ids.create('Other')).url) : archive
  const replicator = new ArchiveReplicator({ swarm, archive: replicated, profileTimeout: 5_000 })
  replicators.push(replicator)
  const n: Node = {
    ids,
    url,
    swarm,
    replicator,
    names: new Map(),
    sessions: [],
    rejected: [],
    swarmRejected: [],
    errors: [],
  }
  replicator.on('profile', ({ peer, profile }) => {
    n.names.set(peer.peerId, [...(n.names.get(peer.peerId) ?? []), profile.name])
  })
  replicator.on('session', ({ peer, session }) => n.sessions.push({ from: peer.peerId, session }))
  replicator.on('rejected', ({ error }) => n.rejected.push(error))
  replicator.on('error', ({ error }) => n.errors.push(error))
  swarm.on('rejected', ({ error }) => n.swarmRejected.push(error))
  return n
}

const lastName = (at: Node, of: Node) => at.names.get(of.swarm.peerId)?.at(-1)

async function meet(a: Node, b: Node, topic: Topic = randomTopic(), policy?: MembershipPolicy) {
  const ma = a.swarm.join(topic, policy)
  const mb = b.swarm.join(topic, policy)
  await waitFor('connected', () => ma.has(b.swarm.peerId) && mb.has(a.swarm.peerId))
  return { ma, mb }
}

async function pair(names = ['Alice', 'Bob']) {
  const t = await startTracker()
  const a = await node(t.url, names[0] ?? 'A')
  const b = await node(t.url, names[1] ?? 'B')
  await meet(a, b)
  return { t, a, b }
}

describe('ArchiveReplicator (real WebRTC, tracker, IndexedDB)', () => {
  it('two peers each read the other’s profile', async () => {
    const { a, b } = await pair()
    expect((await a.replicator.profile(b.swarm.peerId)).name).to.equal('Bob')
    expect((await b.replicator.profile(a.swarm.peerId)).name).to.equal('Alice')
    expect(lastName(a, b)).to.equal('Bob')
    expect(lastName(b, a)).to.equal('Alice')
    // Over the peer's one connection, with the Noise key verified.
    const bAtA = a.swarm.peer(b.swarm.peerId)
    expect(a.replicator.connectionOf(b.swarm.peerId)).to.equal(bAtA?.primary)
    expect([...a.errors, ...b.errors, ...a.rejected, ...b.rejected]).to.deep.equal([])
  })

  it('carries a rename and session.json changes live', async () => {
    const { a, b } = await pair()
    await b.replicator.profile(a.swarm.peerId)
    await a.ids.rename(a.url, 'Alice Liddell')
    await waitFor('the rename at B', () => lastName(b, a) === 'Alice Liddell')
    expect((await b.replicator.profile(a.swarm.peerId)).name).to.equal('Alice Liddell')

    const session: Session = {
      name: 'Tea party',
      url: `${a.url}?lobby=tea`,
      last_update: Date.now(),
      peers: 2,
      max_peers: 8,
      protected: false,
    }
    await a.ids.archive(a.url).put(SESSION, session)
    await waitFor('the session at B', () => b.sessions.length === 1)
    expect(b.sessions[0]).to.deep.equal({ from: a.swarm.peerId, session })
    expect(b.replicator.session(a.swarm.peerId)).to.deep.equal(session)
    await a.ids.archive(a.url).delete(SESSION)
    await waitFor('the session deleted at B', () => b.sessions.length === 2)
    expect(b.sessions[1]?.session).to.equal(null)
    expect(lastName(b, a)).to.equal('Alice Liddell', 'the profile did not change')
    expect(b.names.get(a.swarm.peerId)).to.deep.equal(['Alice', 'Alice Liddell'])
  })

  it('does not replicate with a second browser of our own identity: two writers would fork it', async () => {
    const t = await startTracker()
    const a = await node(t.url, 'Alice')
    const again = await node(t.url, 'Alice', { identityOf: a })
    expect(again.swarm.peerId).to.not.equal(a.swarm.peerId)
    await meet(a, again)
    const length = a.ids.archive(a.url).length
    expect((await a.replicator.profile(again.swarm.peerId)).name).to.equal('Alice')
    expect(a.replicator.connectionOf(again.swarm.peerId)).to.equal(null)
    await sleep(500)
    expect(a.ids.archive(a.url).length).to.equal(length)
    expect([...a.errors, ...again.errors, ...a.rejected, ...again.rejected]).to.deep.equal([])
  })

  it('rejects a peer whose Noise key is not its identity key; its profile never appears', async () => {
    const t = await startTracker()
    const honest = await node(t.url, 'Honest')
    // Hellos signed by its identity, replication under another identity's key.
    const evil = await node(t.url, 'Mallory', { replicateOther: true })
    const topic = randomTopic()
    honest.swarm.join(topic)
    evil.swarm.join(topic)
    await waitFor('a rejection', () => honest.rejected.length > 0, 10_000)
    expect(honest.rejected[0]?.code).to.equal('unauthenticated')
    expect(honest.rejected[0]?.message).to.contain('not the identity key')
    await waitFor('the swarm closed it as rejected', () =>
      honest.swarmRejected.some((e) => e.code === 'unauthenticated'),
    )
    // It keeps coming back (its side saw a transport failure); never accepted.
    await sleep(1_500)
    expect(honest.names.size).to.equal(0)
    let code = ''
    try {
      await honest.replicator.profile(evil.swarm.peerId, { timeout: 500 })
    } catch (err) {
      code = (err as P2PError).code
    }
    expect(code).to.be.oneOf(['unauthenticated', 'not-connected', 'timeout'])
    // The honest peer's own check of Mallory's side passed: only one side rejects.
    expect(evil.rejected).to.deep.equal([])
  })

  it('keeps a peer whose archive is damaged, with its profile unavailable until repaired', async () => {
    const t = await startTracker()
    const a = await node(t.url, 'Alice')
    const b = await node(t.url, 'Bob')
    // A head block that is not a block: written under Alice's key, so it verifies.
    await a.ids.archive(a.url).core.append(new TextEncoder().encode('{"v":1,"key":'))
    await meet(a, b)
    let error: P2PError | null = null
    try {
      await b.replicator.profile(a.swarm.peerId)
    } catch (err) {
      error = err as P2PError
    }
    expect(error?.code).to.equal('protocol-error')
    expect(error?.message).to.contain('damaged')
    expect(b.errors.map((e) => e.code)).to.deep.equal(['protocol-error'])
    expect(b.names.size).to.equal(0)
    await sleep(500)
    expect(b.swarm.peer(a.swarm.peerId), 'the peer stays').to.not.equal(undefined)
    // A valid head repairs it.
    await a.ids.rename(a.url, 'Alice again')
    await waitFor('repaired', () => lastName(b, a) === 'Alice again')
    expect((await b.replicator.profile(a.swarm.peerId)).name).to.equal('Alice again')
  })

  it('survives a connection dropping mid-replication and replicates on the next one', async () => {
    const { a, b } = await pair()
    await b.replicator.profile(a.swarm.peerId)
    const first = b.replicator.connectionOf(a.swarm.peerId)
    const disconnected = new Promise((resolve) => b.swarm.on('peer-disconnected', resolve))
    // A rename in flight, and the transport cut under it (no bye).
    void a.ids.rename(a.url, 'Alice in transit')
    a.swarm.peer(b.swarm.peerId)?.primary.rtc.close()
    await disconnected
    await waitFor('back together', () => b.swarm.peer(a.swarm.peerId), 10_000)
    await waitFor('the rename at B', () => lastName(b, a) === 'Alice in transit', 10_000)
    const second = b.replicator.connectionOf(a.swarm.peerId)
    expect(second).to.not.equal(null)
    expect(second).to.not.equal(first)
    expect(first?.state).to.equal('closed')
    await a.ids.rename(a.url, 'Alice after')
    await waitFor('a rename on the new connection', () => lastName(b, a) === 'Alice after')
    await b.ids.rename(b.url, 'Bob after')
    await waitFor('and the other way', () => lastName(a, b) === 'Bob after')
    expect([...a.errors, ...b.errors, ...a.rejected, ...b.rejected]).to.deep.equal([])
  })

  it('moves to the connection that survives when duplicates merge', async () => {
    const t = await startTracker()
    const gate = answerGate(2)
    // A long grace: both connections stay up while we pull one away.
    const a = await node(t.url, 'Alice', { wrap: gate, duplicateGrace: 8_000 })
    const b = await node(t.url, 'Bob', { wrap: gate, duplicateGrace: 8_000 })
    let wanted = 0
    const policy = { wanted: () => wanted, accepting: () => true }
    const topic = randomTopic()
    const ma = a.swarm.join(topic, policy)
    const mb = b.swarm.join(topic, policy)
    await waitFor('both announced', async () => (await t.swarms())[topic.hex] === 2)
    wanted = 1
    ma.announce()
    mb.announce()
    const bAtA = await waitFor('two connections at A', () => {
      const peer = a.swarm.peer(b.swarm.peerId)
      return peer && peer.connections.length === 2 ? peer : null
    })
    await waitFor('two at B', () => b.swarm.peer(a.swarm.peerId)?.connections.length === 2)
    expect((await b.replicator.profile(a.swarm.peerId)).name).to.equal('Alice')
    // Close the one A replicates on, on purpose (a bye): the other must take over.
    const used = a.replicator.connectionOf(b.swarm.peerId)
    const other = bAtA.connections.find((c) => c !== used)
    used?.close('local', undefined, 'closing')
    await waitFor('one left at B', () => b.swarm.peer(a.swarm.peerId)?.connections.length === 1)
    await a.ids.rename(a.url, 'Alice moved')
    await waitFor('a rename over the other connection', () => lastName(b, a) === 'Alice moved')
    expect(a.replicator.connectionOf(b.swarm.peerId)).to.equal(other)
    await b.ids.rename(b.url, 'Bob moved')
    await waitFor('and back', () => lastName(a, b) === 'Bob moved')
    expect([...a.errors, ...b.errors, ...a.rejected, ...b.rejected]).to.deep.equal([])
    expect(a.swarm.peer(b.swarm.peerId)?.connections).to.deep.equal([other])
  })
})
