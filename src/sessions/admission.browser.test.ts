/// <reference types="mocha" />
// Hosted-session admission over real WebRTC and a real tracker, in one page:
// a host with a password admits a guest with the right one, refuses a wrong
// one and a guest past max_peers; and nothing sent to the tracker or on any
// data channel carries the password or an easy hash of it.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, waitFor } from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import { Lobby, type Admission } from '../lobby/lobby.js'
import { WebTorrentTracker } from '../signaling/webtorrent-tracker.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, Swarm } from '../swarm/swarm.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import { ADMISSION_CHANNEL, GuestGate, HostGate } from './admission.js'
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
    const hostSwarm = await newSwarm(t.url)
    const addr = {
      host: hostSwarm.local.identityUrl,
      name: `night-${Math.random()}`,
      origin: ORIGIN,
    }
    const url = sessionUrl(addr)
    const topic = await sessionTopic(addr)
    const cheap = { N: 2 ** 12 }
    let hostGate: HostGate | null = null
    const host = await Lobby.join({
      swarm: hostSwarm,
      origin: ORIGIN,
      name: addr.name,
      maxPeers: 1,
      topic,
      admit: (p: RemotePeer): Promise<Admission> => hostGate?.admit(p) ?? Promise.resolve('left'),
    })
    lobbies.push(host)
    hostGate = new HostGate({
      membership: host.membership,
      self: { identityUrl: hostSwarm.local.identityUrl, peerId: hostSwarm.peerId },
      key: await deriveSessionKey(PASSWORD, url, cheap),
      maxGuests: 1,
      attempts: new Attempts({ initial: 1 }),
    })

    async function guest(password: string): Promise<{ result: string; swarm: Swarm }> {
      const swarm = await newSwarm(t.url)
      let gate: GuestGate | null = null
      const lobby = await Lobby.join({
        swarm,
        origin: ORIGIN,
        name: addr.name,
        maxPeers: 1,
        topic,
        admit: (p: RemotePeer): Promise<Admission> => gate?.admit(p) ?? Promise.resolve('left'),
      })
      lobbies.push(lobby)
      gate = new GuestGate({
        membership: lobby.membership,
        self: { identityUrl: swarm.local.identityUrl, peerId: swarm.peerId },
        host: addr.host,
        key: await deriveSessionKey(password, url, cheap),
      })
      const g = gate
      lobby.membership.on('refused', () => g.fail(new Error('full') as P2PError))
      const result = await g.admitted.then(
        () => 'ok',
        (err: P2PError) => err.code ?? err.message,
      )
      if (result !== 'ok') lobby.leave()
      return { result, swarm }
    }

    expect((await guest('hunter2')).result).to.equal('wrong-password')
    const bob = await guest(PASSWORD)
    expect(bob.result).to.equal('ok')
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
})
