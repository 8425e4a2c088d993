/**
 * Lobby messages and requests end to end: three Chromium profiles with the
 * built extension, real WebRTC, a real bittorrent-tracker on 127.0.0.1.
 * Broadcast reaches the two others, send reaches one, 5 MB arrive intact,
 * `request('*', …)` gets one result per peer, a throwing handler comes back
 * as an error result and a silent one as `timeout`; a page of another origin
 * with the same lobby name hears nothing.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import { allow, fixtureServer, nameIdentity, openPage, profile, useTrackers } from './harness.js'
import { joinIn, waitForLog } from './lobby-helpers.js'

interface Person {
  name: string
  profile: Profile
  page: Page
  identity: { url: string }
}

/** What a page logged of `message` events: sender id and a digest of the data. */
interface Got {
  from: string
  text: string
}

declare global {
  interface Window {
    got: Got[]
  }
}

const LOBBY = 'talk'

/** Starts logging `message` events; binary data is logged as `bytes:<length>:<sha-256 hex>`. */
function listen(page: Page): Promise<void> {
  return page.evaluate((name) => {
    window.got = []
    window.lobbies[name]!.addEventListener('message', (e) => {
      const { peer, data } = (e as CustomEvent<{ peer: { id: string }; data: unknown }>).detail
      const entry = { from: peer.id, text: '' }
      window.got.push(entry)
      if (data instanceof Uint8Array) {
        void crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>).then((hash) => {
          const hex = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0'))
          entry.text = `bytes:${data.length}:${hex.join('')}`
        })
      } else entry.text = JSON.stringify(data)
    })
  }, LOBBY)
}

