/// <reference types="mocha" />
// The peer relay with real WebRTC between lobbies in one page and real
// bittorrent-tracker servers on 127.0.0.1: peers that share no tracker meet
// through one that knows both, a lobby keeps meshing when its tracker is
// gone, and a lobby joined all at once meshes fast at the tracker's default
// announce interval.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, waitFor } from '../../test/browser/helpers.js'
import { Lobby } from '../lobby/lobby.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, Swarm } from '../swarm/swarm.js'
import { EchoAdapter } from '../../test/fixtures/signaling-adapters/echo.js'
import { PeerRelay } from './peer-relay.js'
import { WebTorrentTracker } from './webtorrent-tracker.js'

const ORIGIN = 'https://relay.example'
const swarms: Swarm[] = []
let lobbyCount = 0

interface Member {
  lobby: Lobby
  id: string
}

/** A lobby on a swarm that signals through `urls` and through its peers (and `echo`). */
async function lobby(
  urls: string[],
  name: string,
  maxPeers = 16,
  echo?: EchoAdapter,
): Promise<Member> {
  const local = await generateLocalPeer()
  const swarm = new Swarm({
    local,
    adapters: [
      // The tracker's own interval (minutes): no re-announce helps the mesh.
      new WebTorrentTracker({ urls, backoff: { initial: 100, max: 500, jitter: 0 } }),
      new PeerRelay({ local }),
      ...(echo ? [echo] : []),
    ],
    ...(echo ? { extensions: [...DEFAULT_EXTENSIONS, echo.channel] } : {}),
    heartbeat: { interval: 300, timeout: 1_500 },
    duplicateGrace: 500,
  })
  swarms.push(swarm)
  return { lobby: await Lobby.join({ swarm, origin: ORIGIN, name, maxPeers }), id: local.peerId }
}

/** Connected (a peer known only through the mesh's presence records is not). */
const sees = (a: Member, b: Member) => (a.lobby.peers.get(b.id)?.path ?? 'mesh') !== 'mesh'
const pathTo = (a: Member, b: Member) => a.lobby.peers.get(b.id)?.path

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('PeerRelay (real WebRTC, real trackers)', () => {
  it('peers on two different trackers meet through a peer that knows both', async () => {
    const t1 = await startTracker()
    const t2 = await startTracker()
    const name = `two-trackers-${++lobbyCount}`
    const a = await lobby([t1.url], name)
    const b = await lobby([t1.url, t2.url], name)
    const c = await lobby([t2.url], name)
    await waitFor('a and c connected', () => sees(a, c) && sees(c, a), 10_000)
    expect(pathTo(a, c)).to.equal('relay')
    expect(pathTo(a, b)).to.equal('tracker')
    expect(c.lobby.peers.size).to.equal(2)
  })

  it('after the tracker is gone, a newcomer still reaches everyone through relay', async () => {
    const t1 = await startTracker()
    const t2 = await startTracker()
    const name = `tracker-gone-${++lobbyCount}`
    const a = await lobby([t1.url], name)
    const b = await lobby([t1.url, t2.url], name)
    await waitFor('a and b connected', () => sees(a, b) && sees(b, a), 10_000)
    await t1.stop()
    const c = await lobby([t2.url], name)
    await waitFor('c connected to a', () => sees(a, c) && sees(c, a), 10_000)
    expect(pathTo(c, a)).to.equal('relay')
    c.lobby.setSessionData('from c')
    await waitFor('a got c’s session-data', () => {
      const data = a.lobby.peers.get(c.id)?.sessionData
      return data && new TextDecoder().decode(data) === 'from c'
    })
  })

  it('a second backend that signals through peers has a channel of its own', async () => {
    const t = await startTracker()
    const name = `echo-${++lobbyCount}`
    const [echoA, echoB] = [new EchoAdapter(), new EchoAdapter()]
    const a = await lobby([t.url], name, 16, echoA)
    const b = await lobby([t.url], name, 16, echoB)
    await waitFor('a and b connected', () => sees(a, b) && sees(b, a), 10_000)
    expect(echoA.mesh?.send(b.id, new TextEncoder().encode('hi b'))).to.equal(true)
    await waitFor('b heard a', () => echoB.heard.length > 0)
    // The relay told each its members on `signal`: the echo backend heard none of it.
    expect(echoB.heard).to.deep.equal([[a.id, 'hi b']])
    expect(echoA.heard).to.deep.equal([])
  })

  it('eight peers joining at once are fully meshed within 3 s', async () => {
    const t = await startTracker()
    const name = `mesh-${++lobbyCount}`
    const lobbies = await Promise.all(Array.from({ length: 8 }, () => lobby([t.url], name, 8)))
    const start = performance.now()
    const links = () =>
      lobbies.reduce((n, l) => n + lobbies.filter((o) => o !== l && sees(l, o)).length, 0) / 2
    try {
      await waitFor('28 links', () => links() === 28, 10_000)
    } catch (err) {
      const report = lobbies.map(
        (l) =>
          `${l.id.slice(0, 6)}: ${[...l.lobby.peers.values()].map((p) => `${p.peerId.slice(0, 6)}/${p.path}`).join(' ')}`,
      )
      throw new Error(`${String(err)}; ${links()} links\n${report.join('\n')}`)
    }
    const ms = performance.now() - start
    console.log(`8-peer mesh in one page: ${Math.round(ms)} ms`)
    expect(ms).to.be.below(3_000)
  })
})
