/**
 * Lobbies end to end: separate Chromium processes with the built extension,
 * real WebRTC, real bittorrent-tracker servers on 127.0.0.1. Peers meet,
 * see each other's authenticated identity and session-data, leave within
 * 5 s when a browser closes; lobbies of two origins never meet; one shared
 * tracker is enough; four browsers mesh; session-data outlives the page.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import {
  admin,
  extensionPage,
  fixtureServer,
  openPage,
  openPopup,
  tabIdOf,
  within,
} from './harness.js'
import {
  joinIn,
  lobbyWorld,
  logOf,
  person,
  waitForLog,
  type Logged,
  type Person,
} from './lobby-helpers.js'

const joinsOf = (log: Logged[], lobby: string) =>
  log.filter((e) => e.lobby === lobby && e.type === 'peer-join')

describe('lobbies over WebRTC', () => {
  let site: StaticServer
  let other: StaticServer
  let tracker: RunningTracker
  const people: Person[] = []

  before(async () => {
    site = await fixtureServer('127.0.0.1')
    other = await fixtureServer('localhost')
    tracker = await startTracker()
  })
  after(async () => {
    await Promise.all(people.map((p) => p.profile.close()))
    await site?.close()
    await other?.close()
    await tracker?.close()
  })

  it('two browsers meet: identity, session-data, size limit, leave within 5 s', async () => {
    const alice = await person('Alice', [tracker.url], site.origin)
    const bob = await person('Bob', [tracker.url], site.origin)
    people.push(alice, bob)
    await joinIn(alice.page, 'lobby-a')
    await joinIn(bob.page, 'lobby-a')

    const [aSees] = await waitForLog(alice.page, 'lobby-a', 'peer-join', 1, 20_000)
    const [bSees] = await waitForLog(bob.page, 'lobby-a', 'peer-join', 1, 20_000)
    assert.deepEqual(aSees?.identity, bob.identity)
    assert.deepEqual(bSees?.identity, alice.identity)

    // The popup lists who is in this tab's lobbies.
    const tab = await tabIdOf(alice.profile, alice.page)
    const popup = await openPopup(alice.profile, `?origin=${site.origin}&tab=${tab}`)
    const row = popup.locator('li[data-lobby="lobby-a"]')
    await row.getByText('Bob', { exact: true }).waitFor({ timeout: 10_000 })
    await popup.close()

    await alice.page.evaluate(() => window.lobbies['lobby-a']!.setSessionData('hello'))
    const [got] = await waitForLog(bob.page, 'lobby-a', 'session-data', 1, 10_000)
    assert.equal(got?.data, 'hello')
    assert.equal(got?.peer, bSees?.peer, 'the event names the peer that joined')

    const tooBig = await alice.page.evaluate(() =>
      window.lobbies['lobby-a']!.setSessionData('x'.repeat(300)).then(
        () => 'accepted',
        (e: { code: string }) => e.code,
      ),
    )
    assert.equal(tooBig, 'payload-too-large')

    // Bob closes his browser the way a person does: the window (its tab, with
    // the page's unload), then the browser quits. Playwright's close alone
    // quits at once, skipping unload, and can take the extension down before
    // it says goodbye (a peer that vanishes like that leaves within the
    // silent-peer bound, vanish.test.ts); so the browser quits here once
    // Bob's engine has let the closed tab's lobby go.
    const bobTab = await tabIdOf(bob.profile, bob.page)
    const bobAdmin = await extensionPage(bob.profile, 'extension/options/options.html')
    const closedAt = Date.now()
    await bob.page.close({ runBeforeUnload: true })
    await within(5_000, "the engine letting Bob's closed tab go", async () => {
      while ((await admin(bobAdmin, 'lobbies.ofTab', { tabId: bobTab })).length > 0) {
        await new Promise((r) => setTimeout(r, 20))
      }
    })
    await bob.profile.close()
    people.splice(people.indexOf(bob), 1)
    const [left] = await waitForLog(alice.page, 'lobby-a', 'peer-leave', 1, 10_000)
    assert.ok(left && left.at - closedAt < 5_000, `peer-leave after ${left!.at - closedAt} ms`)
    assert.equal(left.peer, aSees?.peer)
  })

  it('the same lobby name on two origins never connects', async () => {
    const carol = await person('Carol', [tracker.url], site.origin)
    const dave = await person('Dave', [tracker.url], other.origin)
    people.push(carol, dave)
    const known = new Set(tracker.swarms().keys())
    await joinIn(carol.page, 'same-name')
    await joinIn(dave.page, 'same-name')
    // Both announced to the same tracker, under two different info hashes.
    await within(10_000, 'both announced', async () => {
      while ([...tracker.swarms()].filter(([h, n]) => !known.has(h) && n === 1).length < 2) {
        await new Promise((r) => setTimeout(r, 100))
      }
    })
    await new Promise((r) => setTimeout(r, 4_000))
    assert.equal(joinsOf(await logOf(carol.page), 'same-name').length, 0)
    assert.equal(joinsOf(await logOf(dave.page), 'same-name').length, 0)
    await Promise.all([carol, dave].map((p) => p.profile.close()))
    people.splice(people.indexOf(carol), 2)
  })

  it('two browsers that share only one of their trackers still meet', async () => {
    const left = await startTracker()
    const right = await startTracker()
    const shared = await startTracker()
    try {
      const erin = await person('Erin', [left.url, shared.url], site.origin)
      const frank = await person('Frank', [right.url, shared.url], site.origin)
      people.push(erin, frank)
      await joinIn(erin.page, 'one-shared')
      await joinIn(frank.page, 'one-shared')
      const [seen] = await waitForLog(erin.page, 'one-shared', 'peer-join', 1, 20_000)
      assert.equal(seen?.identity?.url, frank.identity.url)
      await Promise.all([erin, frank].map((p) => p.profile.close()))
      people.splice(people.indexOf(erin), 2)
    } finally {
      await Promise.all([left, right, shared].map((t) => t.close()))
    }
  })
})

describe('lobbies: four browsers, and session-data that outlives the page', () => {
  const world = lobbyWorld()

  it('four browsers: everyone sees everyone; session-data from one reaches all three', async () => {
    for (const name of ['Gina', 'Hal', 'Ida', 'Jon']) {
      world.people.push(await person(name, [world.tracker.url], world.site.origin))
    }
    await Promise.all(world.people.map((p) => joinIn(p.page, 'four')))
    await Promise.all(world.people.map((p) => waitForLog(p.page, 'four', 'peer-join', 3, 30_000)))
    for (const p of world.people) {
      const seen = new Set(joinsOf(await logOf(p.page), 'four').map((e) => e.identity?.url))
      const others = world.people.filter((o) => o !== p).map((o) => o.identity.url)
      assert.deepEqual([...seen].sort(), others.sort(), `${p.profile.name} sees the three others`)
    }
    await world.people[0]!.page.evaluate(() => window.lobbies.four!.setSessionData('from Gina'))
    for (const p of world.people.slice(1)) {
      const [got] = await waitForLog(p.page, 'four', 'session-data', 1, 10_000)
      assert.equal(got?.data, 'from Gina')
      assert.equal(got?.identity?.url, world.people[0]!.identity.url)
    }
  })

  it('session-data survives closing the page: re-announced, and the peer value readable at load', async () => {
    const [gina, hal] = world.people as [Person, Person]
    await gina.page.evaluate(() => window.lobbies.four!.leave())
    await joinIn(gina.page, 'kept')
    await joinIn(hal.page, 'kept')
    await waitForLog(hal.page, 'kept', 'peer-join', 1, 20_000)
    await hal.page.evaluate(() => window.lobbies.kept!.setSessionData('hal was here'))
    await gina.page.evaluate(() => window.lobbies.kept!.setSessionData('gina was here'))
    await waitForLog(gina.page, 'kept', 'session-data', 1, 10_000)
    await waitForLog(hal.page, 'kept', 'session-data', 1, 10_000)

    // Gina closes her page: Hal sees her go.
    await gina.page.close()
    await waitForLog(hal.page, 'kept', 'peer-leave', 1, 10_000)

    // She comes back: before joining, the page can read what was kept…
    gina.page = await openPage(gina.profile, `${world.site.origin}/index.html`)
    const kept = await gina.page.evaluate(async () => {
      const r = await window.p2p.retainedSessionData('kept')
      const decoder = new TextDecoder()
      return {
        self: r.self && decoder.decode(r.self),
        peers: r.peers.map((p) => [p.identity, decoder.decode(p.data)]),
      }
    })
    assert.equal(kept.self, 'gina was here')
    assert.deepEqual(kept.peers, [[hal.identity.url, 'hal was here']])

    // …and on joining, her value goes out again without the page setting it.
    await joinIn(gina.page, 'kept')
    assert.equal(
      await gina.page.evaluate(() =>
        new TextDecoder().decode(window.lobbies.kept!.getSessionData() ?? new Uint8Array()),
      ),
      'gina was here',
    )
    const again = await waitForLog(hal.page, 'kept', 'session-data', 2, 20_000)
    assert.equal(again[1]?.data, 'gina was here')
    assert.equal(again[1]?.identity?.url, gina.identity.url)
  })
})

describe('lobbies when the engine goes away', () => {
  let site: StaticServer
  let tracker: RunningTracker
  let ivy: Person | undefined

  before(async () => {
    site = await fixtureServer('127.0.0.1')
    tracker = await startTracker()
    ivy = await person('Ivy', [tracker.url], site.origin)
  })
  after(async () => {
    await ivy?.profile.close()
    await site?.close()
    await tracker?.close()
  })

  it('a crashed engine closes the pages\u2019 lobbies, and joining again starts a new one', async () => {
    assert.ok(ivy)
    await joinIn(ivy.page, 'fragile')
    // The offscreen document goes away, as on a crash: every lobby in it is gone.
    const sw = await ivy.profile.serviceWorker()
    await sw.evaluate(() => chrome.offscreen.closeDocument())
    const closed = await waitForLog(ivy.page, 'fragile', 'state', 1, 10_000)
    assert.equal(closed.at(-1)?.state, 'closed')
    assert.equal(await ivy.page.evaluate(() => window.lobbies.fragile!.state), 'closed')

    // The page can join again: the engine comes back on demand.
    const state = await joinIn(ivy.page, 'fragile')
    assert.ok(['discovering', 'connecting'].includes(state), state)
  })
})
