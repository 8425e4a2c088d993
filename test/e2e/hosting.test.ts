/**
 * Hosting, friends and invites end to end (issue 7): three Chromium
 * profiles with the built extension, real WebRTC, a real tracker on
 * 127.0.0.1 that records everything it is sent. Alice invites Bob; Alice
 * hosts "Game night" (2 peers, a password); Bob sees it in friends() and in
 * his popup, presses Join there and joins with the password in the tab it
 * opens; Carol is refused with wrong-password, then rate-limited, then
 * lobby-full; when Alice leaves, Bob's view (and his open popup) drop the
 * session at once; when Alice's browser closes, within two heartbeat
 * intervals. The tracker never sees the password, nor a hash of it.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Friend, Lobby } from '../../src/api/types.js'
import {
  admin,
  allow,
  axeViolations,
  extensionPage,
  openPage,
  openPopup,
  profile,
  tabIdOf,
  useTrackers,
  within,
} from './harness.js'
import { lobbyWorld, person as launchPerson, type Person } from './lobby-helpers.js'

/** Heartbeat of session.json in this test (the admin setting; 1 min by default). */
const HEARTBEAT = 2_000
const PASSWORD = 'correct horse battery staple'

declare global {
  interface Window {
    hosted?: Lobby
    friendsChanges?: number
  }
}

/** Someone with friends allowed and a short heartbeat, counting friendschange events. */
async function person(name: string, trackers: string[], origin: string): Promise<Person> {
  const someone = await launchPerson(name, trackers, origin, {
    friends: true,
    configure: async (p) => {
      const options = await extensionPage(p, 'extension/options/options.html')
      await admin(options, 'settings.setHeartbeat', { ms: HEARTBEAT })
      await options.close()
    },
  })
  await someone.page.evaluate(() => {
    window.friendsChanges = 0
    window.p2p.addEventListener('friendschange', () => window.friendsChanges!++)
  })
  return someone
}

function friendsOf(page: Page): Promise<Friend[]> {
  return page.evaluate(() => window.p2p.friends())
}

async function until<T>(ms: number, what: string, check: () => Promise<T | null>): Promise<T> {
  return within(ms, what, async () => {
    for (;;) {
      const value = await check()
      if (value) return value
      await new Promise((r) => setTimeout(r, 200))
    }
  })
}

/** Joins `url` in `page`; the error code on failure, 'joined' on success. */
function tryJoin(page: Page, url: string, password?: string): Promise<string> {
  return page.evaluate(
    async ([url, password]) => {
      try {
        const lobby = await window.p2p.joinLobby(url, password === undefined ? {} : { password })
        ;(window as unknown as { joined: Lobby }).joined = lobby
        return 'joined'
      } catch (err) {
        return (err as { code?: string }).code ?? String(err)
      }
    },
    [url, password] as const,
  )
}

