/// <reference types="mocha" />
// Lobby messages and requests over real WebRTC between swarms in one page,
// with a real bittorrent-tracker server on 127.0.0.1.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, waitFor } from '../../test/browser/helpers.js'
import { P2PError } from '../errors.js'
import { Lobby } from '../lobby/lobby.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, Swarm } from '../swarm/swarm.js'
import { MESSAGES_CHANNEL } from './frames.js'
import { LOW_WATER, LobbyMessenger, type MessagePeer, type PeerAnswer } from './messenger.js'

const swarms: Swarm[] = []
let count = 0

interface Side {
  swarm: Swarm
  lobby: Lobby
  messenger: LobbyMessenger
  got: Array<{ from: MessagePeer; value: Uint8Array }>
}

async function side(url: string, name: string, extensions?: string[]): Promise<Side> {
  const swarm = new Swarm({
    local: await generateLocalPeer(),
    ...(extensions ? { extensions } : {}),
    adapters: [
      new WebTorrentTracker({ urls: [url], announceInterval: 2_000, minAnnounceGap: 200 }),
    ],
    // Three peers share this page's one thread while megabytes cross it:
    // liveness is not under test here, so silence has to be long to mean death.
    heartbeat: { interval: 300, timeout: 10_000 },
  })
  swarms.push(swarm)
  const lobby = await Lobby.join({ swarm, origin: 'https://a.example', name })
  const messenger = new LobbyMessenger(lobby)
  const got: Side['got'] = []
  messenger.on('message', ({ peer, value }) => got.push({ from: peer, value }))
  return { swarm, lobby, messenger, got }
}

async function trio(): Promise<Side[]> {
  const t = await startTracker()
  const name = `messages-${++count}-${Math.random().toString(36).slice(2)}`
  const sides = [await side(t.url, name), await side(t.url, name), await side(t.url, name)]
  await waitFor('all met', () => sides.every((s) => s.lobby.peers.size === 2), 20_000)
  return sides
}

/**
 * An answer's error message holds no swarm peer id (40 hex): it reaches
 * pages, which must know peers only by their per-origin alias.
 */
const expectNoPeerId = (r: PeerAnswer | undefined) =>
  expect(r?.answer.ok === false ? r.answer.error.message : '').not.to.match(/[0-9a-f]{40}/)

/** The error code of an answer, or 'ok'. */
const codeOf = (r: PeerAnswer | undefined) => (r?.answer.ok === false ? r.answer.error.code : 'ok')

