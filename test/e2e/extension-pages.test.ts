/**
 * Accessibility of the extension's own pages, with the real extension
 * loaded: axe-core (WCAG 2.2 A/AA and best practices) finds nothing in the
 * permission prompt, the popup and the options page, in the light and the
 * dark scheme, including the options page's rename form and its dialogs;
 * and the popup's Revoke.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import {
  admin,
  axeViolations,
  extensionPage,
  fixtureServer,
  openPage,
  openPopup,
  profile,
  promptFor,
} from './harness.js'

describe('extension pages: no axe violations', () => {
  let site: StaticServer
  let dana: Profile | undefined

  before(async () => {
    site = await fixtureServer()
    dana = await profile('Dana')
  })
  after(async () => {
    await dana?.close()
    await site?.close()
  })

  it('the permission prompt', async () => {
    assert.ok(dana)
    const page = await openPage(dana, `${site.origin}/index.html`)
    const granted = page.evaluate(() => window.p2p.requestPermission())
    const prompt = await promptFor(dana, site.origin)
    await prompt.waitForFunction(() => !!document.getElementById('main-url')?.textContent)
    assert.equal(await axeViolations(prompt), '')
    await prompt.getByRole('button', { name: 'Allow', exact: true }).click()
    await granted
    await page.close()
  })

  it('the popup, on a site that can see the user', async () => {
    assert.ok(dana)
    const popup = await openPopup(dana, `?origin=${encodeURIComponent(site.origin)}`)
    await popup.waitForSelector('#site-actions:not([hidden])')
    assert.match((await popup.textContent('#site-state')) ?? '', /^Sees you as Anonymous/)
    assert.equal(await axeViolations(popup), '')
    await popup.close()
  })

  it('the options page, its rename form and its export and delete dialogs', async () => {
    assert.ok(dana)
    const page = await extensionPage(dana, 'extension/options/options.html')
    await page.waitForSelector('#identities:not([aria-busy])', { timeout: 20_000 })
    await admin(page, 'identities.create', { name: 'Dana at work' })
    await page.reload()
    await page.locator('#identities li').nth(1).waitFor()
    await page.locator('#sites li').first().waitFor()
    assert.equal(await axeViolations(page), '', 'the page')

    await page.getByRole('button', { name: 'Rename Dana at work' }).click()
    await page.getByRole('textbox', { name: 'New name for Dana at work' }).waitFor()
    assert.equal(await axeViolations(page), '', 'the rename form')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Export Dana at work' }).click()
    const exported = page.getByRole('dialog', { name: 'Export of “Dana at work”' })
    await exported.waitFor()
    assert.equal(await axeViolations(page), '', 'the export dialog')
    await exported.getByRole('button', { name: 'Done' }).click()
    await exported.waitFor({ state: 'hidden' })

    await page.getByRole('button', { name: 'Delete Dana at work' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete “Dana at work”?' })
    await confirm.waitFor()
    assert.equal(await axeViolations(page), '', 'the delete dialog')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await page.close()
  })

  // Last: it takes the site's grant away.
  it("the popup's Revoke: the page hears it, focus goes to the site's new state", async () => {
    assert.ok(dana)
    const page = await openPage(dana, `${site.origin}/index.html`)
    assert.equal(await page.evaluate(() => window.p2p.permission()), 'granted')
    const popup = await openPopup(dana, `?origin=${encodeURIComponent(site.origin)}`)
    await popup.getByRole('button', { name: 'Revoke' }).click()
    await popup.getByText('Cannot see your presence.').waitFor({ timeout: 10_000 })
    assert.equal(await popup.isHidden('#site-actions'), true)
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'site-state')
    assert.equal(await page.evaluate(() => window.p2p.permission()), 'prompt')
    assert.equal(await axeViolations(popup), '')
    await popup.close()
    await page.close()
  })
})
