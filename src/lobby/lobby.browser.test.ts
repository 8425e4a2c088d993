/// <reference types="mocha" />
// Lobbies end to end: real WebRTC between swarms in one page (and in a
// cross-site frame), real bittorrent-tracker servers on 127.0.0.1.
import { expect } from '@esm-bundle/chai'
import type { FrameFreeze, FrameStart } from '../../test/browser/frame-peer.js'
import {
  sleep,
  startTracker,
  stopTrackers,
  testSwarm,
  waitFor,
} from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import { lobbyTopic } from '../signaling/topic.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { DEFAULT_HEARTBEAT, Heartbeat } from '../swarm/heartbeat.js'
import { Swarm } from '../swarm/swarm.js'
import { Lobby, SESSION_DATA_CHANNEL, type LobbyOptions, type LobbyState } from './lobby.js'

const ORIGIN = 'https://a.example'
const swarms: Swarm[] = []
let lobbyCount = 0

interface Joined {
  lobby: Lobby
  swarm: Swarm
  states: LobbyState[]
  errors: P2PError[]
  data: Array<{ from: string; text: string; at: number }>
}

async function newSwarm(urls: string[]): Promise<Swarm> {
  const swarm = await testSwarm(urls)
  swarms.push(swarm)
  return swarm
}

async function join(
  urls: string[],
  opts: Partial<LobbyOptions> & { swarm?: Swarm } = {},
): Promise<Joined> {
  const swarm = opts.swarm ?? (await newSwarm(urls))
  const lobby = await Lobby.join({ swarm, origin: ORIGIN, name: 'lobby', ...opts })
  const joined: Joined = { lobby, swarm, states: [lobby.state], errors: [], data: [] }
  lobby.on('state', ({ state }) => joined.states.push(state))
  lobby.on('error', ({ error }) => joined.errors.push(error))
  lobby.on('session-data', ({ peer, data }) =>
    joined.data.push({
      from: peer.peerId,
      text: new TextDecoder().decode(data),
      at: performance.now(),
    }),
  )
  return joined
}

/** A unique lobby name per test, so that leftovers of one test never meet the next. */
function lobbyName(): string {
  return `lobby-${++lobbyCount}-${Math.random().toString(36).slice(2)}`
}

/** Connected (a peer known only through the mesh's presence records is not). */
const sees = (a: Joined, b: Joined) =>
  (a.lobby.peers.get(b.swarm.peerId)?.path ?? 'mesh') !== 'mesh'
const connectedPeers = (a: Joined) => [...a.lobby.peers.values()].filter((p) => p.path !== 'mesh')

