import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { P2PError } from '../errors.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { fakeClock } from '../testing/fake-clock.js'
import { LobbyPresence } from './presence.js'
import {
  decodePresence,
  encodePresence,
  presenceData,
  type PresenceRecord,
} from './presence-record.js'

const TOPIC = 'ab'.repeat(20)
const text = (s: string) => new TextEncoder().encode(s)

interface Node {
  name: string
  peerId: string
  presence: LobbyPresence
  /** Latest record of each other member, as this node heard it. */
  seen: Map<string, PresenceRecord>
  errors: P2PError[]
  links: Set<string>
}

/**
 * Members joined in a chain by in-memory links (a → b → c → d): only
 * neighbours are connected, so whatever reaches the ends came through the middle.
 * `tamper` may rewrite what one node forwards.
 */
async function chain(names: string[], tamper?: (from: string, payload: Uint8Array) => Uint8Array) {
  const nodes = new Map<string, Node>()
  const byPeer = new Map<string, Node>()
  for (const name of names) {
    const local = await generateLocalPeer()
    const node: Node = {
      name,
      peerId: local.peerId,
      seen: new Map(),
      errors: [],
      links: new Set(),
      presence: new LobbyPresence({
        local,
        topic: TOPIC,
        refresh: 400,
        minInterval: 50,
        // Records come faster here than the default rate of an author allows.
        book: { perAuthor: { burst: 8, perSecond: 10 } },
        link: {
          neighbours: () => [...node.links],
          // Like a lobby's membership: nothing goes to a peer no longer linked.
          send: (peerId, payload) => {
            if (!node.links.has(peerId)) return false
            const out = tamper ? tamper(name, payload) : payload
            setTimeout(() => byPeer.get(peerId)?.presence.receive(local.peerId, out), 1)
            return true
          },
        },
      }),
    }
    node.presence.on('record', ({ rec }) => node.seen.set(rec.from, rec))
    node.presence.on('error', ({ error }) => node.errors.push(error))
    nodes.set(name, node)
    byPeer.set(local.peerId, node)
  }
  const list = [...nodes.values()]
  list.forEach((node, i) => {
    const next = list[i + 1]
    if (next) {
      node.links.add(next.peerId)
      next.links.add(node.peerId)
    }
  })
  for (const node of list) node.presence.start()
  return list
}

