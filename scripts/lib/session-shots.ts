/**
 * The hosting and friends half of the live element screenshots
 * (scripts/lib/element-shots.ts runs it once the lobby shots are taken):
 * the same four profiles, nothing faked.
 *
 * The story: Grace, Alan and Hedy each send Ada an invite, and she accepts
 * them. Grace hosts "Compiler night" (Hedy joins it); Alan hosts "Enigma
 * club" behind a password. Ada sees both in `<p2p-sessions>`, tries a wrong
 * password there and in a `<p2p-lobby>` on Alan's session URL (Alan's
 * browser refuses it), fills in `<p2p-host>`, sees the page with every
 * element, and starts hosting "Poetical science", which Grace and Alan join.
 * Last, Ada's toolbar popup for that tab.
 */
import type { Page } from 'playwright-core'
import { tabIdOf } from './admin.js'
import type { Profile } from './chromium.js'
import { SITE, openStage, stateOf, type Shoot } from './shot-stage.js'

/** The screenshots this file takes. */
export const SESSION_SHOTS = [
  'sessions-list',
  'sessions-password',
  'lobby-error',
  'host-form',
  'overview',
  'host-live',
  'popup',
] as const

/** Someone in the screenshots: their profile, and the site's page they granted. */
export interface Sitter {
  profile: Profile
  page: Page
}

const PASSWORD = 'the bombe at Bletchley'
const WRONG = 'enigma'
/** How long a host makes a guest wait after a first wrong password, ms (src/sessions/attempts.ts). */
const FIRST_WAIT = 5_500

/** `who` hosts a session from its page (kept open on `window`); its URL. */
function host(who: Sitter, name: string, maxPeers: number, password?: string): Promise<string> {
  return who.page.evaluate(
    async ([name, maxPeers, password]) => {
      const opts = password ? { name, maxPeers, password } : { name, maxPeers }
      const lobby = await window.p2p.host(opts)
      ;(window as unknown as { hosted: unknown }).hosted = lobby
      return lobby.url
    },
    [name, maxPeers, password ?? ''] as const,
  )
}

/** `who` joins the session at `url` from its page (kept open on `window`). */
async function join(who: Sitter, url: string): Promise<void> {
  await who.page.evaluate(async (url) => {
    const lobby = await window.p2p.joinLobby(url)
    const w = window as unknown as { joined?: unknown[] }
    w.joined = [...(w.joined ?? []), lobby]
  }, url)
}

/** Waits until `page` sees friends' sessions that `check` accepts. */
async function untilFriends(
  page: Page,
  what: string,
  check: (sessions: Array<{ name: string; peers: number }>) => boolean,
): Promise<void> {
  const deadline = Date.now() + 40_000
  for (;;) {
    const sessions = await page.evaluate(async () =>
      (await window.p2p.friends()).flatMap((f) =>
        f.session ? [{ name: f.session.name, peers: f.session.peers }] : [],
      ),
    )
    if (check(sessions)) return
    if (Date.now() > deadline) throw new Error(`never saw ${what}: ${JSON.stringify(sessions)}`)
    await page.waitForTimeout(300)
  }
}

