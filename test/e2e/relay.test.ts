/**
 * Signaling that survives trackers, end to end: separate Chromium processes
 * with the built extension, real WebRTC, real bittorrent-tracker servers on
 * 127.0.0.1. Once connected to anyone in a lobby, a browser reaches the
 * others through the peers it has (the peer relay): when its tracker is
 * gone, when the others use other trackers, and at once when many join
 * together. Pages and the popup say which path each connection took.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { openPopup, tabIdOf, within } from './harness.js'
import { joinIn, lobbyWorld, logOf, person, waitForLog, type Person } from './lobby-helpers.js'

/** Who `p` sees in `lobby`, by identity URL, with the path of each connection. */
function pathsSeen(p: Person, lobby: string): Promise<Record<string, string | null>> {
  return p.page.evaluate(
    (name) =>
      Object.fromEntries(
        window.lobbies[name]!.peers.map((peer) => [
          peer.identity?.url ?? peer.id,
          peer.path ?? null,
        ]),
      ),
    lobby,
  )
}

/**
 * Waits until `p` is connected in `lobby` to each of `others` (a peer-join,
 * or a peer-update of one first seen through the mesh); when the last came
 * (page clock).
 */
async function seesAll(p: Person, lobby: string, others: Person[], ms: number): Promise<number> {
  const wanted = new Set(others.map((o) => o.identity.url))
  return within(ms, `${p.identity.name} connected to ${others.length} in ${lobby}`, async () => {
    for (;;) {
      const first = new Map<string, number>()
      for (const e of await logOf(p.page)) {
        const url = e.identity?.url ?? ''
        const connects = e.type === 'peer-join' || e.type === 'peer-update'
        if (e.lobby === lobby && connects && e.path !== 'mesh' && wanted.has(url)) {
          if (!first.has(url)) first.set(url, e.at)
        }
      }
      if (first.size === wanted.size) return Math.max(...first.values())
      await new Promise((r) => setTimeout(r, 100))
    }
  })
}

function sessionData(from: Person, lobby: string, text: string): Promise<void> {
  return from.page.evaluate(([l, t]) => window.lobbies[l]!.setSessionData(t), [
    lobby,
    text,
  ] as const)
}

async function receives(to: Person, lobby: string, from: Person, text: string): Promise<void> {
  await waitForLog(
    to.page,
    lobby,
    (e) => e.type === 'session-data' && e.identity?.url === from.identity.url && e.data === text,
    1,
    15_000,
  )
}

describe('signaling through peers', () => {
  const world = lobbyWorld()
  const { people } = world

  async function close(...gone: Person[]): Promise<void> {
    await Promise.all(gone.map((p) => p.profile.close()))
    for (const p of gone) people.splice(people.indexOf(p), 1)
  }

  it('with the tracker gone, a newcomer reaches A through B: all see each other, session-data flows', async () => {
    const t1 = await world.startTracker()
    const t2 = await world.startTracker()
    const alice = await person('Alice', [t1.url], world.site.origin)
    const bob = await person('Bob', [t1.url, t2.url], world.site.origin)
    people.push(alice, bob)
    await joinIn(alice.page, 'gone')
    await joinIn(bob.page, 'gone')
    await seesAll(alice, 'gone', [bob], 20_000)
    await seesAll(bob, 'gone', [alice], 20_000)

    // Alice's only tracker goes away; Carol knows only the one Bob also uses.
    await t1.close()
    const carol = await person('Carol', [t2.url], world.site.origin)
    people.push(carol)
    await joinIn(carol.page, 'gone')
    await seesAll(carol, 'gone', [alice, bob], 20_000)
    await seesAll(alice, 'gone', [carol], 20_000)
    await seesAll(bob, 'gone', [carol], 20_000)

    assert.equal((await pathsSeen(carol, 'gone'))[alice.identity.url], 'relay')
    assert.equal((await pathsSeen(alice, 'gone'))[carol.identity.url], 'relay')
    assert.equal((await pathsSeen(alice, 'gone'))[bob.identity.url], 'tracker')

    await sessionData(alice, 'gone', 'alice here')
    await sessionData(carol, 'gone', 'carol here')
    await receives(carol, 'gone', alice, 'alice here')
    await receives(alice, 'gone', carol, 'carol here')
    await receives(bob, 'gone', carol, 'carol here')
    await close(alice, bob, carol)
  })

  it('A and C on different trackers, B on both: A and C connect directly; the popup says how', async () => {
    const left = await world.startTracker()
    const right = await world.startTracker()
    const alice = await person('Ann', [left.url], world.site.origin)
    const bob = await person('Ben', [left.url, right.url], world.site.origin)
    const carol = await person('Cat', [right.url], world.site.origin)
    people.push(alice, bob, carol)
    await Promise.all([alice, bob, carol].map((p) => joinIn(p.page, 'apart')))
    await seesAll(alice, 'apart', [bob, carol], 20_000)
    await seesAll(carol, 'apart', [alice, bob], 20_000)
    assert.equal((await pathsSeen(alice, 'apart'))[carol.identity.url], 'relay')

    // The state event says how many peers each path connected.
    const paths = await alice.page.evaluate(() => window.lobbies.apart!.paths)
    assert.deepEqual(paths, { tracker: 1, relay: 1 })

    const tab = await tabIdOf(alice.profile, alice.page)
    const popup = await openPopup(alice.profile, `?origin=${world.site.origin}&tab=${tab}`)
    const row = popup.locator('li[data-lobby="apart"]')
    await row.locator('li[data-path="relay"]').getByText('Cat', { exact: true }).waitFor()
    await row.locator('li[data-path="tracker"]').getByText('Ben', { exact: true }).waitFor()
    await popup.close()
    await close(alice, bob, carol)
  })

  it('six browsers joining one lobby at once: every member sees every other', async () => {
    // Each announce's offers reach one peer: the tracker alone meets a joiner with one
    // member until its next announce (a minute away); the other links come through relay.
    const t = await world.startTracker({ offersPerAnnounce: 1 })
    const six: Person[] = []
    for (const name of ['Uma', 'Vic', 'Wes', 'Xia', 'Yan', 'Zoe']) {
      six.push(await person(name, [t.url], world.site.origin))
    }
    people.push(...six)
    // As the bench counts: from the moment the last browser started joining.
    const joined = await Promise.all(
      six.map(async (p) => {
        const at = Date.now()
        await joinIn(p.page, 'six', { maxPeers: 8 })
        return at
      }),
    )
    const last = Math.max(...joined)
    const paths: string[] = []
    const seen = await Promise.all(
      six.map(async (p) => {
        const others = six.filter((o) => o !== p)
        const at = await seesAll(p, 'six', others, 20_000)
        const seenPaths = await pathsSeen(p, 'six')
        assert.deepEqual(Object.keys(seenPaths).sort(), others.map((o) => o.identity.url).sort())
        paths.push(...Object.values(seenPaths).map(String))
        return at
      }),
    )
    const ms = Math.max(...seen) - last
    const relayed = paths.filter((p) => p === 'relay').length / 2
    console.log(
      `six browsers fully meshed (15 links, ${relayed} relayed) ${ms} ms after the last join`,
    )
    // One offer per announce meets at most one member per joiner: the rest took the relay.
    assert.ok(relayed >= 15 - 6, `only ${relayed} of 15 links came through relay`)
    // The bench's bound (mesh.lobby: 8 profiles within 3 s).
    assert.ok(ms <= 3_000, `meshed after ${ms} ms`)
    await close(...six)
  })
})
