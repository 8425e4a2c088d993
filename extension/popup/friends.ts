/**
 * The popup's "Friends online": the main identity's friends who are online
 * or hosting, each hosted session with its site and a Join button. Join asks
 * the worker to open the site with the session as that tab's join intent
 * (../../src/sessions/join-intents.ts), which the page's `<p2p-sessions>`
 * takes and joins there (lobbies belong to their site), asking for the
 * password if there is one. Redrawn on every "friends changed" notice while
 * the popup is open (and by the popup's own refresh), only when something
 * changed; hidden while there is nobody to show.
 */
import { FRIENDS_CHANGED } from '../../src/protocol/admin.js'
import type { FriendWire } from '../../src/protocol/sessions.js'
import { parseSessionUrl } from '../../src/sessions/session-url.js'
import { isRecord, own } from '../../src/protocol/validate.js'
import { admin } from '../shared/admin-client.js'
import { avatar } from '../shared/avatar.js'
import { byId, el, showError } from '../shared/dom.js'

function siteOf(url: string): string | null {
  try {
    return parseSessionUrl(url).origin
  } catch {
    return null
  }
}

function row(friend: FriendWire): HTMLElement {
  const { identity, session } = friend
  // Name and status on one line, then what they host and Join, all beside the avatar.
  const who = el(
    'div',
    { class: 'who' },
    el(
      'p',
      {},
      el('span', {}, identity.name),
      el('span', { class: 'muted' }, friend.online ? ' online' : ' away'),
    ),
  )
  const site = session ? siteOf(session.url) : null
  if (session && site) {
    const join = el('button', { type: 'button' }, `Join ${session.name}`)
    join.onclick = () => {
      join.disabled = true
      admin('sessions.openJoin', { url: session.url }).then(
        () => window.close(),
        (err: unknown) => {
          join.disabled = false
          showError(err)
        },
      )
    }
    who.append(
      el(
        'p',
        { class: 'muted' },
        `Hosting ${session.name} (${session.peers}/${session.maxPeers}${session.protected ? ', password' : ''}) on ${site}`,
      ),
      join,
    )
  }
  return el('li', { class: 'person', 'data-friend': identity.url }, avatar(identity), who)
}

let drawing = 0
/** The friends last drawn, so a refresh that finds the same leaves the list (and focus) alone. */
let drawn = ''

export async function renderFriends(): Promise<void> {
  const turn = ++drawing
  const friends = (await admin('friends.list')).filter((f) => f.online || f.session)
  if (turn !== drawing) return // a newer redraw started meanwhile
  const key = JSON.stringify(friends)
  if (key === drawn) return
  drawn = key
  byId('friends-online-list').replaceChildren(...friends.map(row))
  byId('friends-online').hidden = friends.length === 0
}

/** Redraws on the worker's "friends changed" notices while the popup is open. */
export function followFriends(): void {
  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    if (sender.id !== chrome.runtime.id || !isRecord(message)) return
    if (own(message, 't') === FRIENDS_CHANGED) renderFriends().catch(() => undefined)
  })
}