describe('hosting sessions, friends and invites', () => {
  const world = lobbyWorld()

  it('Alice hosts "Game night"; her friend Bob joins with the password; Carol is refused', async () => {
    const alice = await person('Alice', [world.tracker.url], world.site.origin)
    const bob = await person('Bob', [world.tracker.url], world.site.origin)
    const carol = await person('Carol', [world.tracker.url], world.site.origin)
    world.people.push(alice, bob, carol)

    // Invites: a token works once and makes both sides friends.
    const token = await alice.page.evaluate(() => window.p2p.createInvite())
    assert.match(token, /^p2p-invite:1\./)
    const friend = await bob.page.evaluate((t) => window.p2p.acceptInvite(t), token)
    assert.equal(friend.identity.url, alice.identity.url)
    const again = await carol.page.evaluate(
      (t) =>
        window.p2p.acceptInvite(t).then(
          () => 'accepted',
          (e: { code: string }) => e.code,
        ),
      token,
    )
    assert.equal(again, 'invalid-argument', 'a used invite does not work a second time')
    await until(
      20_000,
      'Alice sees Bob as a friend, online',
      async () =>
        (await friendsOf(alice.page)).find(
          (f) => f.identity.url === bob.identity.url && f.online,
        ) ?? null,
    )
    assert.deepEqual(
      (await friendsOf(carol.page)).map((f) => f.identity.url),
      [],
      'Carol befriended nobody',
    )

    // Alice hosts.
    const hosted = await alice.page.evaluate(async (password) => {
      window.hosted = await window.p2p.host({ name: 'Game night', maxPeers: 2, password })
      return { name: window.hosted.name, url: window.hosted.url }
    }, PASSWORD)
    assert.equal(hosted.name, 'Game night')
    assert.ok(hosted.url.startsWith(`${alice.identity.url}?`), hosted.url)

    // Bob sees the session among his friends, and heard friendschange.
    const changesBefore = await bob.page.evaluate(() => window.friendsChanges ?? 0)
    const seen = await until(
      20_000,
      "Alice's session in Bob's friends()",
      async () => (await friendsOf(bob.page)).find((f) => f.session?.name === 'Game night') ?? null,
    )
    assert.equal(seen.identity.url, alice.identity.url)
    assert.equal(seen.identity.name, 'Alice')
    assert.equal(seen.online, true)
    assert.deepEqual(
      { ...seen.session, lastUpdate: 0 },
      {
        name: 'Game night',
        url: hosted.url,
        lastUpdate: 0,
        peers: 1,
        maxPeers: 2,
        protected: true,
      },
    )
    await until(10_000, 'friendschange at Bob', async () =>
      (await bob.page.evaluate(() => window.friendsChanges ?? 0)) > changesBefore ? true : null,
    )

    // A wrong password, then a retry at once: refused, then rate-limited.
    assert.equal(await tryJoin(carol.page, hosted.url, 'hunter2'), 'wrong-password')
    assert.equal(await tryJoin(carol.page, hosted.url, 'hunter3'), 'rate-limited')
    await new Promise((r) => setTimeout(r, 5_500)) // the host's first wait
    assert.equal(await tryJoin(carol.page, hosted.url), 'wrong-password', 'no password at all')
    const carolWaitsUntil = Date.now() + 10_500 // the second wait

    // Bob presses Join in his popup: the site opens in a new tab, whose
    // <p2p-sessions> takes that choice, asks for the password and joins.
    const joinPopup = await openPopup(bob.profile)
    const joinRow = joinPopup.locator(`li[data-friend="${alice.identity.url}"]`)
    await joinRow.getByText(/Hosting Game night \(1\/2, password\)/).waitFor({ timeout: 10_000 })
    const opened = bob.profile.context.waitForEvent('page')
    await joinRow.getByRole('button', { name: 'Join Game night' }).click()
    const bobSite = await opened
    await bobSite.waitForURL(`${world.site.origin}/`)
    // The fixture page is plain: it adds <p2p-sessions> as a site would.
    await bobSite.waitForFunction(() => 'p2p' in window)
    await bobSite.evaluate(() => document.body.append(document.createElement('p2p-sessions')))
    const sessions = bobSite.locator('p2p-sessions')
    const password = sessions.getByLabel('Password for Game night')
    await password.waitFor({ timeout: 10_000 })
    await password.fill(PASSWORD)
    await password.press('Enter')
    await sessions.getByText('Joined', { exact: true }).waitFor({ timeout: 20_000 })
    // Alice sees him; session.json counts him.
    const alicePeers = await until(10_000, 'Bob in Alice’s lobby', async () => {
      const ids = await alice.page.evaluate(() =>
        window.hosted!.peers.map((p) => p.identity?.url ?? null),
      )
      return ids.length > 0 ? ids : null
    })
    assert.deepEqual(alicePeers, [bob.identity.url])
    await until(
      10_000,
      'peers: 2 in session.json',
      async () => (await friendsOf(bob.page)).find((f) => f.session?.peers === 2) ?? null,
    )

    // Carol, with the right password now, finds the session full.
    await new Promise((r) => setTimeout(r, Math.max(0, carolWaitsUntil - Date.now())))
    assert.equal(await tryJoin(carol.page, hosted.url, PASSWORD), 'lobby-full')

    // The tracker was never sent the password, nor an easy hash of it.
    const sent = world.tracker.received().join('\n')
    assert.ok(sent.length > 0, 'the tracker recorded announces')
    for (const form of [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      Buffer.from(PASSWORD).toString('base64'),
      Buffer.from(PASSWORD).toString('hex'),
      createHash('sha256').update(PASSWORD).digest('hex'),
      createHash('sha256').update(PASSWORD).digest('base64'),
      'hunter2',
    ]) {
      assert.ok(!sent.includes(form), `the tracker saw ${form}`)
    }

    // Bob's popup for the tab he joined from, as wide as the real one (22rem),
    // shows Alice in this tab's session and among friends online, hosting, with
    // Join; it fits without a sideways scroll, and axe finds nothing with both
    // sections filled.
    const tab = await tabIdOf(bob.profile, bobSite)
    const popup = await openPopup(bob.profile, `?origin=${world.site.origin}&tab=${tab}`)
    await popup.setViewportSize({ width: 352, height: 700 })
    const row = popup.locator(`li[data-friend="${alice.identity.url}"]`)
    await row.getByText(/Hosting Game night \(2\/2, password\)/).waitFor({ timeout: 10_000 })
    await row.getByRole('button', { name: 'Join Game night' }).waitFor()
    await popup
      .locator('#lobby-peers-list li.person')
      .getByText('Alice', { exact: true })
      .waitFor({ timeout: 10_000 })
    const overflow = await popup.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    assert.ok(overflow <= 0, `the popup scrolls sideways by ${overflow} px`)
    assert.equal(await axeViolations(popup), '')

    // Alice leaves: session.json is deleted, so Bob's friends() and his open
    // popup drop the session well within one heartbeat.
    const leftAt = Date.now()
    await alice.page.evaluate(() => window.hosted!.leave())
    await until(HEARTBEAT, 'the session gone from Bob’s friends() after leave()', async () =>
      (await friendsOf(bob.page)).every((f) => !f.session) ? true : null,
    )
    assert.ok(Date.now() - leftAt < HEARTBEAT, `dropped after ${Date.now() - leftAt} ms`)
    await row.getByText(/Hosting Game night/).waitFor({ state: 'detached', timeout: HEARTBEAT })

    // Alice hosts again, for the crash below.
    await alice.page.evaluate(async () => {
      window.hosted = await window.p2p.host({ name: 'Game night', maxPeers: 2 })
    })
    await until(
      20_000,
      'the session back in Bob’s friends()',
      async () => (await friendsOf(bob.page)).find((f) => f.session?.name === 'Game night') ?? null,
    )
    await row.getByText(/Hosting Game night/).waitFor({ timeout: 10_000 })

    // Alice closes her browser: Bob's view drops the session within two heartbeats.
    await alice.profile.close()
    world.people.splice(world.people.indexOf(alice), 1)
    const closedAt = Date.now()
    await until(4 * HEARTBEAT + 10_000, 'the session gone from Bob’s friends()', async () =>
      (await friendsOf(bob.page)).every((f) => !f.session) ? true : null,
    )
    const took = Date.now() - closedAt
    assert.ok(took <= 2 * HEARTBEAT + 1_500, `dropped after ${took} ms`)
    // The popup, still open, redraws without the session.
    await row.getByText(/Hosting Game night/).waitFor({ state: 'detached', timeout: 10_000 })
    await popup.close()
    await until(10_000, 'Alice offline for Bob', async () =>
      (await friendsOf(bob.page)).some((f) => f.identity.url === alice.identity.url && !f.online)
        ? true
        : null,
    )
  })

  it('guests of a hosted session mesh with each other; nobody the host refused gets in', async () => {
    const [host, ann, ben, eve] = await Promise.all(
      ['Hope', 'Ann', 'Ben', 'Eve'].map((n) => person(n, [world.tracker.url], world.site.origin)),
    )
    world.people.push(host!, ann!, ben!, eve!)
    const url = await host!.page.evaluate(async (password) => {
      window.hosted = await window.p2p.host({ name: 'Mesh night', maxPeers: 4, password })
      return window.hosted.url
    }, PASSWORD)
    assert.equal(await tryJoin(ann!.page, url, PASSWORD), 'joined')
    assert.equal(await tryJoin(ben!.page, url, PASSWORD), 'joined')
    assert.equal(await tryJoin(eve!.page, url, 'hunter2'), 'wrong-password')

    // Tabs share a session, on its terms: hosting it again needs the same
    // options, and another tab of Ann's with a wrong password does not get in
    // on her admission.
    const hostTab = await openPage(host!.profile, `${world.site.origin}/index.html`)
    const hostAgain = (opts: { maxPeers: number; password?: string }) =>
      hostTab.evaluate(
        (opts) =>
          window.p2p.host({ name: 'Mesh night', ...opts }).then(
            (lobby) => lobby.url,
            (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
          ),
        opts,
      )
    assert.match(
      await hostAgain({ maxPeers: 4, password: 'hunter2' }),
      /^invalid-argument: .*another password/,
    )
    assert.match(await hostAgain({ maxPeers: 4 }), /^invalid-argument: .*another password/)
    assert.match(
      await hostAgain({ maxPeers: 3, password: PASSWORD }),
      /^invalid-argument: .*maxPeers 4/,
    )
    assert.equal(
      await hostAgain({ maxPeers: 4, password: PASSWORD }),
      url,
      'the same options share it',
    )
    await hostTab.close()
    const annTab = await openPage(ann!.profile, `${world.site.origin}/index.html`)
    assert.equal(await tryJoin(annTab, url, 'hunter2'), 'wrong-password')
    assert.equal(await tryJoin(annTab, url), 'wrong-password', 'nor without a password')
    assert.equal(await tryJoin(annTab, url, PASSWORD), 'joined', 'the right one shares it')
    await annTab.close()
    // Ann and Ben are connected to each other, not only to the host (a star).
    const connected = (page: Page) =>
      page.evaluate(() =>
        (window as unknown as { joined: Lobby }).joined.peers
          .filter((p) => p.path && p.path !== 'mesh')
          .map((p) => p.identity?.url ?? p.id)
          .sort(),
      )
    for (const [me, other] of [
      [ann!, ben!],
      [ben!, ann!],
    ] as const) {
      await until(20_000, `${me.identity.name} connected to ${other.identity.name}`, async () =>
        (await connected(me.page)).includes(other.identity.url) ? true : null,
      )
    }
    await ann!.page.evaluate(() =>
      (window as unknown as { joined: Lobby }).joined.setSessionData('ann: ready'),
    )
    await until(10_000, 'Ann’s session-data at Ben', async () => {
      const text = await ben!.page.evaluate((annUrl) => {
        const peer = (window as unknown as { joined: Lobby }).joined.peers.find(
          (p) => p.identity?.url === annUrl,
        )
        return peer?.sessionData ? new TextDecoder().decode(peer.sessionData) : null
      }, ann!.identity.url)
      return text === 'ann: ready' ? true : null
    })
    // Eve, refused by the host, is nobody's peer, however she reached the guests.
    assert.deepEqual(
      (await connected(ann!.page)).sort(),
      [ben!.identity.url, host!.identity.url].sort(),
    )
    assert.deepEqual(
      (await connected(ben!.page)).sort(),
      [ann!.identity.url, host!.identity.url].sort(),
    )
  })

  it('a site without the friends grant cannot see friends', async () => {
    const dave = await profile('Dave')
    await useTrackers(dave, [world.tracker.url])
    const page = await openPage(dave, `${world.site.origin}/index.html`)
    await allow(dave, page)
    const code = await page.evaluate(() =>
      window.p2p.friends().then(
        () => 'listed',
        (e: { code: string }) => e.code,
      ),
    )
    assert.equal(code, 'permission-denied')
    await dave.close()
  })
})
