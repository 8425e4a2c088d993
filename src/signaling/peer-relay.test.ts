// The relay's logic over an in-memory network of fake meshes: who dials whom,
// routing, the hop limit, de-duplication, and what a tampering relay gets.
// WebRTC is replaced by "linking" two nodes when an answer arrives.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { P2PError } from '../errors.js'
import { generateLocalPeer, type LocalPeerInfo } from '../swarm/local-peer.js'
import type { RemoteOffer, TopicHandlers, TopicMesh } from './adapter.js'
import { PeerRelay } from './peer-relay.js'
import type { RelayGuardOptions } from './relay-guard.js'
import { decodeRelay, encodeRelay, signEnvelope } from './relay-envelope.js'
import { topicFromHex } from './topic.js'

const topic = topicFromHex('12'.repeat(20))
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms))

type Tamper = (from: string, to: string, payload: Uint8Array) => Uint8Array | null

class Net {
  readonly nodes = new Map<string, Node>()
  tamper: Tamper | null = null

  async add(guard?: RelayGuardOptions): Promise<Node> {
    const node = new Node(this, await generateLocalPeer(), guard)
    this.nodes.set(node.id, node)
    return node
  }

  link(a: string, b: string): void {
    const na = this.nodes.get(a)!
    const nb = this.nodes.get(b)!
    if (na.neighbours.has(b)) return
    na.neighbours.add(b)
    nb.neighbours.add(a)
    queueMicrotask(() => {
      na.peerListeners.forEach((l) => l(b, true))
      nb.peerListeners.forEach((l) => l(a, true))
    })
  }

  deliver(from: string, to: string, payload: Uint8Array): boolean {
    if (!this.nodes.get(from)?.neighbours.has(to)) return false
    const out = this.tamper ? this.tamper(from, to, payload) : payload
    if (out) setTimeout(() => this.nodes.get(to)!.msgListeners.forEach((l) => l(from, out)), 1)
    return true
  }

  /** Every pair linked? */
  full(): boolean {
    return [...this.nodes.values()].every((n) => n.neighbours.size === this.nodes.size - 1)
  }
}

class Node {
  readonly id: string
  readonly relay: PeerRelay
  readonly neighbours = new Set<string>()
  readonly msgListeners: Array<(from: string, payload: Uint8Array) => void> = []
  readonly peerListeners: Array<(peerId: string, joined: boolean) => void> = []
  readonly offers: RemoteOffer[] = []
  readonly errors: P2PError[] = []
  /** Peers that refused our offers as full. */
  readonly refusedBy: string[] = []
  /** The topic takes nobody new (a full lobby). */
  full = false
  /** offer id → who we offered to (filled on answer). */
  readonly dialled: string[] = []
  #offerSeq = 0

  constructor(
    readonly net: Net,
    readonly local: LocalPeerInfo,
    guard?: RelayGuardOptions,
  ) {
    this.id = local.peerId
    this.relay = new PeerRelay({
      local,
      membersDelay: 0,
      fallbackDelay: 200,
      dialTimeout: 500,
      ...(guard ? { guard } : {}),
    })
    this.relay.init(this.id)
  }