/** Takes the session shots; `ada` looks, `grace`, `alan` and `hedy` are her friends. */
export async function shootSessions(
  ada: Sitter,
  [grace, alan, hedy]: readonly [Sitter, Sitter, Sitter],
  shoot: Shoot,
): Promise<void> {
  for (const friend of [grace, alan, hedy]) {
    const token = await friend.page.evaluate(() => window.p2p.createInvite())
    await ada.page.evaluate((t) => window.p2p.acceptInvite(t), token)
  }
  const compilerNight = await host(grace, 'Compiler night', 8)
  const enigmaClub = await host(alan, 'Enigma club', 4, PASSWORD)
  await join(hedy, compilerNight)

  const list = await openStage(ada.profile, '<p2p-sessions></p2p-sessions>', 440)
  const sessions = list.locator('p2p-sessions')
  await stateOf(sessions, 'ready')
  await untilFriends(
    list,
    'both sessions, Hedy in Grace’s',
    (s) =>
      s.some((x) => x.name === 'Compiler night' && x.peers === 2) &&
      s.some((x) => x.name === 'Enigma club'),
  )
  await sessions.locator('li.session').nth(1).waitFor()
  await sessions.getByText('2 of 8 here').waitFor()
  await shoot('sessions-list', list.locator('#stage'))

  // A wrong password, refused by Alan's browser.
  await sessions.getByRole('button', { name: 'Join Enigma club' }).click()
  await sessions.getByLabel('Password for Enigma club').fill(WRONG)
  await sessions.getByLabel('Password for Enigma club').press('Enter')
  await sessions.locator('input[aria-invalid="true"]').waitFor({ timeout: 30_000 })
  await shoot('sessions-password', list.locator('#stage'))

  // The same in a <p2p-lobby> on the session's URL, once Alan lets Ada try again.
  await list.waitForTimeout(FIRST_WAIT)
  const wrong = await openStage(
    ada.profile,
    `<p2p-lobby name="${enigmaClub}" password="${WRONG}"><span slot="heading">Enigma club</span></p2p-lobby>`,
  )
  await stateOf(wrong.locator('p2p-lobby'), 'error')
  await shoot('lobby-error', wrong.locator('#stage'))
  await wrong.close()

  const form = await openStage(
    ada.profile,
    '<p2p-host name="Poetical science" max-peers="6"></p2p-host>',
  )
  await stateOf(form.locator('p2p-host'), 'ready')
  await shoot('host-form', form.locator('#stage'))

  const overview = await openStage(
    ada.profile,
    `<div class="grid">
      <div class="column">
        <p2p-identity></p2p-identity>
        <p2p-lobby id="lobby" name="Design review" max-peers="8"></p2p-lobby>
        <div class="bar"><span>Also here</span><p2p-peer-list for="lobby" max="4"></p2p-peer-list></div>
      </div>
      <div class="column">
        <p2p-sessions></p2p-sessions>
        <p2p-host name="Poetical science" max-peers="6"></p2p-host>
      </div>
    </div>`,
    880,
  )
  await stateOf(overview.locator('p2p-lobby'), 'connected')
  await stateOf(overview.locator('p2p-identity'), 'granted')
  await stateOf(overview.locator('p2p-sessions'), 'ready')
  await stateOf(overview.locator('p2p-host'), 'ready')
  await overview.locator('p2p-sessions li.session').nth(1).waitFor()
  await overview.locator('p2p-peer-list li.stack-item').nth(2).waitFor()
  await shoot('overview', overview.locator('#stage'))

  // Ada hosts; Grace and Alan join her session.
  const hosting = form.locator('p2p-host')
  await hosting.getByRole('button', { name: /Start hosting/ }).click()
  await stateOf(hosting, 'hosting')
  const mine = await form.evaluate(() => document.querySelector('p2p-host')?.lobby?.url ?? '')
  await join(grace, mine)
  await join(alan, mine)
  await form.waitForFunction(
    () => (document.querySelector('p2p-host')?.lobby?.peers.length ?? 0) >= 2,
  )
  await shoot('host-live', form.locator('#stage'))

  const tab = await tabIdOf(ada.profile, overview)
  const popup = await ada.profile.context.newPage()
  // The popup's body is 22rem wide; Chrome sizes the popup window to it.
  await popup.setViewportSize({ width: 352, height: 200 })
  await popup.goto(
    `chrome-extension://${ada.profile.extensionId}/extension/popup/popup.html?origin=${SITE}&tab=${tab}`,
  )
  await popup.locator('#friends-online-list > li').nth(2).waitFor({ timeout: 30_000 })
  await popup.getByText(/Hosting Enigma club/).waitFor({ timeout: 20_000 })
  // The overview tab's "Design review", with the others in it.
  await popup.locator('#lobby-peers-list li.person').nth(1).waitFor({ timeout: 20_000 })
  await shoot('popup', popup)
  await popup.close()
}
