/// <reference types="mocha" />
// Recovery of a connection whose path is down, with real WebRTC between
// lobbies in one page and real bittorrent-tracker servers on 127.0.0.1: ICE
// restarts signaled through the tracker or through a third peer keep the
// same connection (new ICE credentials, same DTLS session and data channel)
// and the peer never leaves; a peer whose connection went quiet is taken
// over by a fresh connection, the lobby going `connecting`, then `connected`,
// without a peer-leave.
import { expect } from '@esm-bundle/chai'
import {
  cuttableChannels,
  startTracker,
  stopTrackers,
  testSwarm,
  waitFor,
} from '../../test/browser/helpers.js'
import { Lobby, type LobbyState } from '../lobby/lobby.js'
import { signEnvelope } from '../signaling/relay-envelope.js'
import type { Connection } from './connection.js'
import type { HeartbeatOptions } from './heartbeat.js'
import { generateLocalPeer } from './local-peer.js'
import type { RecoveryOptions } from './recovery.js'
import type { Swarm } from './swarm.js'

const ORIGIN = 'https://recovery.example'
const channels = cuttableChannels()
const swarms: Swarm[] = []
let lobbyCount = 0

interface Member {
  id: string
  swarm: Swarm
  lobby: Lobby
  leaves: string[]
  states: LobbyState[]
  disconnected: string[]
}

async function member(
  urls: string[],
  name: string,
  opts: { heartbeat?: HeartbeatOptions; recovery?: Partial<RecoveryOptions> } = {},
): Promise<Member> {
  const swarm = await testSwarm(urls, {
    announceInterval: 1_000,
    relay: true,
    ...(opts.heartbeat ? { heartbeat: opts.heartbeat } : {}),
    // No recovery of its own unless a test asks: the tests restart by hand.
    recovery: opts.recovery ?? { firstRestart: 1e9, freshAfter: 1e9 },
  })
  swarms.push(swarm)
  const lobby = await Lobby.join({ swarm, origin: ORIGIN, name })
  const m: Member = { id: swarm.peerId, swarm, lobby, leaves: [], states: [], disconnected: [] }
  lobby.on('peer-leave', ({ peer }) => m.leaves.push(peer.peerId))
  lobby.on('state', ({ state }) => m.states.push(state))
  swarm.on('peer-disconnected', ({ peer }) => m.disconnected.push(peer.peerId))
  return m
}

/** Two members of a new lobby `prefix-N` on a tracker of their own, once connected. */
async function connectedPair(prefix: string, opts: Parameters<typeof member>[2] = {}) {
  const t = await startTracker()
  const name = `${prefix}-${++lobbyCount}`
  const a = await member([t.url], name, opts)
  const b = await member([t.url], name, opts)
  await waitFor('a and b connected', () => sees(a, b) && sees(b, a))
  return { a, b }
}

const sees = (a: Member, b: Member) => (a.lobby.peers.get(b.id)?.path ?? 'mesh') !== 'mesh'

/** The connection between a and b, from the side that restarts it (the original offerer) first. */
function connectionOf(a: Member, b: Member): [Member, Connection, Member, Connection] {
  const ab = a.swarm.peer(b.id)?.primary
  const ba = b.swarm.peer(a.id)?.primary
  if (!ab || !ba) throw new Error('a and b are not connected')
  return ab.initiator ? [a, ab, b, ba] : [b, ba, a, ab]
}

const ufrag = (sdp: string | undefined) => /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1]

/** The ICE credentials each side uses now: its own and the remote's. */
function credentials(conn: Connection): string {
  const pc = conn.rtc
  return `${ufrag(pc.currentLocalDescription?.sdp)}/${ufrag(pc.currentRemoteDescription?.sdp)}`
}

async function sessionDataArrives(from: Member, to: Member, text: string): Promise<void> {
  from.lobby.setSessionData(text)
  await waitFor(`session-data "${text}"`, () => {
    const data = to.lobby.peers.get(from.id)?.sessionData
    return data && new TextDecoder().decode(data) === text
  })
}

