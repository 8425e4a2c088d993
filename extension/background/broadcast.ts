/**
 * Events from the extension to pages. They go to the content bridges through
 * `tabs.sendMessage`, so no port has to stay open for them and the worker may
 * sleep while pages are idle. Each event names the origin it is for; a bridge
 * passes it to its page only when that is the page's own origin, so the
 * frames of other sites in the same tab never see it.
 */
import type { PageEventName, PageEvents } from '../../src/protocol/messages.js'

export interface OriginEvent<N extends PageEventName = PageEventName> {
  t: 'evt'
  name: N
  data: PageEvents[N]
  origin: string
}

export async function toOrigin<N extends PageEventName>(
  origin: string,
  name: N,
  data: PageEvents[N],
): Promise<void> {
  const message: OriginEvent<N> = { t: 'evt', name, data, origin }
  const tabs = await chrome.tabs.query({})
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : chrome.tabs.sendMessage(tab.id, message).catch(() => {
            // A tab without the bridge (chrome:// pages, the Web Store): nothing to tell.
          }),
    ),
  )
}
