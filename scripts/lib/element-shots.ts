/**
 * The `<p2p-*>` elements in `npm run screenshots`, live: on a site's page in
 * Chromium with the built extension (dist/chrome), talking to real peers in
 * three more profiles over WebRTC through a tracker on 127.0.0.1. Nothing is
 * faked: the names come from the profiles' identities, the status lines are
 * their session-data, the sessions are hosted by those profiles.
 *
 * The story: Grace, Alan and Hedy are in studio.example's "Design review",
 * each with a status line. Ada opens the page (needs permission), shows her
 * presence and allows it, and then sees them (connected). With
 * `max-peers="2"` her lobby fills up; an empty room keeps discovering. Then
 * the friends and hosting shots of ./session-shots.ts, with the same people.
 */
import type { Page } from 'playwright-core'
import { configureProfile } from './admin.js'
import { launchProfile, type Profile } from './chromium.js'
import { SESSION_SHOTS, shootSessions, type Sitter } from './session-shots.js'
import { openStage, serveSite, shooter, showPresence, stateOf } from './shot-stage.js'
import { startTracker } from './tracker.js'

/** The screenshots this file takes, `<name>-<scheme>.png` each. */
export const LIVE_ELEMENT_SHOTS = [
  'identity-needs-permission',
  'lobby-needs-permission',
  'lobby-connected',
  'lobby-discovering',
  'lobby-full',
  'peer-list',
  'identity-granted',
  ...SESSION_SHOTS,
] as const

const LOBBY = 'Design review'
const PEERS: ReadonlyArray<readonly [string, string]> = [
  ['Grace Hopper', 'Sketching the onboarding flow'],
  ['Alan Turing', 'Away for lunch'],
  ['Hedy Lamarr', 'Reviewing the copy'],
]
/** session.json's heartbeat in every profile (a test build's setting), ms: friends see sessions soon. */
const HEARTBEAT = 2_000

/** Sets the page's status line in the lobby of `<p2p-lobby>` (session-data). */
async function setStatus(page: Page, text: string): Promise<void> {
  await page.waitForFunction(() => !!document.querySelector('p2p-lobby')?.lobby)
  await page.evaluate(
    (text) => document.querySelector('p2p-lobby')?.lobby?.setSessionData(text),
    text,
  )
}

/** A profile named `name` on the tracker, with the site served. */
async function launch(name: string, tracker: string, scale = 1): Promise<Profile> {
  const p = await launchProfile({ name: `shots-${name.split(' ')[0]}`, deviceScaleFactor: scale })
  await configureProfile(p, { name, trackers: [tracker], heartbeat: HEARTBEAT })
  await serveSite(p)
  return p
}

/** Takes the shots whose name contains `filter` into `outDir`; returns the files written. */
export async function shootLiveElements(outDir: string, filter = ''): Promise<string[]> {
  const wanted = LIVE_ELEMENT_SHOTS.filter((n) => n.includes(filter))
  if (wanted.length === 0) return []
  const written: string[] = []
  const shoot = shooter(outDir, wanted, written)

  const tracker = await startTracker()
  const profiles: Profile[] = []
  try {
    // The others first: they are in the lobby when Ada arrives.
    const friends: Sitter[] = []
    for (const [name, status] of PEERS) {
      const p = await launch(name, tracker.url)
      profiles.push(p)
      const page = await openStage(p, `<p2p-lobby name="${LOBBY}"></p2p-lobby>`)
      await showPresence(p, page.locator('p2p-lobby'))
      await setStatus(page, status)
      friends.push({ profile: p, page })
    }

    const ada = await launch('Ada Lovelace', tracker.url, 2)
    profiles.push(ada)
    const unknown = await openStage(
      ada,
      '<div class="bar"><span>Seen here as</span><p2p-identity></p2p-identity></div>',
    )
    await stateOf(unknown.locator('p2p-identity'), 'needs-permission')
    await shoot('identity-needs-permission', unknown.locator('.bar'))
    await unknown.close()

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
    // Its lobby is shared with every page of Ada's joining it: leave, so the next can be smaller.
    await page.close()

    const full = await openStage(ada, `<p2p-lobby name="${LOBBY}" max-peers="2"></p2p-lobby>`)
    await stateOf(full.locator('p2p-lobby'), 'full')
    await shoot('lobby-full', full.locator('#stage'))
    await full.close()

    const empty = await openStage(ada, `<p2p-lobby name="Standup"></p2p-lobby>`)
    await stateOf(empty.locator('p2p-lobby'), 'discovering')
    await shoot('lobby-discovering', empty.locator('#stage'))
    await empty.close()

    if (SESSION_SHOTS.some((n) => wanted.includes(n))) {
      const [grace, alan, hedy] = friends as [Sitter, Sitter, Sitter]
      const desk = await openStage(ada, '')
      await shootSessions({ profile: ada, page: desk }, [grace, alan, hedy], shoot)
    }
  } finally {
    await Promise.all(profiles.map((p) => p.close()))
    await tracker.close()
  }
  return written
}
