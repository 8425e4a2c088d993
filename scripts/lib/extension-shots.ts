/**
 * The extension half of `npm run screenshots`: the built extension
 * (dist/chrome) in Chromium, driven through its own pages like a person
 * would, then the permission prompt and the options page, light and dark
 * (the toolbar popup is taken among friends: ./session-shots.ts).
 *
 * The story: Ada renames her identity, imports the one she uses on her
 * laptop (read-only here), lets boardgames.example see her and gives
 * chess.example an identity of its own. The sites are pages Playwright
 * serves for those https origins, so the pictures show real site names.
 */
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { launchProfile, type Profile } from './chromium.js'

/** The screenshots this file takes, `<name>-<scheme>.png` each. */
export const EXTENSION_SHOTS = ['prompt', 'options'] as const
type Shot = (typeof EXTENSION_SHOTS)[number]

const SITES = ['https://boardgames.example', 'https://chess.example']
const SCHEMES = ['light', 'dark'] as const

/** A page of the extension, e.g. `extension/options/options.html`. */
async function open(p: Profile, path: string): Promise<Page> {
  const page = await p.context.newPage()
  page.on('pageerror', (err) => console.error(`${path}: ${err.message}`))
  await page.goto(`chrome-extension://${p.extensionId}/${path}`)
  return page
}

async function options(p: Profile): Promise<Page> {
  const page = await open(p, 'extension/options/options.html')
  await page.waitForSelector('#identities:not([aria-busy])', { timeout: 20_000 })
  return page
}

async function renameMain(page: Page, name: string): Promise<void> {
  await page
    .locator('#identities li')
    .first()
    .getByRole('button', { name: /^Rename / })
    .click()
  await page.locator('.rename-form input').fill(name)
  await page.keyboard.press('Enter')
  await page.locator('#identities-status', { hasText: `Renamed to ${name}.` }).waitFor()
}

/** Ada's other browser: her identity there, exported through the options page. */
async function laptopExport(): Promise<string> {
  const laptop = await launchProfile({ name: 'screenshots-laptop' })
  try {
    const page = await options(laptop)
    await renameMain(page, 'Ada at the Engine Society')
    await page.getByRole('button', { name: /^Export / }).click()
    await page.waitForFunction(
      () => (document.getElementById('export-text') as HTMLTextAreaElement).value.length > 0,
    )
    return await page.inputValue('#export-text')
  } finally {
    await laptop.close()
  }
}

/** Serves a plain page for each of SITES (the extension's scripts run there as on any site). */
async function serveSites(p: Profile): Promise<void> {
  for (const origin of SITES) {
    const host = new URL(origin).host
    await p.context.route(`${origin}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><title>${host}</title><h1>${host}</h1></html>`,
      }),
    )
  }
}

/** Opens `origin`, asks for presence there and returns the prompt window. */
async function prompt(p: Profile, origin: string): Promise<Page> {
  const site = await p.context.newPage()
  await site.goto(`${origin}/`)
  await site.waitForFunction(() => 'p2p' in window)
  const isPrompt = (pg: Page) => pg.url().includes(encodeURIComponent(origin))
  const opened = p.context.waitForEvent('page', { predicate: isPrompt, timeout: 10_000 })
  void site.evaluate(() => window.p2p.requestPermission()).catch(() => undefined)
  const page = await opened
  await page.waitForFunction(() => !!document.getElementById('main-url')?.textContent)
  return page
}

async function capture(page: Page, file: string, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme })
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' })
}

/** Takes the shots whose name contains `filter` into `outDir`; returns the files written. */
export async function shootExtension(outDir: string, filter = ''): Promise<string[]> {
  const wanted = EXTENSION_SHOTS.filter((n) => n.includes(filter))
  if (wanted.length === 0) return []
  const written: string[] = []
  const shoot = async (name: Shot, page: Page): Promise<void> => {
    if (!wanted.includes(name)) return
    for (const scheme of SCHEMES) {
      const file = resolve(outDir, `${name}-${scheme}.png`)
      await capture(page, file, scheme)
      written.push(file)
    }
  }

  const laptopText = await laptopExport()
  const ada = await launchProfile({ name: 'screenshots-ada', deviceScaleFactor: 2 })
  try {
    await serveSites(ada)
    const settings = await options(ada)
    await renameMain(settings, 'Ada Lovelace')
    await settings.getByRole('textbox', { name: 'Export text', exact: true }).fill(laptopText)
    await settings.getByRole('button', { name: 'Import', exact: true }).click()
    await settings.locator('#import-status', { hasText: 'read-only here' }).waitFor()

    const [boardgames, chess] = SITES as [string, string]
    const first = await prompt(ada, boardgames)
    await first.setViewportSize({ width: 440, height: 420 })
    await shoot('prompt', first)
    await first.getByRole('button', { name: 'Allow', exact: true }).click()
    const second = await prompt(ada, chess)
    await second.getByLabel('A new identity for this site only').check()
    await second.getByRole('button', { name: 'Allow', exact: true }).click()

    await settings.setViewportSize({ width: 860, height: 600 })
    await settings.reload()
    await settings.locator('#sites li').nth(1).waitFor()
    await settings.locator('#identities li').nth(2).waitFor()
    await shoot('options', settings)
  } finally {
    await ada.close()
  }
  return written
}
