/**
 * Lobby-log signaling end to end (seed 000 option 2): Alice hosts a session
 * with every tracker down; Bob, who shares no tracker and no lobby with her,
 * joins it through the logs that Carol (connected to both, in other lobbies)
 * carries. Real Chromium profiles, real WebRTC, real trackers on 127.0.0.1
 * (until they close). The page and the popup say the connection took the
 * lobby log.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Lobby } from '../../src/api/types.js'
import { openPopup, tabIdOf } from './harness.js'
import { joinIn, lobbyWorld, person, waitForLog, type Person } from './lobby-helpers.js'

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
  const world = lobbyWorld()

  it("Bob joins Alice's hosted session through the lobby logs Carol carries; every tracker is down", async () => {
    const t1 = await world.startTracker()
    const t2 = await world.startTracker()
    const origin = world.site.origin
    const alice = await person('Alice', [t1.url], origin, { friends: true })
    const carol = await person('Carol', [t1.url, t2.url], origin, { friends: true })
    const bob = await person('Bob', [t2.url], origin, { friends: true })
    world.people.push(alice, carol, bob)
    // Carol meets Alice in one lobby and Bob in another; Alice and Bob never meet.
    await joinIn(alice.page, 'a')
    await joinIn(carol.page, 'a')
    await joinIn(carol.page, 'b')
    await joinIn(bob.page, 'b')
    await sees(carol, 'a', alice)
    await sees(carol, 'b', bob)

    // Every tracker goes away, then Alice hosts.
    await Promise.all([t1.close(), t2.close()])
    const url = await alice.page.evaluate(async () => {
      const w = window as unknown as { hosted: Lobby }
      w.hosted = await window.p2p.host({ name: 'Log night', maxPeers: 4 })
      return w.hosted.url
    })

    // No tracker is up, and Bob shares no lobby with Alice: only the logs remain.
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

    // The popup says it too.
    const tab = await tabIdOf(bob.profile, bob.page)
    const popup = await openPopup(bob.profile, `?origin=${origin}&tab=${tab}`)
    const row = popup.locator('li[data-path="lobby-log"]').filter({ hasText: 'Alice' })
    await row.getByText('via lobby log').waitFor({ timeout: 10_000 })
    await popup.close()
  })
})
