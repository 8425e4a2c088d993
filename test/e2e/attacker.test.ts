/**
 * The attacker suite: hostile pages against the real extension. Each attack
 * asserts that nothing leaks and that a legitimate page of another site, in
 * another tab, keeps working throughout.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Frame, Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import { startTracker, type RunningTracker } from '../../scripts/lib/tracker.js'
import { allow, fixtureServer, openPage, profile, stealPort, useTrackers } from './harness.js'
import { joinIn } from './lobby-helpers.js'

let attacks = 0

type Outcome = { ok: true; value: unknown } | { ok: false; code: string }

function call(target: Page | Frame, expression: string): Promise<Outcome> {
  return target.evaluate(
    (expr) =>
      (new Function(`return (${expr})`)() as Promise<unknown>).then(
        (value) => ({ ok: true as const, value }),
        (e: { code: string }) => ({ ok: false as const, code: e.code }),
      ),
    expression,
  )
}

/**
 * Sends raw requests on the port a page stole (see stealPort) and returns the
 * error code of each answer ('none' when it succeeded or never came).
 */
function raw(page: Page, requests: Array<[string, unknown]>): Promise<string[]> {
  return page.evaluate(async (requests) => {
    const port = (window as unknown as { stolen: MessagePort }).stolen
    const replies = new Map<number, { error?: { code: string } }>()
    port.addEventListener('message', (e) => replies.set(e.data.id, e.data))
    requests.forEach(([method, params], i) =>
      port.postMessage({ t: 'req', id: 1000 + i, method, params }),
    )
    await new Promise((r) => setTimeout(r, 1000))
    return requests.map((_, i) => replies.get(1000 + i)?.error?.code ?? 'none')
  }, requests)
}