/** A tracker and two browsers that have met in a fresh lobby. */
async function meetPair(opts: Partial<LobbyOptions> = {}) {
  const t = await startTracker()
  const name = lobbyName()
  const a = await join([t.url], { name, ...opts })
  const b = await join([t.url], { name, ...opts })
  await waitFor('met', () => sees(a, b) && sees(b, a))
  return { t, name, a, b }
}

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('Lobby (real WebRTC, real tracker)', () => {
  it('two browsers in the same lobby see each other, with identity and state', async () => {
    const t = await startTracker()
    const name = lobbyName()
    const a = await join([t.url], { name })
    expect(a.lobby.state).to.equal('discovering')
    const b = await join([t.url], { name })
    const joinedAtA = new Promise((resolve) => a.lobby.on('peer-join', resolve))
    await waitFor('both see each other', () => sees(a, b) && sees(b, a))
    await joinedAtA
    const bAtA = a.lobby.peers.get(b.swarm.peerId)
    expect(bAtA?.identityUrl).to.equal(b.swarm.local.identityUrl)
    expect(bAtA?.sessionData).to.equal(null)
    expect(a.lobby.state).to.equal('connected')
    expect(a.states[0]).to.equal('discovering')
    expect(a.states.at(-1)).to.equal('connected')
    expect(a.lobby.topic.hex).to.equal((await lobbyTopic(ORIGIN, name)).hex)
  })

  it('never meets the same lobby name on another origin', async () => {
    const t = await startTracker()
    const name = lobbyName()
    const a = await join([t.url], { name, origin: 'https://a.example' })
    const b = await join([t.url], { name, origin: 'https://b.example' })
    // Both announced (two distinct info hashes at the tracker)…
    await waitFor('both announced', async () => {
      const swarms = await t.swarms()
      return swarms[a.lobby.topic.hex] === 1 && swarms[b.lobby.topic.hex] === 1
    })
    expect(a.lobby.topic.hex).to.not.equal(b.lobby.topic.hex)
    // …and re-announced with offers for a while, yet never met.
    await sleep(4_500)
    expect(a.lobby.peers.size).to.equal(0)
    expect(b.lobby.peers.size).to.equal(0)
    expect(a.swarm.peers()).to.have.length(0)
  })

  it('meets through the one tracker both know when each knows another too', async () => {
    const shared = await startTracker()
    const onlyA = await startTracker()
    const onlyB = await startTracker()
    const name = lobbyName()
    const a = await join([onlyA.url, shared.url], { name })
    const b = await join([shared.url, onlyB.url], { name })
    await waitFor('met', () => sees(a, b) && sees(b, a), 15_000)
  })

  it('carries session-data end to end: first at once, then coalesced per interval', async () => {
    const t = await startTracker()
    const name = lobbyName()
    const sessionData = { interval: 600 }
    const a = await join([t.url], { name, sessionData })
    a.lobby.setSessionData('before you came')
    expect(new TextDecoder().decode(a.lobby.getSessionData() ?? undefined)).to.equal(
      'before you came',
    )
    const b = await join([t.url], { name, sessionData })
    // A new connection starts empty; A's value arrives as soon as B is in.
    const first = await waitFor('B has A’s data', () => b.data[0])
    expect(first).to.include({ from: a.swarm.peerId, text: 'before you came' })
    expect(b.lobby.peers.get(a.swarm.peerId)?.sessionData).to.deep.equal(
      new TextEncoder().encode('before you came'),
    )
    // Three quick updates: the next slot carries only the latest.
    a.lobby.setSessionData('one')
    a.lobby.setSessionData('two')
    a.lobby.setSessionData('three')
    await waitFor('B has the latest', () => b.data.length === 2)
    await sleep(1_500)
    expect(b.data.map((d) => d.text)).to.deep.equal(['before you came', 'three'])
    expect((b.data[1]?.at ?? 0) - first.at).to.be.at.least(500)
  })

  it('refuses session-data over 256 bytes and truncates what a peer sends beyond', async () => {
    const { a, b } = await meetPair()
    expect(() => a.lobby.setSessionData(new Uint8Array(257)))
      .to.throw()
      .with.property('code', 'payload-too-large')
    expect(() => a.lobby.setSessionData(42 as unknown as string))
      .to.throw()
      .with.property('code', 'invalid-argument')
    a.lobby.setSessionData(new Uint8Array(256).fill(1))
    await waitFor('256 bytes arrive', () => b.data.length === 1)
    // A peer that bypasses the API and sends 300 bytes: the receiver keeps 256.
    a.lobby.membership.send(b.swarm.peerId, SESSION_DATA_CHANNEL, new Uint8Array(300).fill(2))
    await waitFor('the long one arrives', () => b.data.length === 2)
    const kept = b.lobby.peers.get(a.swarm.peerId)?.sessionData
    expect(kept?.length).to.equal(256)
    expect(kept?.every((x) => x === 2)).to.equal(true)
  })

  it('ignores a peer that floods session-data', async () => {
    const { a, b } = await meetPair()
    for (let i = 0; i < 30; i++) {
      a.lobby.membership.send(
        b.swarm.peerId,
        SESSION_DATA_CHANNEL,
        new TextEncoder().encode(`${i}`),
      )
    }
    await sleep(800)
    // The burst (2) got through; the rest was dropped, and the peer stays connected.
    expect(b.data.map((d) => d.text)).to.deep.equal(['0', '1'])
    expect(sees(b, a)).to.equal(true)
  })

  it('paces session-data by the real 5 s rule', async () => {
    const { a, b } = await meetPair()
    a.lobby.setSessionData('first')
    a.lobby.setSessionData('second')
    const first = await waitFor('first', () => b.data[0])
    expect(first.text).to.equal('first')
    const second = await waitFor('second', () => b.data[1], 8_000)
    expect(second.text).to.equal('second')
    expect(second.at - first.at).to.be.within(4_500, 6_500)
  })

  it('caps the lobby at maxPeers and tells a refused peer lobby-full', async () => {
    const t = await startTracker()
    const name = lobbyName()
    const a = await join([t.url], { name, maxPeers: 1 })
    const b = await join([t.url], { name })
    await waitFor('A has B', () => sees(a, b))
    expect(a.lobby.state).to.equal('full')
    // C shares a connection with A through another lobby, then tries this one.
    const c = await join([t.url], { name: lobbyName() })
    const aElsewhere = await join([t.url], { name: c.lobby.name, swarm: a.swarm })
    await waitFor('A and C connected elsewhere', () => sees(aElsewhere, c))
    const cHere = await join([t.url], { name, swarm: c.swarm })
    await waitFor('C refused by A', () => cHere.errors.some((e) => e.code === 'lobby-full'), 10_000)
    await waitFor('C meets B', () => sees(cHere, b))
    expect(connectedPeers(a).length).to.equal(1)
    expect(sees(cHere, a)).to.equal(false)
    expect(a.lobby.state).to.equal('full')
  })

  it('tells the others at once on leave, and is closed afterwards', async () => {
    const { a, b } = await meetPair()
    const left = new Promise<number>((resolve) =>
      b.lobby.on('peer-leave', () => resolve(performance.now())),
    )
    const at = performance.now()
    a.lobby.leave()
    expect((await left) - at).to.be.below(1_000)
    expect(a.lobby.state).to.equal('closed')
    expect(a.lobby.peers.size).to.equal(0)
    expect(() => a.lobby.setSessionData('x'))
      .to.throw()
      .with.property('code', 'not-connected')
    await waitFor('B back to discovering', () => b.lobby.state === 'discovering')
  })

  it('refuses bad arguments with invalid-argument', async () => {
    const swarm = await newSwarm(['ws://127.0.0.1:9'])
    for (const opts of [
      { name: '' },
      { name: 'x'.repeat(200) },
      { origin: 'not an origin' },
      { maxPeers: 0 },
      { maxPeers: 1.5 },
      { maxPeers: 1000 },
    ]) {
      let code = ''
      try {
        await Lobby.join({ swarm, origin: ORIGIN, name: 'n', ...opts })
      } catch (err) {
        code = (err as P2PError).code
      }
      expect(code, JSON.stringify(opts)).to.equal('invalid-argument')
    }
  })
})