  subscribe(wanted = 5): void {
    const mesh: TopicMesh = {
      peers: () => [...this.neighbours],
      send: (to, payload) => this.net.deliver(this.id, to, payload),
      onMessage: (l) => {
        this.msgListeners.push(l)
        return () => undefined
      },
      onPeer: (l) => {
        this.peerListeners.push(l)
        return () => undefined
      },
      reach: () => false,
    }
    const handlers: TopicHandlers = {
      offersWanted: () => (this.full ? 0 : wanted),
      createOffers: async () => [
        { offerId: (++this.#offerSeq).toString(16).padStart(40, '0'), sdp: `offer ${this.id}` },
      ],
      onOffer: async (offer) => {
        this.offers.push(offer)
        return `answer ${this.id}`
      },
      onAnswer: (answer) => {
        this.dialled.push(answer.peerId)
        this.net.link(this.id, answer.peerId)
      },
      onError: (error) => this.errors.push(error),
      full: () => this.full,
      onRefused: (refusal) => this.refusedBy.push(refusal.peerId),
      mesh,
    }
    this.relay.subscribe(topic, handlers)
  }
}

async function until(what: string, check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await tick(5)
  }
}

test('a peer reaches a neighbour of its neighbour through it; the lower id dials', async () => {
  const net = new Net()
  const [a, b, c] = [await net.add(), await net.add(), await net.add()]
  for (const n of [a, b, c]) n.subscribe()
  net.link(a.id, b.id)
  net.link(b.id, c.id)
  await until('a and c linked', () => a.neighbours.has(c.id))
  const [low, high] = a.id < c.id ? [a, c] : [c, a]
  assert.deepEqual(low.dialled, [high.id])
  assert.equal(high.offers.length, 1)
  assert.equal(high.offers[0]?.peerId, low.id)
  assert.equal(high.offers[0]?.via, `relay:${b.id}`)
  assert.equal(high.dialled.length, 0, 'the higher id did not dial as well')
})

test('eight peers in a chain end up fully meshed, each pair dialled once', async () => {
  const net = new Net()
  const nodes: Node[] = []
  for (let i = 0; i < 8; i++) nodes.push(await net.add())
  for (const n of nodes) n.subscribe()
  for (let i = 1; i < nodes.length; i++) net.link(nodes[i - 1]!.id, nodes[i]!.id)
  await until('full mesh', () => net.full(), 5_000)
  const pairs = nodes.flatMap((n) => n.dialled.map((to) => [n.id, to].sort().join()))
  assert.equal(new Set(pairs).size, pairs.length, 'no pair dialled twice')
  assert.equal(pairs.length, 28 - 7)
})

test('a relay that alters an offer gets it dropped, not answered', async () => {
  const net = new Net()
  const [a, b, c] = [await net.add(), await net.add(), await net.add()]
  for (const n of [a, b, c]) n.subscribe()
  net.tamper = (from, _to, payload) => {
    if (from !== b.id) return payload
    const msg = decodeRelay(payload)
    if (msg?.t !== 'signal') return payload
    return encodeRelay({ ...msg, env: { ...msg.env, sdp: msg.env.sdp + ' evil' } })
  }
  net.link(a.id, b.id)
  net.link(b.id, c.id)
  await until('the target refused it', () => [a, c].some((n) => n.errors.length > 0))
  await tick(300)
  assert.equal(a.neighbours.has(c.id), false)
  assert.equal(a.offers.length + c.offers.length, 0)
  const error = [...a.errors, ...c.errors][0]
  assert.equal(error?.code, 'unauthenticated')
})

test('the hop limit: a relay passes an envelope on only while hops are left', async () => {
  const net = new Net()
  // a — b — c — d; b, c and d relay but dial nobody themselves.
  const [a, b, c, d] = [await net.add(), await net.add(), await net.add(), await net.add()]
  for (const n of [b, c, d]) n.subscribe(0)
  net.link(a.id, b.id)
  net.link(b.id, c.id)
  net.link(c.id, d.id)
  await tick(50) // b hears from c that c is in the topic with d
  const send = async (hops: number, offerId: string) => {
    const env = await signEnvelope(a.local, {
      kind: 'offer',
      topic: topic.hex,
      to: d.id,
      offerId,
      sdp: 'offer',
    })
    net.deliver(a.id, b.id, encodeRelay({ t: 'signal', hops, env }))
  }
  await send(1, '01'.repeat(20))
  await tick(100)
  assert.equal(d.offers.length, 0, 'one hop is not enough for two relays')
  await send(2, '02'.repeat(20))
  await until('d got the offer', () => d.offers.length === 1)
  assert.equal(d.offers[0]?.offerId, '02'.repeat(20))
  assert.equal(d.offers[0]?.via, `relay:${c.id}`)
})

test('the same envelope twice (two routes) is delivered once', async () => {
  const net = new Net()
  const [a, b] = [await net.add(), await net.add()]
  b.subscribe()
  net.link(a.id, b.id)
  const env = await signEnvelope(a.local, {
    kind: 'offer',
    topic: topic.hex,
    to: b.id,
    offerId: '03'.repeat(20),
    sdp: 'offer',
  })
  const payload = encodeRelay({ t: 'signal', hops: 3, env })
  net.deliver(a.id, b.id, payload)
  net.deliver(a.id, b.id, payload)
  await tick(100)
  assert.equal(b.offers.length, 1)
})

test('a full peer refuses a relayed offer: the dialer hears it and stops dialling it', async () => {
  const net = new Net()
  const [a, b, c] = [await net.add(), await net.add(), await net.add()]
  for (const n of [a, b, c]) n.subscribe()
  const [low, high] = a.id < c.id ? [a, c] : [c, a]
  high.full = true
  net.link(a.id, b.id)
  net.link(b.id, c.id)
  await until('the refusal', () => low.refusedBy.length > 0)
  assert.deepEqual(low.refusedBy, [high.id])
  assert.equal(high.offers.length, 0, 'the full peer answered nothing')
  await tick(700) // past the dial timeout: no second offer to a full peer
  assert.deepEqual(low.refusedBy, [high.id])
  assert.equal(low.neighbours.has(high.id), false)
  assert.deepEqual([...low.errors, ...high.errors], [])
})

/** `count` offers signed by `from` to `to`, each its own envelope. */
async function offers(from: Node, to: Node, count: number, first = 0x10): Promise<Uint8Array[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const env = await signEnvelope(from.local, {
        kind: 'offer',
        topic: topic.hex,
        to: to.id,
        offerId: (first + i).toString(16).padStart(40, '0'),
        sdp: 'offer',
      })
      return encodeRelay({ t: 'signal', hops: 3, env })
    }),
  )
}

