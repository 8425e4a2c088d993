/**
 * The live half of the element screenshots in `npm run screenshots`: the
 * `<p2p-*>` elements on a site's page in Chromium with the built extension
 * (dist/chrome), talking to real peers in three more profiles over WebRTC
 * through a tracker on 127.0.0.1. Nothing is faked: the names come from the
 * profiles' identities, the status lines are their session-data.
 *
 * The story: Grace, Alan and Hedy are in studio.example's "Design review",
 * each with a status line. Ada opens the page (needs permission), shows her
 * presence and allows it, and then sees them (connected). With
 * `max-peers="2"` her lobby fills up; an empty room keeps discovering.
 */
import { resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { configureProfile } from './admin.js'
import { launchProfile, type Profile } from './chromium.js'
import { SITE_PAGE } from './site-page.js'
import { startTracker } from './tracker.js'

/** The screenshots this file takes, `<name>-<scheme>.png` each. */
export const LIVE_ELEMENT_SHOTS = [
  'lobby-needs-permission',
  'lobby-connected',
  'lobby-discovering',
  'lobby-full',
  'peer-list',
  'identity-granted',
] as const
type Shot = (typeof LIVE_ELEMENT_SHOTS)[number]

const SITE = 'https://studio.example'
const LOBBY = 'Design review'
const SCHEMES = ['light', 'dark'] as const
const PEERS: ReadonlyArray<readonly [string, string]> = [
  ['Grace Hopper', 'Sketching the onboarding flow'],
  ['Alan Turing', 'Away for lunch'],
  ['Hedy Lamarr', 'Reviewing the copy'],
]

/** Serves SITE_PAGE for every path of SITE in this profile. */
async function serveSite(p: Profile): Promise<void> {
  await p.context.route(`${SITE}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: SITE_PAGE }),
  )
}

/** Opens the site with `markup` on its stage (the page script defines the elements it uses). */
async function openStage(p: Profile, markup: string, width = 400): Promise<Page> {
  const page = await p.context.newPage()
  page.on('pageerror', (err) => console.error(`${p.name}: ${err.message}`))
  await page.goto(`${SITE}/`)
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

async function stateOf(el: Locator, state: string, timeout = 30_000): Promise<void> {
  await el.and(el.page().locator(`[state="${state}"]`)).waitFor({ timeout })
}

/** "Show my presence" in `lobby`, then "Allow" in the prompt it opens (once per profile). */
async function showPresence(p: Profile, lobby: Locator): Promise<void> {
  const prompt = p.context.waitForEvent('page', {
    predicate: (pg) => pg.url().includes('/extension/prompt/prompt.html'),
    timeout: 20_000,
  })
  await lobby.getByRole('button', { name: 'Show my presence' }).click()
  const window = await prompt
  await window.getByRole('button', { name: 'Allow', exact: true }).click()
}

/** Sets the page's status line in the lobby of `<p2p-lobby>` (session-data). */
async function setStatus(page: Page, text: string): Promise<void> {
  await page.waitForFunction(() => !!document.querySelector('p2p-lobby')?.lobby)
  await page.evaluate(
    (text) => document.querySelector('p2p-lobby')?.lobby?.setSessionData(text),
    text,
  )
}

/** Lets joins' transitions end (the screenshot itself stops endless animations at their start). */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0)
  await page.waitForTimeout(400)
}

/** Takes the shots whose name contains `filter` into `outDir`; returns the files written. */
export async function shootLiveElements(outDir: string, filter = ''): Promise<string[]> {
  const wanted = LIVE_ELEMENT_SHOTS.filter((n) => n.includes(filter))
  if (wanted.length === 0) return []
  const written: string[] = []
  const shoot = async (name: Shot, target: Locator): Promise<void> => {
    if (!wanted.includes(name)) return
    for (const scheme of SCHEMES) {
      await target.page().emulateMedia({ colorScheme: scheme })
      await settle(target.page())
      const file = resolve(outDir, `${name}-${scheme}.png`)
      await target.screenshot({ path: file, animations: 'disabled', caret: 'hide' })
      written.push(file)
    }
  }

  const tracker = await startTracker()
  const profiles: Profile[] = []
  try {
    // The others first: they are in the lobby when Ada arrives.
    for (const [name, status] of PEERS) {
      const p = await launchProfile({ name: `shots-${name.split(' ')[0]}` })
      profiles.push(p)
      await configureProfile(p, { name, trackers: [tracker.url] })
      await serveSite(p)
      const page = await openStage(p, `<p2p-lobby name="${LOBBY}"></p2p-lobby>`)
      await showPresence(p, page.locator('p2p-lobby'))
      await setStatus(page, status)
    }

    const ada = await launchProfile({ name: 'shots-Ada', deviceScaleFactor: 2 })
    profiles.push(ada)
    await configureProfile(ada, { name: 'Ada Lovelace', trackers: [tracker.url] })
    await serveSite(ada)
    const page = await openStage(
      ada,
      `<p2p-lobby id="review" name="${LOBBY}" max-peers="8"></p2p-lobby>`,
    )
    const lobby = page.locator('p2p-lobby')
    await stateOf(lobby, 'needs-permission')
    await shoot('lobby-needs-permission', page.locator('#stage'))
    await showPresence(ada, lobby)
    await setStatus(page, 'Taking notes')
    await stateOf(lobby, 'connected')
    await page.waitForFunction(
      (n) => document.querySelector('p2p-lobby')?.shadowRoot?.textContent?.includes(n),
      PEERS.at(-1)?.[1] ?? '',
      { timeout: 30_000 },
    )
    await shoot('lobby-connected', page.locator('#stage'))

    await page.evaluate(() => {
      const stage = document.getElementById('stage') as HTMLElement
      stage.insertAdjacentHTML(
        'beforeend',
        `<div class="bar"><span>Design review</span><p2p-peer-list for="review" include-self></p2p-peer-list></div>
         <div class="bar"><span>Seen here as</span><p2p-identity></p2p-identity></div>`,
      )
      document.getElementById('review')?.setAttribute('hidden', '')
    })
    await page.locator('p2p-peer-list li.stack-item').nth(PEERS.length).waitFor()
    await stateOf(page.locator('p2p-identity'), 'granted')
    await shoot('peer-list', page.locator('.bar').first())
    await shoot('identity-granted', page.locator('.bar').nth(1))
    await page.close()

    const full = await openStage(ada, `<p2p-lobby name="${LOBBY}" max-peers="2"></p2p-lobby>`)
    await stateOf(full.locator('p2p-lobby'), 'full')
    await shoot('lobby-full', full.locator('#stage'))
    await full.close()

    const empty = await openStage(ada, `<p2p-lobby name="Standup"></p2p-lobby>`)
    await stateOf(empty.locator('p2p-lobby'), 'discovering')
    await shoot('lobby-discovering', empty.locator('#stage'))
    await empty.close()
  } finally {
    await Promise.all(profiles.map((p) => p.close()))
    await tracker.close()
  }
  return written
}