async function gotBy(page: Page, count: number, ms = 10_000): Promise<Got[]> {
  const until = Date.now() + ms
  for (;;) {
    const got = await page.evaluate(() => window.got.filter((g) => g.text !== ''))
    if (got.length >= count) return got
    if (Date.now() > until) throw new Error(`only ${got.length} of ${count} messages`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('lobby messages and requests over WebRTC', () => {
  let site: StaticServer
  let other: StaticServer
  let tracker: RunningTracker
  const people: Person[] = []
  const profiles: Profile[] = []
  let alice: Person
  let bob: Person
  let carol: Person
  const ids = new Map<string, string>()
  /** `subject`'s peer id as `observer` sees it. */
  const id = (observer: Person, subject: Person) => ids.get(`${observer.name}>${subject.name}`)!

  before(async () => {
    site = await fixtureServer('127.0.0.1')
    other = await fixtureServer('localhost')
    tracker = await startTracker()
    for (const name of ['Alice', 'Bob', 'Carol']) {
      const p = await profile(name)
      profiles.push(p)
      await useTrackers(p, [tracker.url])
      await nameIdentity(p, name)
      const page = await openPage(p, `${site.origin}/index.html`)
      const identity = await allow(p, page)
      people.push({ name, profile: p, page, identity })
    }
    ;[alice, bob, carol] = people as [Person, Person, Person]
    await Promise.all(people.map((p) => joinIn(p.page, LOBBY)))
    await Promise.all(people.map((p) => waitForLog(p.page, LOBBY, 'peer-join', 2, 30_000)))
    // Peer ids are aliases per (browser seeing, origin): each page has its own names for the others.
    for (const observer of people) {
      for (const e of await waitForLog(observer.page, LOBBY, 'peer-join', 2, 1_000)) {
        const subject = people.find((p) => p.identity.url === e.identity?.url)
        if (subject && e.peer) ids.set(`${observer.name}>${subject.name}`, e.peer)
      }
      await listen(observer.page)
    }
    assert.equal(ids.size, 6, 'everyone knows the two others')
  })
  after(async () => {
    await Promise.all(profiles.map((p) => p.close()))
    await site?.close()
    await other?.close()
    await tracker?.close()
  })

  it('broadcast reaches the two others; send reaches one', async () => {
    await alice.page.evaluate((n) => window.lobbies[n]!.broadcast({ hello: 'all', n: 1 }), LOBBY)
    for (const p of [bob, carol]) {
      const [got] = await gotBy(p.page, 1)
      assert.deepEqual(got, { from: id(p, alice), text: '{"hello":"all","n":1}' }, p.name)
    }
    await alice.page.evaluate(
      ([n, to]) => window.lobbies[n]!.send(to, { only: 'bob', list: [1, 2, 3] }),
      [LOBBY, id(alice, bob)] as const,
    )
    const got = await gotBy(bob.page, 2)
    assert.deepEqual(got[1], { from: id(bob, alice), text: '{"only":"bob","list":[1,2,3]}' })
    await new Promise((r) => setTimeout(r, 1_000))
    assert.equal((await gotBy(carol.page, 1)).length, 1, 'Carol got the broadcast only')
    assert.equal((await gotBy(alice.page, 0)).length, 0, 'Alice does not hear herself')
  })

  it('messages from one sender arrive in order, each once', async () => {
    const before = (await gotBy(carol.page, 0)).length
    await alice.page.evaluate(async (n) => {
      const sends = []
      for (let i = 0; i < 100; i++) sends.push(window.lobbies[n]!.broadcast({ i }))
      await Promise.all(sends)
    }, LOBBY)
    const got = (await gotBy(carol.page, before + 100)).slice(before)
    await new Promise((r) => setTimeout(r, 500))
    assert.equal((await gotBy(carol.page, 0)).length, before + 100, 'no duplicates')
    assert.deepEqual(
      got.map((g) => g.text),
      Array.from({ length: 100 }, (_, i) => `{"i":${i}}`),
    )
  })

  it('a 5 MB Uint8Array arrives intact; over 16 MiB is payload-too-large at once', async () => {
    const before = (await gotBy(bob.page, 0)).length
    const sent = await alice.page.evaluate(
      async ([n, to]) => {
        const data = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7919) % 251)
        const hash = await crypto.subtle.digest('SHA-256', data)
        const hex = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0'))
        const started = performance.now()
        await window.lobbies[n]!.send(to, data)
        return { text: `bytes:${data.length}:${hex.join('')}`, ms: performance.now() - started }
      },
      [LOBBY, id(alice, bob)] as const,
    )
    const got = (await gotBy(bob.page, before + 1, 30_000)).at(-1)
    assert.deepEqual(got, { from: id(bob, alice), text: sent.text })
    const tooBig = await alice.page.evaluate((n) => {
      try {
        void window.lobbies[n]!.broadcast(new Uint8Array(17 * 1024 * 1024))
        return 'accepted'
      } catch (err) {
        return (err as { code: string }).code
      }
    }, LOBBY)
    assert.equal(tooBig, 'payload-too-large')
  })

  it("request('*', 'echo') gets two results; a throwing handler is an error result", async () => {
    for (const p of [bob, carol]) {
      // handle() resolves once the engine registered the module: no sleep needed.
      await p.page.evaluate(
        async ([n, name]) => {
          const lobby = window.lobbies[n]!
          await Promise.all([
            lobby.handle('echo', (data, from) => ({ echo: data, by: name, from: from.id })),
            lobby.handle('fail', () => {
              throw new Error(`${name} says no`)
            }),
            lobby.handle('never', () => new Promise(() => undefined)),
          ])
        },
        [LOBBY, p.name] as const,
      )
    }
    const echo = await alice.page.evaluate(async (n) => {
      const results = await window.lobbies[n]!.request('*', 'echo', { x: 1 })
      return results.map((r) => ({ peer: r.peer.id, result: r.result, error: r.error?.code }))
    }, LOBBY)
    assert.equal(echo.length, 2)
    assert.deepEqual(echo.map((r) => r.peer).sort(), [id(alice, bob), id(alice, carol)].sort())
    for (const r of echo) {
      const by = r.peer === id(alice, bob) ? bob : carol
      assert.deepEqual(r.result, { echo: { x: 1 }, by: by.name, from: id(by, alice) })
    }

    const byIdentity = await alice.page.evaluate(
      async ([n, url]) => {
        const results = await window.lobbies[n]!.request(url, 'echo', 'hi')
        return results.map((r) => r.peer.id)
      },
      [LOBBY, carol.identity.url] as const,
    )
    assert.deepEqual(byIdentity, [id(alice, carol)])

    const failed = await alice.page.evaluate(
      async ([n, to]) => {
        const [r] = await window.lobbies[n]!.request(to, 'fail', null)
        return {
          peer: r?.peer.id,
          code: r?.error?.code,
          message: r?.error?.message,
          has: 'result' in r!,
        }
      },
      [LOBBY, id(alice, bob)] as const,
    )
    assert.equal(failed.peer, id(alice, bob))
    assert.equal(failed.code, 'internal')
    assert.match(failed.message ?? '', /Bob says no/)
    assert.equal(failed.has, false)
  })

  it('a peer that never answers times out; one without the module says not-supported', async () => {
    const results = await alice.page.evaluate(async (n) => {
      const started = performance.now()
      const rs = await window.lobbies[n]!.request('*', 'never', 1, { timeout: 1_500 })
      return { ms: performance.now() - started, codes: rs.map((r) => r.error?.code) }
    }, LOBBY)
    assert.deepEqual(results.codes, ['timeout', 'timeout'])
    assert.ok(results.ms >= 1_400 && results.ms < 5_000, `timed out after ${results.ms} ms`)
    const missing = await alice.page.evaluate(async (n) => {
      const rs = await window.lobbies[n]!.request('*', 'nobody.here', 1, { timeout: 5_000 })
      return rs.map((r) => r.error?.code)
    }, LOBBY)
    assert.deepEqual(missing, ['not-supported', 'not-supported'])
  })

  it('a page of another origin in a lobby of the same name hears nothing', async () => {
    const page = await openPage(bob.profile, `${other.origin}/index.html`)
    await allow(bob.profile, page)
    await joinIn(page, LOBBY)
    await page.evaluate((n) => {
      window.got = []
      window.lobbies[n]!.addEventListener('message', () => window.got.push({ from: '', text: 'x' }))
    }, LOBBY)
    const before = (await gotBy(bob.page, 0)).length
    await alice.page.evaluate((n) => window.lobbies[n]!.broadcast('same name, other site'), LOBBY)
    await gotBy(bob.page, before + 1)
    await new Promise((r) => setTimeout(r, 1_000))
    assert.equal(await page.evaluate(() => window.got.length), 0)
    assert.equal(await page.evaluate((n) => window.lobbies[n]!.peers.length, LOBBY), 0)
  })
})
