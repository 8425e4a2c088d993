/// <reference types="mocha" />
// Hosted-session admission over real WebRTC and a real tracker, in one page:
// a host with a password admits a guest with the right one, refuses a wrong
// one and a guest past max_peers; and nothing sent to the tracker or on any
// data channel carries the password or an easy hash of it. Rejoins and
// departures mid-admission get their answer at once, never a timeout.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, waitFor } from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import { Lobby, type Admission } from '../lobby/lobby.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, Swarm } from '../swarm/swarm.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Topic } from '../signaling/topic.js'
import {
  ADMISSION_CHANNEL,
  GuestGate,
  HostGate,
  type GuestGateOptions,
  type HostGateOptions,
} from './admission.js'
import { Attempts } from './attempts.js'
import { deriveSessionKey } from './password.js'
import { sessionTopic, sessionUrl } from './session-url.js'

const ORIGIN = 'https://game.example'
const PASSWORD = 'correct horse battery staple'
const swarms: Swarm[] = []
const lobbies: Lobby[] = []

/** Every byte this page sends to a tracker or on a data channel. */
const sent: Uint8Array[] = []
const wsSend = WebSocket.prototype.send
const dcSend = RTCDataChannel.prototype.send
function record(data: unknown): void {
  if (typeof data === 'string') sent.push(new TextEncoder().encode(data))
  else if (data instanceof ArrayBuffer) sent.push(new Uint8Array(data.slice(0)))
  else if (ArrayBuffer.isView(data)) {
    sent.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)))
  }
}

async function newSwarm(url: string): Promise<Swarm> {
  const swarm = new Swarm({
    local: await generateLocalPeer(),
    adapters: [
      new WebTorrentTracker({ urls: [url], announceInterval: 2_000, minAnnounceGap: 200 }),
    ],
    extensions: [...DEFAULT_EXTENSIONS, ADMISSION_CHANNEL],
    heartbeat: { interval: 300, timeout: 1_500 },
  })
  swarms.push(swarm)
  return swarm
}

function includes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

const CHEAP = { N: 2 ** 12 }
type Admit = (peer: RemotePeer) => Promise<Admission>

/** A lobby on `topic` whose peers `admit()` (set after the lobby exists) admits. */
async function gated(swarm: Swarm, topic: Topic, name: string, admit: () => Admit | null) {
  const lobby = await Lobby.join({
    swarm,
    origin: ORIGIN,
    name,
    maxPeers: 4,
    topic,
    admit: (p) => admit()?.(p) ?? Promise.resolve('left'),
  })
  lobbies.push(lobby)
  return lobby
}

/** A session hosted on a fresh swarm: its address, topic and the host's lobby and gate. */
async function hostSession(
  trackerUrl: string,
  gate: Omit<HostGateOptions, 'membership' | 'self' | 'key'> & { admit?: Admit },
) {
  const swarm = await newSwarm(trackerUrl)
  const addr = { host: swarm.local.identityUrl, name: `s-${Math.random()}`, origin: ORIGIN }
  const url = sessionUrl(addr)
  const topic = await sessionTopic(addr)
  let hostGate: HostGate | null = null
  const lobby = await gated(swarm, topic, addr.name, () => gate.admit ?? hostGate?.admit ?? null)
  hostGate = new HostGate({
    ...gate,
    membership: lobby.membership,
    self: { identityUrl: swarm.local.identityUrl, peerId: swarm.peerId },
    key: await deriveSessionKey(PASSWORD, url, CHEAP),
  })
  return { swarm, addr, url, topic, lobby, gate: hostGate }
}

type Session = Awaited<ReturnType<typeof hostSession>>

/** A guest of `session` on `swarm` with `password`: its lobby and gate. */
async function joinSession(
  session: Session,
  swarm: Swarm,
  password: string,
  opts: Partial<GuestGateOptions> = {},
) {
  let gate: GuestGate | null = null
  const lobby = await gated(swarm, session.topic, session.addr.name, () => gate?.admit ?? null)
  gate = new GuestGate({
    membership: lobby.membership,
    self: { identityUrl: swarm.local.identityUrl, peerId: swarm.peerId },
    host: session.addr.host,
    key: await deriveSessionKey(password, session.url, CHEAP),
    ...opts,
  })
  return { lobby, gate }
}

/** The gate's answer as a code ('ok' when admitted), or 'no answer' after `ms`. */
function answer(gate: GuestGate, ms = 8_000): Promise<string> {
  return Promise.race([
    gate.admitted.then(
      () => 'ok',
      (err: P2PError) => err.code ?? err.message,
    ),
    new Promise<string>((r) => setTimeout(() => r(`no answer in ${ms} ms`), ms)),
  ])
}