test('a neighbour over its rate is not heard: the rest of its burst is dropped', async () => {
  const net = new Net()
  const a = await net.add()
  const b = await net.add({ perNeighbour: { burst: 2, perSecond: 0.001 } })
  b.subscribe(0)
  net.link(a.id, b.id)
  for (const payload of await offers(a, b, 5)) net.deliver(a.id, b.id, payload)
  await tick(150)
  assert.equal(b.offers.length, 2)
})

test('a sender over its rate is not delivered, whichever neighbours carry it', async () => {
  const net = new Net()
  // a reaches c through b1 and b2; c lets a sender have 3 envelopes.
  const [a, b1, b2] = [await net.add(), await net.add(), await net.add()]
  const c = await net.add({ perSender: { burst: 3, perSecond: 0.001 } })
  c.subscribe(0)
  net.link(a.id, b1.id)
  net.link(a.id, b2.id)
  net.link(b1.id, c.id)
  net.link(b2.id, c.id)
  const sent = await offers(a, c, 6)
  sent.forEach((payload, i) => net.deliver(i % 2 ? b1.id : b2.id, c.id, payload))
  await tick(150)
  assert.equal(c.offers.length, 3)
  assert.ok(c.offers.every((o) => o.peerId === a.id))
})

test('an envelope replayed later, within its window, is not delivered again', async () => {
  const net = new Net()
  const [a, b] = [await net.add(), await net.add()]
  b.subscribe(0)
  net.link(a.id, b.id)
  const [payload] = await offers(a, b, 1)
  net.deliver(a.id, b.id, payload!)
  await until('delivered once', () => b.offers.length === 1)
  // Plenty of other traffic since (the old cache forgot after 4,096 envelopes).
  for (const other of await offers(a, b, 20, 0x100)) net.deliver(a.id, b.id, other)
  await until('the others delivered', () => b.offers.length === 21)
  net.deliver(a.id, b.id, payload!)
  await tick(100)
  assert.equal(b.offers.length, 21)
})