describe('attacker suite', () => {
  let victim: StaticServer // a site the user granted
  let evil: StaticServer // a site with no grant
  let p: Profile
  let honest: Page
  let tracker: RunningTracker

  before(async () => {
    victim = await fixtureServer('127.0.0.1')
    evil = await fixtureServer('localhost')
    p = await profile('Eve')
    tracker = await startTracker()
    await useTrackers(p, [tracker.url])
    honest = await openPage(p, `${victim.origin}/index.html`)
    await allow(p, honest)
  })
  after(async () => {
    console.log(`attacker suite: ${attacks} attacks tried`)
    await p?.close()
    await victim?.close()
    await evil?.close()
    await tracker?.close()
  })

  /** The granted page in the other tab still answers. */
  async function honestStillWorks(): Promise<void> {
    assert.deepEqual(await call(honest, 'window.p2p.permission()'), { ok: true, value: 'granted' })
    const id = await call(honest, 'window.p2p.identity()')
    assert.equal(id.ok, true)
  }

  it('a page without a grant is refused every gated call', async () => {
    const page = await openPage(p, `${evil.origin}/index.html`)
    for (const expr of ['window.p2p.identity()', 'window.p2p.revokePermission()']) {
      attacks++
      assert.deepEqual(await call(page, expr), { ok: false, code: 'permission-required' })
    }
    await honestStillWorks()
    await page.close()
  })

  it('an origin field in the message is ignored: the sender decides', async () => {
    const page = await stealPort(p, `${evil.origin}/index.html`)
    const victimOrigin = victim.origin
    const answers = await page.evaluate(async (spoofed) => {
      const port = (window as unknown as { stolen: MessagePort }).stolen
      const replies: unknown[] = []
      port.addEventListener('message', (e) => replies.push(e.data))
      let id = 9_000
      for (const method of ['identity', 'permission', 'revokePermission']) {
        port.postMessage({
          t: 'req',
          id: id++,
          method,
          origin: spoofed,
          sender: { origin: spoofed },
          params: { origin: spoofed },
        })
        port.postMessage({ t: 'req', id: id++, method, origin: spoofed })
      }
      await new Promise((r) => setTimeout(r, 1500))
      return replies
    }, victimOrigin)
    attacks += 6
    const byId = new Map(
      answers.map((a) => [
        (a as { id: number }).id,
        a as { ok: boolean; result?: unknown; error?: { code: string } },
      ]),
    )
    // identity with the spoofed origin: refused as the evil origin, never the victim's identity.
    assert.equal(byId.get(9_001)?.error?.code, 'permission-required')
    // permission reports the sender's own state, not the victim's grant.
    assert.equal(byId.get(9_003)?.result, 'prompt')
    // revoke with a spoofed origin cannot revoke the victim.
    assert.equal(byId.get(9_005)?.error?.code, 'permission-required')
    await honestStillWorks()
    await page.close()
  })

  it('an iframe of another origin inside a granted page is its own origin', async () => {
    const page = await openPage(
      p,
      `${victim.origin}/embed.html?src=${encodeURIComponent(`${evil.origin}/index.html`)}`,
    )
    const frame = await (async () => {
      for (;;) {
        const f = page.frames().find((fr) => fr.url().startsWith(evil.origin))
        if (f && (await f.evaluate(() => 'p2p' in window))) return f
        await new Promise((r) => setTimeout(r, 50))
      }
    })()
    attacks += 2
    assert.deepEqual(await call(frame, 'window.p2p.permission()'), { ok: true, value: 'prompt' })
    assert.deepEqual(await call(frame, 'window.p2p.identity()'), {
      ok: false,
      code: 'permission-required',
    })
    // The granted top page is unaffected.
    assert.deepEqual(await call(page, 'window.p2p.permission()'), { ok: true, value: 'granted' })
    await page.close()
  })

  it('a flood from one page is rate-limited without starving another site', async () => {
    const page = await openPage(p, `${evil.origin}/index.html`)
    const counts = await page.evaluate(async () => {
      const results = await Promise.all(
        Array.from({ length: 2000 }, () =>
          window.p2p.permission().then(
            () => 'ok',
            (e: { code: string }) => e.code,
          ),
        ),
      )
      const out: Record<string, number> = {}
      for (const r of results) out[r] = (out[r] ?? 0) + 1
      return out
    })
    attacks += 2000
    assert.ok((counts['rate-limited'] ?? 0) > 0, JSON.stringify(counts))
    await honestStillWorks()
    await page.close()
  })

  it('oversize and malformed arguments get typed errors', async () => {
    const page = await stealPort(p, `${victim.origin}/index.html`)
    const answers = await page.evaluate(async () => {
      const port = (window as unknown as { stolen: MessagePort }).stolen
      const replies = new Map<number, { ok: boolean; error?: { code: string } }>()
      port.addEventListener('message', (e) => replies.set(e.data.id, e.data))
      port.postMessage({ t: 'req', id: 1, method: 'identity', params: 'x'.repeat(100_000) })
      port.postMessage({
        t: 'req',
        id: 2,
        method: 'identity',
        params: JSON.parse('{"__proto__":{"polluted":1}}'),
      })
      port.postMessage({ t: 'req', id: 3, method: 'requestPermission', params: [1, 2, 3] })
      port.postMessage({ t: 'req', id: 4, method: 'no-such-call' })
      await new Promise((r) => setTimeout(r, 1000))
      return [1, 2, 3, 4].map((id) => replies.get(id)?.error?.code ?? 'none')
    })
    attacks += 4
    assert.deepEqual(answers, [
      'payload-too-large',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
    ])
    await honestStillWorks()
    await page.close()
  })

  it('lobby arguments are checked before anything joins', async () => {
    const page = await stealPort(p, `${victim.origin}/index.html`)
    const bad = [
      "window.p2p.joinLobby('')",
      "window.p2p.joinLobby('x'.repeat(200))",
      "window.p2p.joinLobby('a\\u0000b')",
      'window.p2p.joinLobby(42)',
      "window.p2p.joinLobby('ok', { maxPeers: 1000 })",
      "window.p2p.joinLobby('ok', { maxPeers: 'x' })",
      "window.p2p.joinLobby('ok', { evil: 1 })",
      "window.p2p.joinLobby('ok', 'opts')",
    ]
    for (const expr of bad) {
      attacks++
      assert.deepEqual(await call(page, expr), { ok: false, code: 'invalid-argument' }, expr)
    }
    attacks++
    assert.deepEqual(await call(page, "window.p2p.joinLobby('ok', { password: 'p' })"), {
      ok: false,
      code: 'not-supported',
    })
    const big = Buffer.alloc(257).toString('base64')
    const answers = await raw(page, [
      ['lobby.setSessionData', { lobby: '0'.repeat(32), data: 'not base64!' }],
      ['lobby.setSessionData', { lobby: '0'.repeat(32), data: 'A'.repeat(400) }],
      ['lobby.setSessionData', { lobby: '0'.repeat(32), data: big }],
      ['lobby.setSessionData', { lobby: 'zz', data: '' }],
      ['lobby.leave', { lobby: ['0'.repeat(32)] }],
      ['retainedSessionData', { name: { toString: 1 } }],
      // Lobby messages: an oversize batch, malformed items.
      [
        'lobby.post',
        { lobby: '0'.repeat(32), items: [{ t: 'msg', to: '*', data: 'A'.repeat(3e6) }] },
      ],
      ['lobby.post', { lobby: '0'.repeat(32), items: [] }],
      ['lobby.post', { lobby: '0'.repeat(32), items: [{ t: 'msg', to: 'everyone', data: '' }] }],
      [
        'lobby.post',
        {
          lobby: '0'.repeat(32),
          items: [{ t: 'req', id: -1, to: '*', module: 'm', timeout: 1, data: '' }],
        },
      ],
      [
        'lobby.post',
        {
          lobby: '0'.repeat(32),
          items: [{ t: 'req', id: 1, to: '*', module: 'bad name', timeout: 1, data: '' }],
        },
      ],
      ['lobby.post', { lobby: '0'.repeat(32), items: [{ t: 'evil', data: '' }] }],
      ['lobby.handle', { lobby: '0'.repeat(32), module: 'x'.repeat(65), on: true }],
    ])
    attacks += answers.length
    assert.deepEqual(answers, [
      'invalid-argument',
      'payload-too-large',
      'payload-too-large',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'payload-too-large',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
      'invalid-argument',
    ])
    // Through the page API: data the encoding cannot hold, and over 16 MiB.
    await joinIn(page, 'msgs')
    const thrown = await page.evaluate(() => {
      const lobby = window.lobbies.msgs!
      const calls = [
        () => lobby.broadcast(new Uint8Array(16 * 1024 * 1024 + 1)),
        () => lobby.broadcast({ map: new Map() }),
        () => lobby.send('0123456789abcdef', 'hi'),
        () => lobby.handle('bad name', () => 1),
      ]
      return calls.map((call) => {
        try {
          call()
          return 'accepted'
        } catch (err) {
          return (err as { code: string }).code
        }
      })
    })
    attacks += thrown.length
    assert.deepEqual(thrown, [
      'payload-too-large',
      'invalid-argument',
      'not-connected',
      'invalid-argument',
    ])
    await honestStillWorks()
    await page.close()
  })

  it("another site, or another page, cannot touch a site's lobby or read its session-data", async () => {
    await joinIn(honest, 'secret')
    await honest.evaluate(() => window.lobbies.secret!.setSessionData('for my site only'))
    const handle = await honest.evaluate(
      () => (window.lobbies.secret as unknown as { id: string }).id,
    )

    // A second site the user also granted, turned hostile.
    const mallory = await fixtureServer('127.0.0.1')
    try {
      const page = await stealPort(p, `${mallory.origin}/index.html`)
      await allow(p, page)
      // A page of the victim's own origin in another tab is another document.
      const sibling = await stealPort(p, `${victim.origin}/index.html`)
      for (const attacker of [page, sibling]) {
        const answers = await raw(attacker, [
          ['lobby.setSessionData', { lobby: handle, data: btoa('hijacked') }],
          ['lobby.post', { lobby: handle, items: [{ t: 'msg', to: '*', data: 'AAAA' }] }],
          ['lobby.post', { lobby: handle, items: [{ t: 'res', id: 1, ok: true, data: 'AAAA' }] }],
          ['lobby.handle', { lobby: handle, module: 'echo', on: true }],
          ['lobby.leave', { lobby: handle }],
        ])
        attacks += answers.length
        // The same answer as for a lobby that never existed: nothing to learn.
        assert.deepEqual(answers, Array(5).fill('not-connected'))
      }
      await sibling.close()

      // Its own lobby of the same name is another lobby, and it kept nothing of the victim's.
      attacks += 2
      const seen = await page.evaluate(async () => {
        const kept = await window.p2p.retainedSessionData('secret')
        const lobby = await window.p2p.joinLobby('secret')
        await new Promise((r) => setTimeout(r, 2000))
        return { kept, peers: lobby.peers.length, self: lobby.getSessionData() }
      })
      assert.deepEqual(seen, { kept: { self: null, peers: [] }, peers: 0, self: null })
      await page.close()
    } finally {
      await mallory.close()
    }

    // The victim's lobby is untouched.
    const mine = await honest.evaluate(() => ({
      state: window.lobbies.secret!.state,
      data: new TextDecoder().decode(window.lobbies.secret!.getSessionData()!),
    }))
    assert.deepEqual(mine, { state: 'discovering', data: 'for my site only' })
    const kept = await honest.evaluate(async () => {
      const { self } = await window.p2p.retainedSessionData('secret')
      return self && new TextDecoder().decode(self)
    })
    assert.equal(kept, 'for my site only')
    await honestStillWorks()
  })

  it('after revoking, the page keeps calling and is refused', async () => {
    const page = await openPage(p, `${victim.origin}/index.html`)
    assert.deepEqual(await call(page, 'window.p2p.revokePermission()'), {
      ok: true,
      value: undefined,
    })
    for (let i = 0; i < 20; i++) {
      attacks++
      assert.deepEqual(await call(page, 'window.p2p.identity()'), {
        ok: false,
        code: 'permission-required',
      })
    }
    assert.deepEqual(await call(honest, 'window.p2p.permission()'), { ok: true, value: 'prompt' })
    await page.close()
  })
})