afterEach(async () => {
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('Recovery of a connection (real WebRTC, real trackers)', () => {
  it('an ICE restart through the tracker keeps the same connection and peer', async () => {
    const { a, b } = await connectedPair('restart-tracker')
    const [offerer, conn, answerer, other] = connectionOf(a, b)
    const before = [credentials(conn), credentials(other)]

    expect(await answerer.swarm.restarts.restart(other)).to.equal(
      false,
      'only the original offerer restarts',
    )
    expect(await offerer.swarm.restarts.restart(conn)).to.equal(true, 'sent through the tracker')
    await waitFor('the restart completed', () => offerer.swarm.restarts.stats.completed === 1)
    await waitFor('ICE connected again', () => conn.rtc.iceConnectionState === 'connected')

    expect(answerer.swarm.restarts.stats.answered).to.equal(1)
    const after = [credentials(conn), credentials(other)]
    for (const [i, creds] of after.entries()) {
      expect(creds.split('/')).to.not.include.members(before[i]?.split('/') ?? [])
    }
    expect(offerer.swarm.peer(answerer.id)?.connections).to.deep.equal([conn], 'the same one')
    expect(answerer.swarm.peer(offerer.id)?.connections).to.deep.equal([other])
    await sessionDataArrives(offerer, answerer, 'after the restart')
    await sessionDataArrives(answerer, offerer, 'back after the restart')
    expect([...a.leaves, ...b.leaves, ...a.disconnected, ...b.disconnected]).to.deep.equal([])
  })

  it('an ICE restart goes through another peer of the lobby when no tracker is left', async () => {
    const t = await startTracker()
    const name = `restart-relay-${++lobbyCount}`
    const a = await member([t.url], name)
    const b = await member([t.url], name)
    const c = await member([t.url], name)
    const pairs: Array<[Member, Member]> = [
      [a, b],
      [a, c],
      [b, c],
    ]
    await waitFor('a full mesh', () => pairs.every(([x, y]) => sees(x, y) && sees(y, x)))
    await t.stop()
    const [offerer, conn, answerer] = connectionOf(a, b)
    const before = credentials(conn)
    expect(await offerer.swarm.restarts.restart(conn)).to.equal(true, 'sent through c')
    await waitFor('the restart completed', () => offerer.swarm.restarts.stats.completed === 1)
    expect(answerer.swarm.restarts.stats.answered).to.equal(1)
    expect(credentials(conn)).to.not.equal(before)
    await waitFor('ICE connected again', () => conn.rtc.iceConnectionState === 'connected')
    await sessionDataArrives(offerer, answerer, 'after a relayed restart')
    expect(offerer.swarm.peer(answerer.id)?.connections).to.deep.equal([conn])
  })

  it('refuses restart signals that are forged, or that name a connection of someone else', async () => {
    const { a, b } = await connectedPair('restart-forged')
    const [offerer, conn, answerer, other] = connectionOf(a, b)
    const sdp = conn.rtc.currentLocalDescription?.sdp ?? ''
    const topic = [...(answerer.swarm.peer(offerer.id)?.localTopics ?? [])][0] ?? ''
    const fields = { kind: 'restart' as const, topic, to: answerer.id, offerId: 'ab'.repeat(20) }

    const untouched = credentials(other)
    // Signed by a stranger, claiming to come from the offerer.
    const stranger = await generateLocalPeer()
    const forged = await signEnvelope(stranger, { ...fields, sdp })
    let error: unknown = null
    await answerer.swarm.restarts.onSignal({ ...forged, from: offerer.id }).catch((err) => {
      error = err
    })
    expect((error as { code?: string } | null)?.code).to.equal('unauthenticated')
    // Signed by the stranger as itself, for the offerer's connection: not its connection.
    await answerer.swarm.restarts.onSignal(forged)
    expect(answerer.swarm.restarts.stats.answered).to.equal(0)
    expect(credentials(other)).to.equal(untouched)
    // Properly signed, then replayed: taken once.
    const real = await signEnvelope(offerer.swarm.local, { ...fields, sdp })
    await answerer.swarm.restarts.onSignal(real)
    await answerer.swarm.restarts.onSignal(real)
    expect(answerer.swarm.restarts.stats.answered).to.equal(1)
  })

  it('a fresh connection takes over a peer gone quiet: connecting, connected, no peer-leave', async () => {
    // A 1.5 s timeout and 4 s grace: time for a fresh connection.
    const heartbeat = { interval: 300, timeout: 1_500, pathGrace: 4_000 }
    const recovery = { firstRestart: 1e9, freshAfter: 300 }
    const { a, b } = await connectedPair('fresh', { heartbeat, recovery })
    const [, conn] = connectionOf(a, b)
    a.states.length = 0
    b.states.length = 0

    // The cut: every frame either side sends on the data channels open now is
    // lost. ICE stays up, so no restart helps; a new connection does.
    const cut = channels.cut()
    try {
      await waitFor(
        'a fresh connection on both sides',
        () =>
          [a.swarm.peer(b.id), b.swarm.peer(a.id)].every((p) =>
            p?.connections.some((c) => c !== conn && !c.stalled && c.state === 'ready'),
          ),
        8_000,
      )
      await waitFor('both connected again', () =>
        [a, b].every((m) => m.lobby.state === 'connected'),
      )
      await sessionDataArrives(a, b, 'over the fresh connection')
      await waitFor('the quiet one ended', () => conn.state === 'closed', 10_000)
    } finally {
      cut.restore()
    }
    for (const m of [a, b]) {
      expect(m.states, 'the lobby showed the outage').to.include('connecting')
      expect(m.states.at(-1)).to.equal('connected')
      expect(m.leaves, 'no peer-leave').to.deep.equal([])
      expect(m.disconnected).to.deep.equal([])
    }
    expect(a.lobby.peers.has(b.id) && b.lobby.peers.has(a.id)).to.equal(true)
  })
})
