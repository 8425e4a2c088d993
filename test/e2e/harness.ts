/**
 * Shared e2e fixtures: test pages on loopback, profiles with the built
 * extension, and helpers to reach into the extension's contexts.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { launchProfile, type LaunchOptions, type Profile } from '../../scripts/lib/chromium.js'
import { serveStatic, type StaticServer } from '../../scripts/lib/static-server.js'
import { admin as adminOnce, configureProfile } from '../../scripts/lib/admin.js'
import type { AdminMethod, AdminMethods } from '../../src/protocol/admin.js'

export { adminCall, tabIdOf, type AdminAnswer } from '../../scripts/lib/admin.js'

export const FIXTURES = resolve(import.meta.dirname, '../fixtures')

export async function fixtureServer(host = '127.0.0.1'): Promise<StaticServer> {
  return serveStatic(FIXTURES, { host })
}

export async function profile(name: string, opts: Partial<LaunchOptions> = {}): Promise<Profile> {
  return launchProfile({ name, ...opts })
}

/**
 * Opens `url` and waits until `window.p2p` is there. Polls without a user
 * gesture (Playwright's waitForFunction would give the page one, and the
 * permission rules depend on gestures).
 */
export async function openPage(p: Profile, url: string): Promise<Page> {
  const page = await p.context.newPage()
  await page.goto(url)
  await within(10_000, `window.p2p on ${url}`, async () => {
    while (!(await evaluateWithoutGesture<boolean>(page, "'p2p' in window"))) {
      await new Promise((r) => setTimeout(r, 50))
    }
  })
  return page
}

/** Runs `fn` and fails if it takes longer than `ms`: a call must never hang. */
export async function within<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([fn(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Evaluates `expression` in the page as script would run on its own, with no
 * user activation (Playwright's evaluate always simulates a user gesture).
 */
export async function evaluateWithoutGesture<T>(page: Page, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
      userGesture: false,
    })
    if (exceptionDetails)
      throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text)
    return result.value as T
  } finally {
    await cdp.detach()
  }
}

/**
 * Opens `url` in a page whose own script keeps the content bridge's
 * MessagePort as `window.stolen`, as a hostile page could, to send the bridge
 * raw messages.
 */
export async function stealPort(p: Profile, url: string): Promise<Page> {
  const page = await p.context.newPage()
  await page.addInitScript(() => {
    window.addEventListener('message', (e) => {
      if ((e.data as { porchlight?: string } | null)?.porchlight === 'port') {
        ;(window as unknown as { stolen: MessagePort }).stolen = e.ports[0]!
      }
    })
  })
  await page.goto(url)
  await page.waitForFunction(() => 'stolen' in window)
  return page
}

/** The prompt window the extension opened for `origin`. */
export async function promptFor(p: Profile, origin: string): Promise<Page> {
  const host = encodeURIComponent(origin)
  const isPrompt = (pg: Page) =>
    pg.url().includes('/extension/prompt/prompt.html') && pg.url().includes(host)
  const existing = p.context.pages().find(isPrompt)
  const prompt =
    existing ?? (await p.context.waitForEvent('page', { predicate: isPrompt, timeout: 10_000 }))
  await prompt.waitForLoadState()
  return prompt
}

/**
 * Asks for presence permission in `page` and clicks "Allow" (ticking "see my
 * friends" when `friends`); resolves with the identity.
 */
export async function allow(
  p: Profile,
  page: Page,
  choice: 'main' | 'site' = 'main',
  opts: { friends?: boolean } = {},
): Promise<{ url: string; name: string; created: number }> {
  const granted = page.evaluate(() => window.p2p.requestPermission())
  const prompt = await promptFor(p, new URL(page.url()).origin)
  if (choice === 'site') await prompt.getByLabel('A new identity for this site only').check()
  if (opts.friends) await prompt.getByLabel(/see which of my friends/).check()
  await prompt.getByRole('button', { name: 'Allow', exact: true }).click()
  return granted
}

/** Opens one of the extension's own pages, e.g. `extension/options/options.html`. */
export async function extensionPage(p: Profile, path: string): Promise<Page> {
  const page = await p.context.newPage()
  await page.goto(`chrome-extension://${p.extensionId}/${path}`)
  return page
}

/** The toolbar popup, opened as a tab, once it shows the main identity. */
export async function openPopup(p: Profile, query = ''): Promise<Page> {
  const page = await extensionPage(p, `extension/popup/popup.html${query}`)
  await page.waitForSelector('#identity-name:not([aria-busy])', { timeout: 20_000 })
  return page
}

/** An admin call that must succeed within 20 s; its result. */
export function admin<M extends AdminMethod>(
  page: Page,
  method: M,
  params?: AdminMethods[M]['params'],
): Promise<AdminMethods[M]['result']> {
  return within(20_000, `admin ${method}`, () => adminOnce(page, method, params))
}

/** Renames the profile's main identity (as the options page does). */
export function nameIdentity(p: Profile, name: string): Promise<void> {
  return within(20_000, 'renaming the identity', () => configureProfile(p, { name }))
}

/** Points the profile's lobbies at `urls` (the options page's tracker list), through the admin channel. */
export function useTrackers(p: Profile, urls: string[]): Promise<void> {
  return within(20_000, 'setting the trackers', () => configureProfile(p, { trackers: urls }))
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/** The WCAG 2.2 A/AA rules and axe's best practices, on the whole page. */
const AXE_OPTIONS = {
  runOnly: {
    type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
  },
  resultTypes: ['violations'],
}

interface AxeViolation {
  id: string
  help: string
  nodes: Array<{ target: unknown[]; failureSummary?: string }>
}

/**
 * Runs axe-core in `page` (evaluated, since extension pages forbid inline
 * scripts) in the light and the dark scheme; a readable list of the
 * violations, '' when there are none.
 */
export async function axeViolations(page: Page): Promise<string> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE)
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const violations = await page.evaluate(
      (options) =>
        (
          window as unknown as {
            axe: { run(c: Document, o: unknown): Promise<{ violations: AxeViolation[] }> }
          }
        ).axe
          .run(document, options)
          .then((r) => r.violations),
      AXE_OPTIONS,
    )
    for (const v of violations) {
      const where = v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
      found.push(`[${colorScheme}] ${v.id}: ${v.help}\n${where.join('\n')}`)
    }
  }
  await page.emulateMedia({ colorScheme: null })
  return found.join('\n')
}
