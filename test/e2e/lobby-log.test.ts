/**
 * Lobby-log signaling end to end (seed 000 option 2): Alice hosts a session
 * while no tracker is reachable by her; Bob, who shares no tracker and no
 * lobby with her, joins it through the logs that Carol (connected to both,
 * in other lobbies) carries. Real Chromium profiles, real WebRTC, real
 * trackers on 127.0.0.1. The page says the connection took the lobby log.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import type { Lobby } from '../../src/api/types.js'
import { allow, fixtureServer, nameIdentity, openPage, profile, useTrackers } from './harness.js'
import { joinIn, waitForLog } from './lobby-helpers.js'

interface Person {
  profile: Profile
  page: Page
  identity: { url: string; name: string; created: number }
}

async function person(name: string, trackers: string[], origin: string): Promise<Person> {
  const p = await profile(name)
  await useTrackers(p, trackers)
  await nameIdentity(p, name)
  const page = await openPage(p, `${origin}/index.html`)
  const identity = await allow(p, page, 'main', { friends: true })
  return { profile: p, page, identity }
}

function sees(p: Person, lobby: string, other: Person): Promise<unknown> {
  return waitForLog(
    p.page,
    lobby,
    (e) => e.type === 'peer-join' && e.identity?.url === other.identity.url,
    1,
    20_000,
  )
}

describe('lobby-log signaling', () => {
  let site: StaticServer
  const people: Person[] = []
  const trackers: RunningTracker[] = []

  before(async () => {
    site = await fixtureServer('127.0.0.1')
  })
  after(async () => {
    await Promise.all(people.splice(0).map((p) => p.profile.close()))
    await Promise.all(trackers.splice(0).map((t) => t.close()))
    await site?.close()
  })

  it("Bob joins Alice's hosted session through the lobby logs Carol carries; Alice's tracker is down", async () => {
    const t1 = await startTracker()
    const t2 = await startTracker()
    trackers.push(t1, t2)
    const alice = await person('Alice', [t1.url], site.origin)
    const carol = await person('Carol', [t1.url, t2.url], site.origin)
    const bob = await person('Bob', [t2.url], site.origin)
    people.push(alice, carol, bob)
    // Carol meets Alice in one lobby and Bob in another; Alice and Bob never meet.
    await joinIn(alice.page, 'a')
    await joinIn(carol.page, 'a')
    await joinIn(carol.page, 'b')
    await joinIn(bob.page, 'b')
    await sees(carol, 'a', alice)
    await sees(carol, 'b', bob)

    // Alice's only tracker goes away, then she hosts.
    await t1.close()
    const url = await alice.page.evaluate(async () => {
      const w = window as unknown as { hosted: Lobby }
      w.hosted = await window.p2p.host({ name: 'Log night', maxPeers: 4 })
      return w.hosted.url
    })

    // Bob's tracker never saw Alice, and he shares no lobby with her: only the logs remain.
    const joined = await bob.page.evaluate(async (u) => {
      try {
        const lobby = await window.p2p.joinLobby(u)
        // The page hears of the host's peer-join just after the join resolves.
        for (let i = 0; i < 50 && lobby.peers.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 100))
        }
        const peers = lobby.peers.map((p) => ({ url: p.identity?.url, path: p.path }))
        return { peers, paths: lobby.paths }
      } catch (err) {
        return { error: (err as { code?: string }).code ?? String(err) }
      }
    }, url)
    assert.ok(!('error' in joined), `join failed: ${JSON.stringify(joined)}`)
    assert.deepEqual(joined.peers, [{ url: alice.identity.url, path: 'lobby-log' }])
    // The join's answer already says how its peers were reached (not only later state events).
    assert.deepEqual(joined.paths, { 'lobby-log': 1 })
  })
})