async function until(what: string, check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const dataOf = (rec: PresenceRecord | undefined) =>
  rec ? new TextDecoder().decode(presenceData(rec) ?? new Uint8Array()) : null

test('presence crosses a chain both ways, with session-data and its changes', async () => {
  const [a, b, c, d] = (await chain(['a', 'b', 'c', 'd'])) as [Node, Node, Node, Node]
  try {
    a.presence.setData(text('at the door'))
    d.presence.setProfile({ name: 'Dee', created: 5 })
    await until('a and d see each other', () => a.seen.has(d.peerId) && d.seen.has(a.peerId))
    await until('d sees a’s data', () => dataOf(d.seen.get(a.peerId)) === 'at the door')
    assert.equal(a.seen.get(d.peerId)?.profile?.name, 'Dee')
    a.presence.setData(text('inside'))
    await until('the change reaches d', () => dataOf(d.seen.get(a.peerId)) === 'inside')
    // Records are refreshed, so they stay live past their first ttl.
    await new Promise((r) => setTimeout(r, 1_400))
    assert.ok(d.presence.get(a.peerId), 'a is still live at d')
    assert.deepEqual([...a.errors, ...b.errors, ...c.errors, ...d.errors], [])
    // Leaving: d hears a is gone at once.
    a.presence.close()
    await until('a’s gone record reaches d', () => d.seen.get(a.peerId)?.gone === true)
    assert.equal(d.presence.get(a.peerId), undefined)
  } finally {
    for (const n of [a, b, c, d]) n.presence.close()
  }
})

test('a goodbye goes out before close() returns: the lobby leaves its links right after', async () => {
  const [a, b, c] = (await chain(['a', 'b', 'c'])) as [Node, Node, Node]
  try {
    await until('c sees a', () => c.seen.has(a.peerId))
    // As Lobby.leave() does: close, then leave the topic (the links go at once).
    a.presence.close()
    a.links.clear()
    await until('a’s gone record reaches c', () => c.seen.get(a.peerId)?.gone === true, 1_000)
    assert.equal(c.presence.get(a.peerId), undefined)
  } finally {
    for (const n of [b, c]) n.presence.close()
  }
})

test('a record not refreshed expires', async () => {
  const [a, b] = (await chain(['a', 'b'])) as [Node, Node]
  const expired: string[] = []
  b.presence.on('expired', ({ peerId }) => expired.push(peerId))
  try {
    await until('b sees a', () => b.seen.has(a.peerId))
    // a goes quiet without a goodbye (its tab crashed): links stay, nothing is sent.
    a.links.clear()
    a.presence.close()
    await until('a expires at b', () => expired.includes(a.peerId), 3_000)
    assert.equal(b.presence.get(a.peerId), undefined)
  } finally {
    b.presence.close()
  }
})

test('a forwarder that alters records is caught; the next honest one is not harmed', async () => {
  // b rewrites every record it passes on (not its own) to claim other session-data.
  const nodes = await chain(['a', 'b', 'c'], (from, payload) => {
    if (from !== 'b') return payload
    const msg = decodePresence(payload)
    if (!msg || msg.rec.from === bPeer) return payload
    return encodePresence({ ...msg, rec: { ...msg.rec, data: btoa('forged') } })
  })
  const [a, b, c] = nodes as [Node, Node, Node]
  const bPeer = b.peerId
  try {
    a.presence.setData(text('true'))
    await until('c rejects a’s altered record', () =>
      c.errors.some((e) => e.code === 'unauthenticated'),
    )
    assert.equal(c.seen.has(a.peerId), false, 'c never took the forged record')
    assert.ok(c.seen.has(b.peerId), 'b’s own record still counts')
    // Garbage straight from a neighbour: an error, nothing thrown.
    c.presence.receive(b.peerId, text('{"t":"presence","hops":1,"rec":{}}'))
    c.presence.receive(b.peerId, new Uint8Array(4_000))
    assert.ok(c.errors.some((e) => e.code === 'protocol-error'))
    assert.ok(c.errors.some((e) => e.code === 'payload-too-large'))
  } finally {
    for (const n of nodes) n.presence.close()
  }
})

test('a change goes out after `delay`; changes in a burst share records, and a long burst is not put off', async () => {
  const clock = fakeClock()
  const sent: string[] = []
  const presence = new LobbyPresence({
    local: await generateLocalPeer(),
    topic: TOPIC,
    delay: 50,
    minInterval: 0,
    clock,
    link: {
      neighbours: () => ['b'],
      send: (_peerId, payload) => {
        const msg = decodePresence(payload)
        if (msg) sent.push(dataOf(msg.rec) ?? '')
        return true
      },
    },
  })
  // Signing is asynchronous: let it finish after each step of the clock.
  const step = async (ms: number) => {
    clock.advance(ms)
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  }
  try {
    presence.start()
    await step(50)
    assert.deepEqual(sent, [''], 'the first record, once `delay` passed')
    presence.setData(text('one'))
    await step(49)
    assert.deepEqual(sent, [''], 'nothing before `delay`: the direct update has the cores')
    presence.setData(text('two'))
    await step(1)
    assert.deepEqual(sent, ['', 'two'], 'one record for both changes, with the latest')
    // A change every 10 ms for 300 ms: records keep going out, with the data of their moment.
    for (let i = 0; i < 30; i++) {
      presence.setData(text(`n${i}`))
      await step(10)
    }
    assert.ok(sent.length >= 6, `records during the burst: ${sent.length - 2}`)
    await step(50)
    assert.equal(sent.at(-1), 'n29')
  } finally {
    presence.close()
  }
})
