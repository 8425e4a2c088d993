/**
 * Presence beyond a lobby's direct-connection budget, end to end: three
 * Chromium processes with the built extension, real WebRTC, a real tracker
 * on 127.0.0.1. Ann and Cal may hold one connection each and both spend it
 * on Bea, so they never connect; each still reaches the other's page through
 * Bea (path `mesh`): arrival, session-data, a rename, and leaving.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nameIdentity } from './harness.js'
import { joinIn, lobbyWorld, person, waitForLog, type Person } from './lobby-helpers.js'

describe('presence through the mesh', () => {
  const world = lobbyWorld()

  it('a member past the budget arrives, updates, is renamed and leaves, as path mesh', async () => {
    const tr = world.tracker.url
    const origin = world.site.origin
    for (const name of ['Ann', 'Bea', 'Cal']) world.people.push(await person(name, [tr], origin))
    const [ann, bea, cal] = world.people
    const of = (p: Person) => p.identity.url
    const about =
      (p: Person, type: string) => (e: { type: string; identity?: { url: string } | null }) =>
        e.type === type && e.identity?.url === of(p)

    await joinIn(ann!.page, 'beyond', { maxPeers: 1 })
    await joinIn(bea!.page, 'beyond', { maxPeers: 2 })
    const [met] = await waitForLog(ann!.page, 'beyond', about(bea!, 'peer-join'), 1, 20_000)
    assert.equal(met!.path, 'tracker')

    // Ann's one connection is Bea: Cal can only take Bea's second.
    await joinIn(cal!.page, 'beyond', { maxPeers: 1 })
    const [seen] = await waitForLog(ann!.page, 'beyond', about(cal!, 'peer-join'), 1, 20_000)
    assert.equal(seen!.path, 'mesh')
    assert.equal(seen!.identity?.name, 'Cal')
    const annPeers = await ann!.page.evaluate(() => ({
      paths: window.lobbies.beyond!.paths,
      peers: window.lobbies.beyond!.peers.map((p) => [p.identity?.name, p.path]),
    }))
    assert.deepEqual(annPeers.paths, { tracker: 1, mesh: 1 })
    assert.deepEqual(annPeers.peers.sort(), [
      ['Bea', 'tracker'],
      ['Cal', 'mesh'],
    ])

    await cal!.page.evaluate(() => window.lobbies.beyond!.setSessionData('cal: hello'))
    const data = (e: { data?: string }) => e.data === 'cal: hello'
    await waitForLog(
      ann!.page,
      'beyond',
      (e) => about(cal!, 'session-data')(e) && data(e),
      1,
      15_000,
    )

    await nameIdentity(cal!.profile, 'Cass')
    const [renamed] = await waitForLog(
      ann!.page,
      'beyond',
      (e) => about(cal!, 'peer-update')(e) && e.identity?.name === 'Cass',
      1,
      15_000,
    )
    assert.equal(renamed!.path, 'mesh')

    await cal!.page.evaluate(() => window.lobbies.beyond!.leave())
    // At once (its goodbye), not when its record would expire (30 s).
    await waitForLog(ann!.page, 'beyond', about(cal!, 'peer-leave'), 1, 5_000)
    const left = await ann!.page.evaluate(() => window.lobbies.beyond!.peers.length)
    assert.equal(left, 1)
  })
})