describe('session admission (real WebRTC, real tracker)', () => {
  before(() => {
    WebSocket.prototype.send = function (this: WebSocket, data) {
      record(data)
      return wsSend.call(this, data)
    }
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
      record(data)
      return dcSend.call(this, data)
    }
  })
  after(() => {
    WebSocket.prototype.send = wsSend
    RTCDataChannel.prototype.send = dcSend
  })
  afterEach(async () => {
    for (const l of lobbies.splice(0)) l.leave()
    for (const s of swarms.splice(0)) s.destroy()
    await stopTrackers()
  })

  it('admits the right password, refuses a wrong one and a guest past max_peers', async () => {
    const t = await startTracker()
    const session = await hostSession(t.url, {
      maxGuests: 1,
      attempts: new Attempts({ initial: 1 }),
    })
    async function guest(password: string): Promise<{ result: string; swarm: Swarm }> {
      const swarm = await newSwarm(t.url)
      const { lobby, gate } = await joinSession(session, swarm, password)
      lobby.membership.on('refused', () => gate.fail(new Error('full') as P2PError))
      const result = await answer(gate, 20_000)
      if (result !== 'ok') lobby.leave()
      return { result, swarm }
    }

    expect((await guest('hunter2')).result).to.equal('wrong-password')
    const bob = await guest(PASSWORD)
    expect(bob.result).to.equal('ok')
    const host = session.lobby
    await waitFor('Bob a member at the host', () => host.peers.has(bob.swarm.peerId))
    expect((await guest(PASSWORD)).result).to.equal('lobby-full')
    expect(host.peers.size).to.equal(1)

    // Nothing that left this page carries the password or its SHA-256.
    const plain = new TextEncoder().encode(PASSWORD)
    const sha = new Uint8Array(await crypto.subtle.digest('SHA-256', plain))
    const shaB64 = new TextEncoder().encode(btoa(String.fromCharCode(...sha)))
    expect(sent.length).to.be.greaterThan(10)
    for (const bytes of sent) {
      expect(includes(bytes, plain)).to.equal(false)
      expect(includes(bytes, sha)).to.equal(false)
      expect(includes(bytes, shaB64)).to.equal(false)
    }
  })

  it('a guest rejoining right after a wrong password hears rate-limited at once', async () => {
    const t = await startTracker()
    const session = await hostSession(t.url, {
      maxGuests: 4,
      attempts: new Attempts({ initial: 60_000 }),
    })
    // One guest browser (one swarm, one identity) trying again and again, as a page would.
    const swarm = await newSwarm(t.url)
    async function attempt(): Promise<string> {
      const { lobby, gate } = await joinSession(session, swarm, 'hunter2')
      const result = await answer(gate)
      lobby.leave()
      gate.close()
      return result
    }
    expect(await attempt()).to.equal('wrong-password')
    for (const pause of [0, 0, 30, 100, 0]) {
      await new Promise((r) => setTimeout(r, pause))
      expect(await attempt(), `rejoin after ${pause} ms`).to.equal('rate-limited')
    }
  })

  it('a guest that left mid-admission and came back is not refused by the old admission', async () => {
    const t = await startTracker()
    // The host gives up on a silent guest after 5 s.
    const timeout = 5_000
    const session = await hostSession(t.url, { maxGuests: 4, attempts: new Attempts(), timeout })
    const swarm = await newSwarm(t.url)
    // First a guest that never answers the challenge, and leaves.
    const silent = await gated(
      swarm,
      session.topic,
      session.addr.name,
      () => () => new Promise(() => {}),
    )
    await waitFor('the host admitting the silent guest', () =>
      session.lobby.membership.has(swarm.peerId),
    )
    const oldStarted = Date.now()
    silent.leave()
    // Then the same browser joins with the password before the old admission timed out.
    const { gate } = await joinSession(session, swarm, PASSWORD)
    expect(await answer(gate)).to.equal('ok')
    expect(Date.now() - oldStarted, 'rejoined before the old timeout').to.be.below(timeout)
    await waitFor('a member at the host', () => session.lobby.peers.has(swarm.peerId))
    // Past the old admission's timeout, it is still in.
    await new Promise((r) => setTimeout(r, oldStarted + timeout + 1_000 - Date.now()))
    expect(session.lobby.peers.has(swarm.peerId)).to.equal(true)
    expect(session.gate.guests).to.equal(1)
  })

  it('a guest whose host goes away before answering fails fast with not-connected', async () => {
    const t = await startTracker()
    // A host that never answers, then leaves.
    const session = await hostSession(t.url, {
      maxGuests: 4,
      attempts: new Attempts(),
      admit: () => new Promise(() => {}),
    })
    const swarm = await newSwarm(t.url)
    const { lobby, gate } = await joinSession(session, swarm, PASSWORD, { hostGrace: 1_000 })
    await waitFor('the guest meeting the host', () => lobby.membership.has(session.swarm.peerId))
    const started = Date.now()
    session.lobby.leave()
    expect(await answer(gate)).to.equal('not-connected')
    expect(Date.now() - started).to.be.below(5_000)
  })
})
