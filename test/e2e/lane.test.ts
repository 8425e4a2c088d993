/**
 * The lobby lane (src/protocol/lane.ts) end to end, in two Chromium profiles
 * with the built extension and a real tracker: a page in a lobby gets a port
 * straight to the engine, its lobby traffic works over it, and the engine
 * treats it as the hostile page it may be. The page here keeps its lane port
 * the way a page script could (from the bridge's port), to send it raw
 * messages.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import {
  LANE,
  LANE_ALIVE,
  LANE_ANSWER_MS,
  LANE_PAGE,
  LANE_PROBE,
  LANE_QUIET_MS,
  LANE_READY,
} from '../../src/protocol/lane.js'
import { extensionPage, within } from './harness.js'
import { joinIn, lobbyWorld, person, waitForLog, type Person } from './lobby-helpers.js'

const ROOM = 'lane-room'

declare global {
  interface Window {
    stolen?: MessagePort
    lane?: MessagePort
    laneLog: unknown[]
  }
}

/** Opens the site in a page that keeps the bridge's port, and the lane port it brings later. */
async function keepLane(p: Person, origin: string): Promise<Page> {
  const page = await p.profile.context.newPage()
  await page.addInitScript(() => {
    window.laneLog = []
    window.addEventListener('message', (e) => {
      if ((e.data as { porchlight?: string } | null)?.porchlight !== 'port') return
      const port = e.ports[0]!
      port.addEventListener('message', (m) => {
        if ((m.data as { t?: string } | null)?.t !== 'lane' || !m.ports[0]) return
        window.lane = m.ports[0]
        window.lane.addEventListener('message', (l) => window.laneLog.push(l.data))
      })
    })
  })
  await page.goto(`${origin}/index.html`)
  return page
}

interface Answer {
  ok: boolean
  result?: unknown
  error?: { code: string }
}

