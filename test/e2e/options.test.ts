/**
 * The options page's identities, driven like a person would in real
 * Chromium with the built extension: rename by keyboard (the popup follows),
 * create and make main, delete only after confirming, export with its
 * download, and import into a second profile (a truncated text is refused
 * and changes nothing; a file imports read-only; "Take over writing" makes
 * this browser the writer).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import { admin, extensionPage, openPopup, profile } from './harness.js'

const HEADER = 'PORCHLIGHT IDENTITY EXPORT — contains your secret key'

/** The options page, once its identity list is drawn. */
async function openOptions(p: Profile): Promise<Page> {
  const page = await extensionPage(p, 'extension/options/options.html')
  await page.waitForSelector('#identities:not([aria-busy])', { timeout: 20_000 })
  return page
}

function rowOf(page: Page, url: string): Locator {
  return page.locator(`#identities li[data-url="${url}"]`)
}

async function status(page: Page, text: string): Promise<void> {
  await page.locator('#identities-status', { hasText: text }).waitFor()
}

async function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null)
}

describe('options page: identities', () => {
  const downloads = mkdtempSync(join(tmpdir(), 'porchlight-export-'))
  let alice: Profile | undefined
  let bob: Profile | undefined
  let mainUrl = ''
  let exportFile = ''
  let exported = ''

  before(async () => {
    alice = await profile('Alice')
  })
  after(async () => {
    await alice?.close()
    await bob?.close()
    rmSync(downloads, { recursive: true, force: true })
  })

  it('renames by keyboard; Escape cancels; the popup shows the new name', async () => {
    assert.ok(alice)
    const page = await openOptions(alice)
    mainUrl = (await admin(page, 'identities.main')).url
    const row = rowOf(page, mainUrl)
    await row.getByRole('button', { name: 'Rename Anonymous' }).focus()
    await page.keyboard.press('Enter')
    const input = page.getByRole('textbox', { name: 'New name for Anonymous' })
    assert.equal(await input.evaluate((el) => el === document.activeElement), true)
    await page.keyboard.type('Nobody')
    await page.keyboard.press('Escape')
    await input.waitFor({ state: 'detached' })
    assert.equal(await focusedLabel(page), 'Rename Anonymous')
    assert.equal((await admin(page, 'identities.main')).name, 'Anonymous')

    await page.keyboard.press('Enter')
    await page.keyboard.type('Ada Lovelace')
    await page.keyboard.press('Enter')
    await status(page, 'Renamed to Ada Lovelace.')
    assert.equal(await row.locator('.name').textContent(), 'Ada Lovelace')
    assert.equal(await focusedLabel(page), 'Rename Ada Lovelace')

    const popup = await openPopup(alice)
    assert.equal(await popup.textContent('#identity-name'), 'Ada Lovelace')
    assert.equal(await popup.textContent('#identity-url'), mainUrl)
    await Promise.all([popup.close(), page.close()])
  })

  it('creates an identity and makes it main; the popup follows', async () => {
    assert.ok(alice)
    const page = await openOptions(alice)
    await page.getByLabel('New identity').fill('Ada at work')
    await page.keyboard.press('Enter')
    await status(page, 'Created Ada at work.')
    const work = (await admin(page, 'identities.list')).find((i) => i.name === 'Ada at work')
    assert.ok(work)
    const row = rowOf(page, work.url)
    assert.equal(await row.locator('.badge').count(), 0)
    await row.getByRole('button', { name: 'Make main Ada at work' }).click()
    await status(page, 'Ada at work is now your main identity.')
    assert.equal(await row.locator('.badge.main').textContent(), 'Main')
    assert.equal(await rowOf(page, mainUrl).locator('.badge.main').count(), 0)
    const popup = await openPopup(alice)
    assert.equal(await popup.textContent('#identity-name'), 'Ada at work')
    await popup.close()

    await rowOf(page, mainUrl).getByRole('button', { name: 'Make main Ada Lovelace' }).click()
    await status(page, 'Ada Lovelace is now your main identity.')
    assert.equal((await admin(page, 'identities.main')).url, mainUrl)
    await page.close()
  })

  it('deletes only after the user confirms in the dialog', async () => {
    assert.ok(alice)
    const page = await openOptions(alice)
    const work = (await admin(page, 'identities.list')).find((i) => i.name === 'Ada at work')
    assert.ok(work)
    const dialog = page.getByRole('dialog', { name: 'Delete “Ada at work”?' })
    const remove = rowOf(page, work.url).getByRole('button', { name: 'Delete Ada at work' })

    await remove.click()
    await dialog.waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'delete-cancel')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await focusedLabel(page), 'Delete Ada at work')
    await remove.click()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await admin(page, 'identities.list')).length, 2, 'nothing deleted unconfirmed')

    await remove.click()
    await dialog.getByRole('button', { name: 'Delete for good' }).click()
    await status(page, 'Deleted Ada at work.')
    await rowOf(page, work.url).waitFor({ state: 'detached' })
    assert.deepEqual(
      (await admin(page, 'identities.list')).map((i) => i.url),
      [mainUrl],
    )
    // The only identity left cannot be deleted.
    assert.equal(await page.getByRole('button', { name: /^Delete / }).count(), 0)
    await page.close()
  })

  it('exports: the dialog warns about the secret key, the file holds the same text', async () => {
    assert.ok(alice)
    const page = await openOptions(alice)
    await rowOf(page, mainUrl).getByRole('button', { name: 'Export Ada Lovelace' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export of “Ada Lovelace”' })
    await dialog.waitFor()
    const text = dialog.getByLabel('Export text (contains the secret key)')
    exported = await text.inputValue()
    assert.ok(exported.startsWith(HEADER), exported.slice(0, 80))
    assert.match((await dialog.textContent()) ?? '', /contains the identity's secret key/)

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('link', { name: 'Download file' }).click(),
    ])
    assert.equal(download.suggestedFilename(), 'porchlight-identity-ada-lovelace.txt')
    exportFile = join(downloads, download.suggestedFilename())
    await download.saveAs(exportFile)
    assert.equal(readFileSync(exportFile, 'utf8'), exported)

    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await page.inputValue('#export-text'), '', 'the secret does not stay in the page')
    await page.close()
  })

  it('imports into a second profile: truncated is refused, a file imports read-only, take over writes', async () => {
    bob = await profile('Bob')
    const page = await openOptions(bob)
    const before = await admin(page, 'identities.list')
    const rows = page.locator('#identities li')
    assert.equal(await rows.count(), 1)

    await page
      .getByRole('textbox', { name: 'Export text', exact: true })
      .fill(exported.slice(0, exported.length / 2))
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const error = page.locator('#import-error')
    await error.waitFor()
    assert.match((await error.textContent()) ?? '', /truncated/)
    assert.equal(
      await page
        .getByRole('textbox', { name: 'Export text', exact: true })
        .getAttribute('aria-invalid'),
      'true',
    )
    assert.deepEqual(await admin(page, 'identities.list'), before)
    assert.equal(await rows.count(), 1)

    // A file, without taking over: a read-only copy.
    await page.getByLabel('Or choose an export file').setInputFiles(exportFile)
    await page.locator('#import-status', { hasText: 'Read porchlight-identity' }).waitFor()
    assert.equal(
      await page.getByRole('textbox', { name: 'Export text', exact: true }).inputValue(),
      exported,
    )
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.locator('#import-status', { hasText: 'read-only here' }).waitFor()
    assert.equal(await error.isHidden(), true)
    const row = rowOf(page, mainUrl)
    await row.waitFor()
    assert.equal(await row.locator('.badge').textContent(), 'Read-only here')
    assert.equal(await row.getByRole('button', { name: /^Rename/ }).count(), 0)
    assert.equal(
      (await admin(page, 'identities.list')).find((i) => i.url === mainUrl)?.writable,
      false,
    )

    // Delete the copy, then import again taking over: this browser writes it.
    await row.getByRole('button', { name: 'Delete Ada Lovelace' }).click()
    await page.getByRole('button', { name: 'Delete for good' }).click()
    await row.waitFor({ state: 'detached' })
    await page.getByRole('textbox', { name: 'Export text', exact: true }).fill(exported)
    await page.getByRole('checkbox', { name: /Take over writing/ }).check()
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.locator('#import-status', { hasText: 'this browser now writes it' }).waitFor()
    await row.waitFor()
    assert.equal(await row.locator('.badge').count(), 0)
    await row.getByRole('button', { name: 'Rename Ada Lovelace' }).click()
    await page.getByRole('textbox', { name: 'New name for Ada Lovelace' }).fill('Ada on the laptop')
    await page.keyboard.press('Enter')
    await status(page, 'Renamed to Ada on the laptop.')
    await page.close()
  })
})

