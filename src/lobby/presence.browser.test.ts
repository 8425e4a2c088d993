/// <reference types="mocha" />
// Presence beyond the direct-connection budget: four swarms in one page, real
// WebRTC, a real tracker on 127.0.0.1. A and D may hold one connection each,
// so they never connect to each other, yet each sees the other (path `mesh`)
// with its session-data, through B and C.
import { expect } from '@esm-bundle/chai'
import { startTracker, stopTrackers, testSwarm, waitFor } from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import type { Swarm } from '../swarm/swarm.js'
import { Lobby } from './lobby.js'

const ORIGIN = 'https://a.example'
const swarms: Swarm[] = []
const lobbies: Lobby[] = []

interface Member {
  lobby: Lobby
  swarm: Swarm
  errors: P2PError[]
}

async function join(url: string, name: string, maxPeers: number): Promise<Member> {
  const swarm = await testSwarm([url], { announceInterval: 1_000 })
  swarms.push(swarm)
  const lobby = await Lobby.join({
    swarm,
    origin: ORIGIN,
    name,
    maxPeers,
    presence: { refresh: 2_000, minInterval: 100 },
  })
  lobbies.push(lobby)
  const member: Member = { lobby, swarm, errors: [] }
  lobby.on('error', ({ error }) => member.errors.push(error))
  return member
}

const connected = (a: Member, b: Member) => a.swarm.peer(b.swarm.peerId) !== undefined
const view = (a: Member, b: Member) => a.lobby.peers.get(b.swarm.peerId)
const dataOf = (a: Member, b: Member) => {
  const data = view(a, b)?.sessionData
  return data ? new TextDecoder().decode(data) : null
}

afterEach(async () => {
  for (const l of lobbies.splice(0)) l.leave()
  for (const s of swarms.splice(0)) s.destroy()
  await stopTrackers()
})

describe('Lobby presence through the mesh (real WebRTC, real tracker)', () => {
  it('members past the budget see each other and their session-data through others', async () => {
    const t = await startTracker()
    const name = `presence-${Math.random().toString(36).slice(2)}`
    const a = await join(t.url, name, 1)
    a.lobby.setSessionData('a: at the door')
    const b = await join(t.url, name, 3)
    await waitFor('a and b connect', () => connected(a, b) && a.lobby.state === 'full', 10_000)
    const c = await join(t.url, name, 3)
    await waitFor('b and c connect', () => connected(b, c), 10_000)
    const d = await join(t.url, name, 1)
    await waitFor('d connects to b or c', () => d.lobby.state === 'full', 15_000)
    expect(connected(a, d), 'a and d hold one connection each, already used').to.equal(false)

    await waitFor('a and d see each other through the mesh', () => !!view(a, d) && !!view(d, a))
    expect(view(a, d)?.path).to.equal('mesh')
    expect(view(d, a)?.path).to.equal('mesh')
    expect(view(a, d)?.identityUrl).to.equal(d.swarm.local.identityUrl)
    expect(a.lobby.peers.size, 'a sees everyone').to.equal(3)
    expect(d.lobby.peers.size, 'd sees everyone').to.equal(3)
    expect(a.lobby.paths.mesh).to.equal(2)
    await waitFor('d has a’s session-data', () => dataOf(d, a) === 'a: at the door')

    // Changes travel too, both ways.
    d.lobby.setSessionData('d: arrived')
    a.lobby.setSessionData('a: inside')
    await waitFor('a has d’s new data', () => dataOf(a, d) === 'd: arrived')
    await waitFor('d has a’s new data', () => dataOf(d, a) === 'a: inside')

    // So does a new name, as an event.
    const renamed = new Promise<string | undefined>((resolve) =>
      a.lobby.on('peer-profile', ({ peer }) => {
        if (peer.peerId === d.swarm.peerId) resolve(peer.profile?.name)
      }),
    )
    d.lobby.setProfile({ name: 'Dee', created: 1 })
    expect(await renamed).to.equal('Dee')
    expect(view(a, d)?.profile).to.deep.equal({ name: 'Dee', created: 1 })

    // A member that leaves is gone for the others at once, not at its record's expiry.
    const left = new Promise((resolve) =>
      d.lobby.on('peer-leave', ({ peer }) => peer.peerId === a.swarm.peerId && resolve(true)),
    )
    a.lobby.leave()
    await left
    expect(view(d, a)).to.equal(undefined)
    // Nothing went wrong: an offer that reached a full member was refused
    // (lobby-full) on the way to one with room, as the README documents.
    const codes = [...b.errors, ...c.errors, ...d.errors].map((e) => e.code)
    expect(codes.filter((code) => code !== 'lobby-full')).to.deep.equal([])
  })
})