/** Sends one raw request on the page's lane; resolves with its answer. */
function laneCall(page: Page, method: string, params?: unknown): Promise<Answer> {
  return page.evaluate(
    async ([method, params]) => {
      const id = 1e9 + Math.floor(Math.random() * 1e9)
      window.lane!.postMessage({ t: 'req', id, method, params })
      for (let i = 0; i < 200; i++) {
        const res = window.laneLog.find((m) => (m as { id?: number }).id === id)
        if (res) return res as Answer
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error(`no answer to ${method} on the lane`)
    },
    [method, params] as const,
  )
}

/** The page's handle of the lobby (PageLobby's `id`). */
const lobbyId = (page: Page) =>
  page.evaluate((room) => (window.lobbies[room] as unknown as { id: string }).id, ROOM)

describe('the lobby lane', () => {
  const world = lobbyWorld()
  let alice: Person
  let bob: Person
  let page: Page

  before(async () => {
    alice = await person('Alice', [world.tracker.url], world.site.origin)
    bob = await person('Bob', [world.tracker.url], world.site.origin)
    world.people.push(alice, bob)
    page = await keepLane(alice, world.site.origin)
    await joinIn(page, ROOM)
    await joinIn(bob.page, ROOM)
    await waitForLog(bob.page, ROOM, 'peer-join', 1, 15_000)
  })

  it('comes up after a join, and the frame that brought it is gone', async () => {
    await within(10_000, 'the lane to be ready', () =>
      page.waitForFunction(
        (ready) => window.laneLog.some((m) => (m as { t?: string }).t === ready),
        LANE_READY,
      ),
    )
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0)
  })

  it('carries session-data straight to the engine, and on to the peer', async () => {
    const data = btoa('over the lane')
    const answer = await laneCall(page, 'lobby.setSessionData', {
      lobby: await lobbyId(page),
      data,
    })
    assert.deepEqual(answer.ok, true)
    await waitForLog(bob.page, ROOM, (e) => e.data === 'over the lane', 1, 10_000)
    // The page's own API takes the same way, and the value is retained for the site.
    await page.evaluate((room) => window.lobbies[room]!.setSessionData('from the page'), ROOM)
    await waitForLog(bob.page, ROOM, (e) => e.data === 'from the page', 1, 10_000)
    await within(5_000, 'the value to be retained', async () => {
      for (;;) {
        const kept = await page.evaluate((room) => window.p2p.retainedSessionData(room), ROOM)
        if (kept.self && new TextDecoder().decode(kept.self) === 'from the page') return
        await new Promise((r) => setTimeout(r, 100))
      }
    })
  })

  it('answers nothing but lobby traffic', async () => {
    for (const method of ['revokePermission', 'joinLobby', 'status', 'lobby.leave', 'host']) {
      const answer = await laneCall(page, method, method === 'joinLobby' ? { name: 'x' } : {})
      assert.equal(answer.ok, false, method)
      assert.equal(answer.error?.code, 'invalid-argument', method)
    }
    assert.equal(await page.evaluate(() => window.p2p.permission()), 'granted')
  })

  it("reaches only its own document's lobbies, whatever the call says", async () => {
    const other = await alice.profile.context.newPage()
    await other.goto(`${world.site.origin}/index.html`)
    await joinIn(other, ROOM)
    const theirs = await lobbyId(other)
    const data = btoa('not mine')
    const foreign = await laneCall(page, 'lobby.setSessionData', { lobby: theirs, data })
    assert.equal(foreign.error?.code, 'not-connected')
    const owner = { tabId: 1, frameId: 0 }
    const named = await laneCall(page, 'lobby.setSessionData', { lobby: theirs, data, owner })
    assert.equal(named.error?.code, 'invalid-argument')
    const big = btoa('x'.repeat(300))
    const tooBig = await laneCall(page, 'lobby.setSessionData', {
      lobby: await lobbyId(page),
      data: big,
    })
    assert.equal(tooBig.error?.code, 'payload-too-large')
    await other.close()
    const log = await bob.page.evaluate(() => window.lobbyLog)
    assert.ok(!log.some((e) => e.data === 'not mine' || e.data === 'x'.repeat(300)))
  })

  it('answers garbage with typed errors and keeps working', async () => {
    const report = await page.evaluate(async () => {
      const lane = window.lane!
      const junk: unknown[] = [null, 1, 'req', [], { t: 'req' }, { t: 'evt', name: 'x' }]
      for (let i = 0; i < 500; i++) {
        const id = 2e9 + i
        const pick = i % 5
        junk.push(
          pick === 0
            ? { t: 'req', id, method: 'lobby.post', params: { lobby: 'zz', items: 'nope' } }
            : pick === 1
              ? { t: 'req', id, method: 'lobby.setSessionData', params: { lobby: 1, data: {} } }
              : pick === 2
                ? { t: 'req', id, method: 'x'.repeat(10_000) }
                : pick === 3
                  ? {
                      t: 'req',
                      id,
                      method: 'lobby.post',
                      params: { lobby: 'a'.repeat(32), items: [{ t: 'msg', to: '*', data: '!!' }] },
                    }
                  : { t: 'req', id, method: '__proto__', params: { toString: 1 } },
        )
      }
      for (const m of junk) lane.postMessage(m)
      const until = performance.now() + 10_000
      let answers: Answer[] = []
      while (performance.now() < until) {
        answers = window.laneLog.filter((m) => (m as { id?: number }).id! >= 2e9) as Answer[]
        if (answers.length >= 500) break
        await new Promise((r) => setTimeout(r, 50))
      }
      const codes: Record<string, number> = {}
      for (const a of answers) {
        const code = a.ok ? 'ok' : (a.error?.code ?? 'untyped')
        codes[code] = (codes[code] ?? 0) + 1
      }
      return { answered: answers.length, codes }
    })
    assert.equal(report.answered, 500)
    assert.equal(report.codes.ok, undefined)
    assert.equal(report.codes.untyped, undefined)
    await page.evaluate((room) => window.lobbies[room]!.setSessionData('still here'), ROOM)
    await waitForLog(bob.page, ROOM, (e) => e.data === 'still here', 1, 10_000)
  })

  it('is not handed to a lane frame with a forged token', async () => {
    const frame = await extensionPage(alice.profile, LANE_PAGE)
    const heard = await frame.evaluate(async (type) => {
      const registration = await navigator.serviceWorker.ready
      const channel = new MessageChannel()
      const got: unknown[] = []
      channel.port1.onmessage = (e) => got.push(e.data)
      registration.active!.postMessage({ t: type, token: 'f'.repeat(32) }, [channel.port2])
      await new Promise((r) => setTimeout(r, 1500))
      return got
    }, LANE)
    assert.deepEqual(heard, [])
    await frame.close()
  })

  it("answers the page's probe at once", async () => {
    await page.evaluate((probe) => window.lane!.postMessage({ t: probe }), LANE_PROBE)
    await within(2_000, 'lane-alive', () =>
      page.waitForFunction(
        (alive) => window.laneLog.some((m) => (m as { t?: string }).t === alive),
        LANE_ALIVE,
      ),
    )
  })

  // Last: it ends the lane. A closed page end stands for an engine that died
  // without a word (a MessagePort has no close event): calls get no answer.
  it('gives up on a lane gone silent with a typed error, and the long way still works', async () => {
    const failed = await page.evaluate(async (room) => {
      window.lane!.close()
      const started = performance.now()
      const hung = new Promise((r) => setTimeout(() => r('hung'), 15_000))
      try {
        const set = window.lobbies[room]!.setSessionData('into the void')
        const code = (await Promise.race([set, hung])) === 'hung' ? 'hung' : 'resolved'
        return { code, ms: performance.now() - started }
      } catch (err) {
        return { code: (err as { code?: string }).code, ms: performance.now() - started }
      }
    }, ROOM)
    assert.equal(failed.code, 'extension-unavailable')
    assert.ok(failed.ms >= LANE_QUIET_MS, `gave up after ${failed.ms} ms`)
    assert.ok(failed.ms < LANE_QUIET_MS + LANE_ANSWER_MS + 2_000, `gave up after ${failed.ms} ms`)
    await page.evaluate((room) => window.lobbies[room]!.setSessionData('the long way'), ROOM)
    await waitForLog(bob.page, ROOM, (e) => e.data === 'the long way', 1, 10_000)
  })
})