describe('options page: trackers', () => {
  let carol: Profile | undefined

  before(async () => {
    carol = await profile('Carol')
  })
  after(async () => {
    await carol?.close()
  })

  it('adds by keyboard, refuses a bad URL at the field, removes, and resets to the defaults', async () => {
    assert.ok(carol)
    const page = await openOptions(carol)
    const defaults = await admin(page, 'settings.trackers')
    const list = page.getByRole('list', { name: 'Trackers' })
    await list.getByRole('listitem').first().waitFor()
    assert.deepEqual(await list.locator('.url').allTextContents(), defaults)
    // The only tracker cannot be removed.
    assert.equal(defaults.length, 1)
    assert.equal(await list.getByRole('button', { name: /^Remove/ }).isDisabled(), true)

    const field = page.getByRole('textbox', { name: /Add a tracker/ })
    const error = page.locator('#tracker-error')
    await field.fill('https://tracker.example.org/announce')
    await page.keyboard.press('Enter')
    await error.waitFor()
    assert.match((await error.textContent()) ?? '', /not a ws:\/\/ or wss:\/\/ URL/)
    assert.equal(await field.getAttribute('aria-invalid'), 'true')
    assert.deepEqual(await admin(page, 'settings.trackers'), defaults)

    const added = 'wss://tracker.example.org/announce'
    await field.fill(added)
    await page.keyboard.press('Enter')
    await page.locator('#trackers-status', { hasText: `Added ${added}.` }).waitFor()
    assert.equal(await error.isHidden(), true)
    assert.equal(await field.inputValue(), '')
    assert.deepEqual(await admin(page, 'settings.trackers'), [...defaults, added])

    // The same URL twice is refused before it is sent.
    await field.fill(added)
    await page.keyboard.press('Enter')
    await error.filter({ hasText: 'already in the list' }).waitFor()

    await list.getByRole('button', { name: `Remove ${defaults[0]}` }).click()
    await page.locator('#trackers-status', { hasText: `Removed ${defaults[0]}.` }).waitFor()
    assert.deepEqual(await admin(page, 'settings.trackers'), [added])
    assert.deepEqual(await list.locator('.url').allTextContents(), [added])

    await page.getByRole('button', { name: 'Reset to defaults' }).click()
    await page.locator('#trackers-status', { hasText: 'Back to the default trackers.' }).waitFor()
    assert.deepEqual(await admin(page, 'settings.trackers'), defaults)

    // A reload shows what the service worker kept.
    await page.reload()
    await list.getByRole('listitem').first().waitFor()
    assert.deepEqual(await list.locator('.url').allTextContents(), defaults)
    await page.close()
  })
})
