/**
 * The popup's Join (../../src/sessions/join-intents.ts): open the session's
 * site in a new tab with an intent the page there takes once and joins.
 */
import { P2PError } from '../../src/errors.js'
import type { FriendWire } from '../../src/protocol/sessions.js'
import { JoinIntents, type JoinIntent } from '../../src/sessions/join-intents.js'
import { parseSessionUrl, sessionUrl } from '../../src/sessions/session-url.js'
import { friendsOf } from './friends.js'
import type { GrantedContext } from './handlers.js'
import { mainIdentity } from './identities.js'

const KEY = 'joinIntents'

const intents = new JoinIntents({
  load: async () => {
    const value: unknown = (await chrome.storage.session.get(KEY))[KEY]
    return Array.isArray(value) ? (value as JoinIntent[]) : []
  },
  save: (all) => chrome.storage.session.set({ [KEY]: all }),
})

/**
 * Admin `sessions.openJoin`: `url` must be the live session of one of the
 * main identity's friends (what the popup lists); opens its site.
 */
export async function openJoin(url: string): Promise<null> {
  const canonical = sessionUrl(parseSessionUrl(url))
  const friends = await friendsOf((await mainIdentity()).url)
  const friend = friends.find((f) => f.session?.url === canonical)
  if (!friend) {
    throw P2PError.INVALID_ARGUMENT('that is not a live session of a friend (it may have ended)')
  }
  const { origin } = parseSessionUrl(canonical)
  const tab = await chrome.tabs.create({ url: `${origin}/` })
  if (tab.id === undefined) throw P2PError.NOT_SUPPORTED('a tab without an id')
  await intents.put(tab.id, origin, friend)
  return null
}

/** Page `joinIntent`: the session the user chose in the popup for this tab, once. */
export function joinIntent(ctx: GrantedContext): Promise<FriendWire | null> {
  if (!ctx.frame) return Promise.resolve(null)
  return intents.take(ctx.frame.tabId, ctx.origin)
}
