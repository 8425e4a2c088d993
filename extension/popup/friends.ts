/**
 * The popup's "Friends online": the main identity's friends who are online
 * or hosting, each hosted session with its site and a Join button that
 * opens the site (whose `<p2p-sessions>` joins it there: lobbies belong to
 * their site). Hidden while there is nobody to show. Redrawn only when
 * something changed (the popup refreshes while open).
 */
import type { FriendWire } from '../../src/protocol/sessions.js'
import { parseSessionUrl } from '../../src/sessions/session-url.js'
import { admin } from '../shared/admin-client.js'
import { avatar } from '../shared/avatar.js'
import { byId, el } from '../shared/dom.js'

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
    join.onclick = () => void chrome.tabs.create({ url: `${site}/` })
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

/** The friends last drawn, so a refresh that finds the same leaves the list (and focus) alone. */
let drawn = ''

export async function renderFriends(): Promise<void> {
  const friends = (await admin('friends.list')).filter((f) => f.online || f.session)
  const key = JSON.stringify(friends)
  if (key === drawn) return
  drawn = key
  byId('friends-online-list').replaceChildren(...friends.map(row))
  byId('friends-online').hidden = friends.length === 0
}
