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
import { allow, fixtureServer, openPage, profile, stealPort } from './harness.js'

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

describe('attacker suite', () => {
  let victim: StaticServer // a site the user granted
  let evil: StaticServer // a site with no grant
  let p: Profile
  let honest: Page

  before(async () => {
    victim = await fixtureServer('127.0.0.1')
    evil = await fixtureServer('localhost')
    p = await profile('Eve')
    honest = await openPage(p, `${victim.origin}/index.html`)
    await allow(p, honest)
  })
  after(async () => {
    console.log(`attacker suite: ${attacks} attacks tried`)
    await p?.close()
    await victim?.close()
    await evil?.close()
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
