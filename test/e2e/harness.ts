/**
 * Shared e2e fixtures: test pages on loopback, profiles with the built
 * extension, and helpers to reach into the extension's contexts.
 */
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { launchProfile, type LaunchOptions, type Profile } from '../../scripts/lib/chromium.js'
import { serveStatic, type StaticServer } from '../../scripts/lib/static-server.js'

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