const bytes = (n: number, seed = 0) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256)

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('LobbyMessenger (real WebRTC)', () => {
  it('sends to everyone or to one peer, in order, each message once', async () => {
    const [a, b, c] = (await trio()) as [Side, Side, Side]
    const everyone = [b.swarm.peerId, c.swarm.peerId]
    for (let i = 0; i < 50; i++) void a.messenger.send(everyone, Uint8Array.of(i))
    await a.messenger.send([c.swarm.peerId], Uint8Array.of(99))
    await waitFor('all arrived', () => b.got.length === 50 && c.got.length === 51)
    expect(b.got.map((m) => m.value[0])).to.deep.equal([...Array(50).keys()])
    expect(c.got.map((m) => m.value[0])).to.deep.equal([...Array(50).keys(), 99])
    expect(c.got[0]?.from.peerId).to.equal(a.swarm.peerId)
    expect(c.got[0]?.from.identityUrl).to.equal(a.swarm.local.identityUrl)
  })

  it('a 5 MB message arrives intact; the sender waits for the channel', async () => {
    const [a, b] = (await trio()) as [Side, Side, Side]
    const big = bytes(5 * 1024 * 1024, 7)
    const sent = a.messenger.send([b.swarm.peerId], big)
    await sent
    await waitFor('arrived', () => b.got.length === 1, 20_000)
    expect(b.got[0]?.value.length).to.equal(big.length)
    expect(b.got[0]?.value).to.deep.equal(big)
  })

  it('send stays pending while more than the low-water mark waits for the peer', async () => {
    const [a, b] = (await trio()) as [Side, Side, Side]
    const to = b.swarm.peerId
    let settled = false
    const sent = a.messenger.send([to], bytes(8 * 1024 * 1024, 3)).then(() => (settled = true))
    // The channel took what its buffer holds; the rest waits in the outbox.
    await new Promise((r) => setTimeout(r, 0))
    expect(a.messenger.queued(to)).to.be.above(LOW_WATER)
    expect(settled, 'resolved while the queue was over the low-water mark').to.equal(false)
    await sent
    expect(a.messenger.queued(to)).to.be.at.most(LOW_WATER)
    await waitFor('arrived', () => b.got.length === 1, 20_000)
  })

  it('requests: answers, remote errors, peers that never answer', async () => {
    const [a, b, c] = (await trio()) as [Side, Side, Side]
    b.messenger.on('request', (r) => r.respond({ ok: true, value: r.value }))
    c.messenger.on('request', (r) => {
      if (r.module === 'echo') r.respond({ ok: true, value: Uint8Array.of(r.value[0]! + 1) })
      else if (r.module === 'fail')
        r.respond({ ok: false, error: new P2PError('internal', 'boom') })
      // 'silent': never answered
    })
    const peers = [b.swarm.peerId, c.swarm.peerId]
    const echo = await a.messenger.request(peers, 'echo', Uint8Array.of(5), 5_000)
    expect(echo.map((r) => r.peerId)).to.deep.equal(peers)
    expect(
      echo.map((r) => (r.answer.ok ? [...r.answer.value] : r.answer.error.code)),
    ).to.deep.equal([[5], [6]])
    const [failed] = await a.messenger.request([c.swarm.peerId], 'fail', Uint8Array.of(1), 5_000)
    expect(failed?.answer.ok).to.equal(false)
    if (failed && !failed.answer.ok) {
      expect(failed.answer.error.code).to.equal('internal')
      expect(failed.answer.error.message).to.contain('boom')
    }
    const started = performance.now()
    const silent = await a.messenger.request([c.swarm.peerId], 'silent', Uint8Array.of(1), 800)
    expect(performance.now() - started).to.be.within(700, 3_000)
    expect(codeOf(silent[0])).to.equal('timeout')
    const nobody = 'ab'.repeat(20) // shaped like a swarm peer id, in no lobby
    const unknown = await a.messenger.request([nobody], 'echo', Uint8Array.of(1), 1_000)
    expect(codeOf(unknown[0])).to.equal('not-connected')
    expectNoPeerId(unknown[0])
  })

  it('a peer that leaves mid-request answers not-connected', async () => {
    const [a, b] = (await trio()) as [Side, Side, Side]
    b.messenger.on('request', () => b.lobby.leave())
    const [answer] = await a.messenger.request([b.swarm.peerId], 'x', Uint8Array.of(1), 10_000)
    expect(codeOf(answer)).to.equal('not-connected')
    expectNoPeerId(answer)
  })

  it('a peer without the messages channel answers not-supported at once', async () => {
    const t = await startTracker()
    const name = `messages-old-${Math.random().toString(36).slice(2)}`
    const a = await side(t.url, name)
    const old = DEFAULT_EXTENSIONS.filter((e) => e !== MESSAGES_CHANNEL)
    const b = await side(t.url, name, old)
    await waitFor('met', () => a.lobby.peers.size === 1 && b.lobby.peers.size === 1, 20_000)
    expect(a.messenger.speaks(b.swarm.peerId)).to.equal(false)
    const started = performance.now()
    const [answer] = await a.messenger.request([b.swarm.peerId], 'x', Uint8Array.of(1), 5_000)
    expect(codeOf(answer)).to.equal('not-supported')
    expectNoPeerId(answer)
    expect(performance.now() - started).to.be.below(1_000)
  })

  it('a peer that breaks the protocol is dropped: nothing more from it is taken', async () => {
    const [a, b] = (await trio()) as [Side, Side, Side]
    const errors: string[] = []
    a.messenger.on('error', ({ peer, error }) => errors.push(`${peer.peerId}: ${error.code}`))
    // An epoch, then a record of no known kind.
    b.lobby.membership.send(a.swarm.peerId, MESSAGES_CHANNEL, Uint8Array.of(0, 0, 0, 1, 9))
    await waitFor('the error', () => errors.length === 1)
    expect(errors).to.deep.equal([`${b.swarm.peerId}: protocol-error`])
    await b.messenger.send([a.swarm.peerId], Uint8Array.of(1))
    // Longer than a gap may wait (5 s, checked each second): a fresh inbox would have let it out.
    await new Promise((r) => setTimeout(r, 6_500))
    expect(a.got, 'its stream was dropped, not resynchronised').to.deep.equal([])
  })
})
