/**
 * The extension's admin channel from Node (tests, the demo, screenshots): a
 * call made from one of the extension's own pages, as the options page does.
 */
import type { Page } from 'playwright-core'
import type { Profile } from './chromium.js'
import type { AdminMethod, AdminMethods } from '../../src/protocol/admin.js'
import type { IceServer } from '../../src/protocol/ice.js'

export type AdminAnswer<M extends AdminMethod> =
  | { ok: true; result: AdminMethods[M]['result'] }
  | { ok: false; error: { code: string; message: string } }

/** One admin call from an extension page (popup, options…), over a port of its own. */
export function adminCall<M extends AdminMethod>(
  page: Page,
  method: M,
  params?: AdminMethods[M]['params'],
): Promise<AdminAnswer<M>> {
  return page.evaluate(
    ([method, params]) =>
      new Promise<AdminAnswer<M>>((resolve) => {
        const port = chrome.runtime.connect({ name: 'porchlight:admin' })
        port.onMessage.addListener((res: AdminAnswer<M>) => {
          port.disconnect()
          resolve(res)
        })
        port.postMessage({ t: 'req', id: 1, method, params })
      }),
    [method, params] as const,
  )
}

/** An admin call that must succeed; its result. */
export async function admin<M extends AdminMethod>(
  page: Page,
  method: M,
  params?: AdminMethods[M]['params'],
): Promise<AdminMethods[M]['result']> {
  const answer = await adminCall(page, method, params)
  if (!answer.ok) throw new Error(`${method} failed: ${answer.error.code}: ${answer.error.message}`)
  return answer.result
}

/**
 * Sets a profile up through the options page's admin channel: renames its
 * main identity to `name` and/or points its lobbies at `trackers` and/or
 * the ICE servers `ice`, and/or sets session.json's `heartbeat` (ms; a test
 * build's setting).
 */
export async function configureProfile(
  p: Profile,
  opts: { name?: string; trackers?: string[]; ice?: IceServer[]; heartbeat?: number },
): Promise<void> {
  const page = await p.context.newPage()
  try {
    await page.goto(`chrome-extension://${p.extensionId}/extension/options/options.html`)
    if (opts.name !== undefined) {
      const main = await admin(page, 'identities.main')
      await admin(page, 'identities.rename', { url: main.url, name: opts.name })
    }
    if (opts.trackers) await admin(page, 'settings.setTrackers', { urls: opts.trackers })
    if (opts.ice) await admin(page, 'settings.setIce', { servers: opts.ice })
    if (opts.heartbeat) await admin(page, 'settings.setHeartbeat', { ms: opts.heartbeat })
  } finally {
    await page.close()
  }
}

/** The id of the tab showing `page` (for extension pages that take ?tab=), asked from an extension page. */
export async function tabIdOf(p: Profile, page: Page): Promise<number> {
  // Tabs can share a URL: mark this one by a title only it has for a moment.
  const mark = `porchlight-tab-${Math.random().toString(36).slice(2)}`
  const title = await page.evaluate((mark) => {
    const before = document.title
    document.title = mark
    return before
  }, mark)
  const probe = await p.context.newPage()
  try {
    await probe.goto(`chrome-extension://${p.extensionId}/extension/options/options.html`)
    const id = await probe.evaluate(async (mark) => {
      for (let i = 0; i < 50; i++) {
        const tab = (await chrome.tabs.query({})).find((t) => t.title === mark)
        if (tab?.id !== undefined) return tab.id
        await new Promise((r) => setTimeout(r, 20))
      }
      return undefined
    }, mark)
    if (id === undefined) throw new Error(`no tab shows ${page.url()}`)
    return id
  } finally {
    await probe.close()
    await page.evaluate((title) => (document.title = title), title)
  }
}
