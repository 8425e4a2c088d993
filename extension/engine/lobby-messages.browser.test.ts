/// <reference types="mocha" />
// The engine's lobby messages with a member beyond the connection budget:
// three swarms in one page, real WebRTC, a real tracker on 127.0.0.1. A and
// C may hold one connection each, both to B, so A knows C only through the
// mesh (path `mesh`): a request must name C with `not-connected`, not leave
// it out, and a request to C alone must fail so.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, testSwarm, waitFor } from '../../test/browser/helpers.js'
import { toBase64 } from '../../src/bytes.js'
import { Lobby } from '../../src/lobby/lobby.js'
import { MESSAGES_CHANNEL } from '../../src/messages/frames.js'
import { LOW_WATER } from '../../src/messages/messenger.js'
import { encodeValue } from '../../src/messages/value.js'
import type { MessageEventsWire, ReplyResult } from '../../src/protocol/lobby-messages.js'
import { DEFAULT_EXTENSIONS, type Swarm } from '../../src/swarm/swarm.js'
import { LobbyMessages, messagePeers } from './lobby-messages.js'

const swarms: Swarm[] = []
const lobbies: Lobby[] = []
const closers: Array<() => void> = []

async function member(url: string, name: string, maxPeers: number, extensions?: string[]) {
  const swarm = await testSwarm([url], {
    announceInterval: 1_000,
    ...(extensions ? { extensions } : {}),
  })
  swarms.push(swarm)
  const lobby = await Lobby.join({
    swarm,
    origin: 'https://a.example',
    name,
    maxPeers,
    presence: { refresh: 2_000, minInterval: 100 },
  })
  lobbies.push(lobby)
  const replies: Array<MessageEventsWire['reply']> = []
  const errors: string[] = []
  const messages = new LobbyMessages({
    lobby,
    // Aliases are the peer ids here; every member the lobby knows is announced.
    announced: () =>
      messagePeers(
        lobby,
        [...lobby.peers.keys()].map((id) => [id, { alias: id }]),
      ),
    after: (peerId, step) => step(peerId),
    toOne: (_handle, name, data) => {
      if (name === 'reply') replies.push(data as MessageEventsWire['reply'])
      if (name === 'error') errors.push((data as { error: { code: string } }).error.code)
    },
    toAll: () => undefined,
  })
  closers.push(() => messages.close())
  messages.addHandle('h')
  messages.setModule('h', 'echo', true)
  return { swarm, lobby, messages, replies, errors }
}

const data = toBase64(encodeValue('hi'))
const codes = (results: ReplyResult[]) =>
  Object.fromEntries(results.map((r) => [r.peer, r.ok ? 'ok' : r.error.code]))

afterEach(async () => {
  for (const close of closers.splice(0)) close()
  for (const l of lobbies.splice(0)) l.leave()
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('Engine lobby messages and mesh-only peers (real WebRTC, real tracker)', () => {
  it('requests name a mesh-only peer with not-connected; one to it alone fails so', async () => {
    const t = await startTracker()
    const name = `mesh-messages-${Math.random().toString(36).slice(2)}`
    const a = await member(t.url, name, 1)
    const b = await member(t.url, name, 3)
    await waitFor('a and b connect', () => a.lobby.state === 'full', 10_000)
    const c = await member(t.url, name, 1)
    await waitFor('c connects to b', () => c.lobby.state === 'full', 15_000)
    const [bId, cId] = [b.swarm.peerId, c.swarm.peerId]
    await waitFor('a sees c through the mesh', () => a.lobby.peers.get(cId)?.path === 'mesh')
    // b answers the page's request itself: no page here, so answer for it.
    b.messages.messenger.on('request', (r) => r.respond({ ok: true, value: r.value }))

    await a.messages.post('h', [{ t: 'req', id: 1, to: '*', module: 'echo', timeout: 5_000, data }])
    await waitFor('reply 1', () => a.replies.some((r) => r.id === 1))
    const all = a.replies.find((r) => r.id === 1)
    expect(all && 'results' in all ? codes(all.results) : all).to.deep.equal({
      [bId]: 'ok',
      [cId]: 'not-connected',
    })

    const url = c.swarm.local.identityUrl
    await a.messages.post('h', [{ t: 'req', id: 2, to: url, module: 'echo', timeout: 5_000, data }])
    await waitFor('reply 2', () => a.replies.some((r) => r.id === 2))
    const byUrl = a.replies.find((r) => r.id === 2)
    expect(byUrl && 'results' in byUrl ? codes(byUrl.results) : byUrl).to.deep.equal({
      [cId]: 'not-connected',
    })

    await a.messages.post('h', [{ t: 'msg', to: cId, data }])
    expect(a.errors, 'a send to it says so').to.deep.equal(['not-connected'])

    await a.messages.post('h', [{ t: 'req', id: 3, to: cId, module: 'echo', timeout: 5_000, data }])
    const alone = a.replies.find((r) => r.id === 3)
    expect(alone && 'error' in alone ? alone.error.code : alone).to.equal('not-connected')
    expect(alone && 'error' in alone ? alone.error.message : '').to.contain('other members')
  })

  it('a post with a big request is answered only once the queue is under the low-water mark', async () => {
    const t = await startTracker()
    const name = `request-pressure-${Math.random().toString(36).slice(2)}`
    const a = await member(t.url, name, 3)
    const b = await member(t.url, name, 3)
    await waitFor('a and b connect', () => a.messages.messenger.connected(b.swarm.peerId), 10_000)
    const to = b.swarm.peerId
    const big = toBase64(encodeValue(new Uint8Array(8 * 1024 * 1024).fill(7)))
    let settled = false
    const posted = a.messages
      .post('h', [{ t: 'req', id: 1, to, module: 'echo', timeout: 20_000, data: big }])
      .then(() => (settled = true))
    await new Promise((r) => setTimeout(r, 0))
    expect(a.messages.messenger.queued(to)).to.be.above(LOW_WATER)
    expect(settled, 'answered while the request still queued').to.equal(false)
    await posted
    expect(a.messages.messenger.queued(to)).to.be.at.most(LOW_WATER)
  })

  it('a peer without the messages channel: a send says not-supported, a request answers so at once', async () => {
    const t = await startTracker()
    const name = `old-peer-${Math.random().toString(36).slice(2)}`
    const a = await member(t.url, name, 3)
    const old = DEFAULT_EXTENSIONS.filter((e) => e !== MESSAGES_CHANNEL)
    const b = await member(t.url, name, 3, old)
    const to = b.swarm.peerId
    await waitFor('a has b', () => a.messages.messenger.connected(to), 10_000)
    await a.messages.post('h', [{ t: 'msg', to, data }])
    expect(a.errors).to.deep.equal(['not-supported'])
    const started = performance.now()
    await a.messages.post('h', [{ t: 'req', id: 1, to, module: 'echo', timeout: 5_000, data }])
    await waitFor('reply', () => a.replies.length === 1)
    expect(performance.now() - started).to.be.below(1_000)
    const reply = a.replies[0]
    expect(reply && 'results' in reply ? codes(reply.results) : reply).to.deep.equal({
      [to]: 'not-supported',
    })
  })
})
