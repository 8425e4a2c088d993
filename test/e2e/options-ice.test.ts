/**
 * The options page's connection servers (STUN/TURN), driven like a person
 * would: add a TURN server with its password, see it masked, a bad URL is
 * refused and says why, remove one and the other keeps its password, and the
 * section has no axe violations. The password never comes back to the page.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import { admin, axeViolations, extensionPage, profile } from './harness.js'

const SECRET = 'correct-horse-battery'

async function openOptions(p: Profile): Promise<Page> {
  const page = await extensionPage(p, 'extension/options/options.html')
  await page.locator('#ice-empty:not([hidden])').waitFor({ timeout: 20_000 })
  return page
}

describe('options page: connection servers', () => {
  let alice: Profile | undefined

  before(async () => {
    alice = await profile('Alice')
  })
  after(async () => {
    await alice?.close()
  })

  it('adds STUN and TURN servers, masks the password, refuses a bad URL, removes', async () => {
    assert.ok(alice)
    const page = await openOptions(alice)
    // The test build has no servers: host candidates only.
    assert.deepEqual(await admin(page, 'settings.ice'), [])

    await page.getByLabel('Server URL').fill('turn:turn.example.org:3478')
    await page.getByLabel('TURN username').fill('alice')
    await page.getByLabel('TURN password').fill(SECRET)
    await page.getByLabel('TURN password').press('Enter')
    const turnRow = page.locator('#ice li[data-ice="turn:turn.example.org:3478"]')
    await turnRow.getByText('password ••••••••').waitFor()

    await page.getByLabel('Server URL').fill('http://not-ice.example.org')
    await page.getByRole('button', { name: 'Add server' }).click()
    await page.locator('#ice-error', { hasText: 'is not a stun:' }).waitFor()
    assert.equal(await page.getByLabel('Server URL').getAttribute('aria-invalid'), 'true')

    await page.getByLabel('Server URL').fill('stun:stun.example.org:3478')
    await page.getByRole('button', { name: 'Add server' }).click()
    await page.locator('#ice li[data-ice="stun:stun.example.org:3478"]').waitFor()
    assert.equal(await page.locator('#ice-error').isHidden(), true)

    assert.equal(await axeViolations(page), '')

    // Nothing the page can read holds the password.
    const seen = await admin(page, 'settings.ice')
    assert.deepEqual(seen, [
      { urls: 'turn:turn.example.org:3478', username: 'alice', hasCredential: true },
      { urls: 'stun:stun.example.org:3478', hasCredential: false },
    ])
    assert.doesNotMatch(JSON.stringify(seen) + (await page.content()), new RegExp(SECRET))

    // Removing the STUN server re-sends the TURN one without its password: it is kept.
    await page.getByRole('button', { name: 'Remove stun:stun.example.org:3478' }).click()
    await page
      .locator('#ice li[data-ice="stun:stun.example.org:3478"]')
      .waitFor({ state: 'detached' })
    await turnRow.getByText('password ••••••••').waitFor()
    assert.deepEqual(await admin(page, 'settings.ice'), [
      { urls: 'turn:turn.example.org:3478', username: 'alice', hasCredential: true },
    ])

    await page.getByRole('button', { name: 'Remove turn:turn.example.org:3478' }).click()
    await page.locator('#ice-empty:not([hidden])').waitFor()
    await page.close()
  })
})