describe('Lobby: a peer that goes away', () => {
  let frame: HTMLIFrameElement | null = null
  afterEach(() => frame?.remove())

  /** A lobby peer in a cross-site frame (its own renderer process). */
  async function framePeer(start: Omit<FrameStart, 'cmd'>) {
    const f = document.createElement('iframe')
    const from = (e: MessageEvent) => e.source === f.contentWindow
    const next = <T>(pick: (data: Record<string, unknown>) => T | undefined) =>
      new Promise<T>((resolve) => {
        const onMessage = (e: MessageEvent) => {
          const value = from(e) ? pick(e.data as Record<string, unknown>) : undefined
          if (value === undefined) return
          window.removeEventListener('message', onMessage)
          resolve(value)
        }
        window.addEventListener('message', onMessage)
      })
    const ready = next((d) => (d.ready ? true : undefined))
    // localhost ↔ 127.0.0.1: another site, so another process that can hang on its own.
    const host = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
    f.src = `${location.protocol}//${host}:${location.port}/test/browser/frame-peer.html`
    document.body.append(f)
    frame = f
    await ready
    const started = next((d) => (typeof d.peerId === 'string' ? d.peerId : undefined))
    f.contentWindow?.postMessage({ cmd: 'start', ...start } satisfies FrameStart, '*')
    return { peerId: await started, frame: f }
  }

  /** Our lobby, on the default heartbeat (the real leave bound), with a frame peer in it. */
  async function meetFramePeer() {
    const t = await startTracker()
    const name = lobbyName()
    const swarm = new Swarm({
      local: await generateLocalPeer(),
      adapters: [new WebTorrentTracker({ urls: [t.url], announceInterval: 2_000 })],
    })
    swarms.push(swarm)
    const lobby = await Lobby.join({ swarm, origin: ORIGIN, name })
    const remote = await framePeer({ tracker: t.url, origin: ORIGIN, name })
    await waitFor('met the frame', () => lobby.peers.has(remote.peerId), 15_000)
    const left = new Promise<number>((resolve) =>
      lobby.on('peer-leave', () => resolve(performance.now())),
    )
    return { lobby, remote, left }
  }

  it('drops out within the leave bound when its frame is removed without a goodbye', async function () {
    // Nothing says goodbye (no lobby left, no data channel closed): to us it
    // looks like a cut path, given the path grace. The extension's tabs say
    // goodbye (their lobbies leave); this is a browser dying silently.
    this.timeout(60_000)
    const { lobby, remote, left } = await meetFramePeer()
    const closedAt = performance.now()
    remote.frame.remove()
    expect((await left) - closedAt).to.be.below(new Heartbeat(DEFAULT_HEARTBEAT).bound + 2_000)
    expect(lobby.peers.size).to.equal(0)
  })

  it('drops out within 5 s when it hangs silently (heartbeat)', async () => {
    const { lobby, remote, left } = await meetFramePeer()
    const freeze: FrameFreeze = { cmd: 'freeze', ms: 6_000 }
    remote.frame.contentWindow?.postMessage(freeze, '*')
    const frozenAt = performance.now()
    const elapsed = (await left) - frozenAt
    // Not the data channel closing (it stays up): the heartbeat's 4 s timeout.
    expect(elapsed).to.be.within(3_000, 5_000)
    expect(lobby.peers.size).to.equal(0)
  })
})
