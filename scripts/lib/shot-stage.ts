/**
 * What the live screenshots share (scripts/lib/element-shots.ts and
 * ./session-shots.ts): the site every profile opens, its stage, the prompt
 * a person answers, and taking one shot in both colour schemes.
 */
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import type { Profile } from './chromium.js'
import { SITE_PAGE } from './site-page.js'

export const SITE = 'https://studio.example'
const SCHEMES = ['light', 'dark'] as const

/** Serves SITE_PAGE for every path of SITE in this profile. */
export async function serveSite(p: Profile): Promise<void> {
  await p.context.route(`${SITE}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: SITE_PAGE }),
  )
}

/** Stages opened so far: each gets a URL of its own. */
let stages = 0

/**
 * Opens the site with `markup` on its stage (the page script defines the
 * elements it uses). Every stage has its own URL (`/stage/<n>`), so that
 * tabIdOf() finds this very tab and not the first one showing the site.
 */
export async function openStage(p: Profile, markup: string, width = 400): Promise<Page> {
  const page = await p.context.newPage()
  page.on('pageerror', (err) => console.error(`${p.name}: ${err.message}`))
  await page.goto(`${SITE}/stage/${++stages}`)
  await page.waitForFunction(() => 'p2p' in window)
  await page.evaluate(
    ([markup, width]) => {
      const stage = document.getElementById('stage') as HTMLElement
      stage.style.width = `${width}px`
      stage.innerHTML = markup
    },
    [markup, width] as const,
  )
  return page
}

/** Waits until `el` reflects `state`. */
export async function stateOf(el: Locator, state: string, timeout = 30_000): Promise<void> {
  await el.and(el.page().locator(`[state="${state}"]`)).waitFor({ timeout })
}

/**
 * "Show my presence" in `element`, then "Allow" in the prompt it opens (once
 * per profile), letting the site see friends too.
 */
export async function showPresence(p: Profile, element: Locator): Promise<void> {
  const prompt = p.context.waitForEvent('page', {
    predicate: (pg) => pg.url().includes('/extension/prompt/prompt.html'),
    timeout: 20_000,
  })
  await element.getByRole('button', { name: 'Show my presence' }).click()
  const window = await prompt
  await window.getByLabel(/see which of my friends/).check()
  await window.getByRole('button', { name: 'Allow', exact: true }).click()
}

/** Lets joins' transitions end (the screenshot itself stops endless animations at their start). */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0)
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.waitForTimeout(400)
}

/** Takes `<name>-<scheme>.png` of an element (or a whole page), light and dark. */
export type Shoot = (name: string, target: Locator | Page) => Promise<void>

/** A Shoot that writes into `outDir` the shots `wanted` names, and lists them in `written`. */
export function shooter(outDir: string, wanted: readonly string[], written: string[]): Shoot {
  return async (name, target) => {
    if (!wanted.includes(name)) return
    const page = 'page' in target ? target.page() : target
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme })
      await settle(page)
      const file = resolve(outDir, `${name}-${scheme}.png`)
      const opts = { path: file, animations: 'disabled', caret: 'hide' } as const
      if ('page' in target) await target.screenshot(opts)
      else await target.screenshot({ ...opts, fullPage: true })
      written.push(file)
    }
  }
}
