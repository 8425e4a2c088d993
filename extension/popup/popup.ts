/**
 * The toolbar popup: the main identity (name, URL, Copy), this tab's site
 * with its grant (which identity it sees, and Revoke), and the people in
 * this tab's lobbies (how each connection was signaled and the network route
 * it takes, and a lobby's connection failure, e.g. no network path without a
 * TURN relay), and friends online with their sessions (./friends.ts).
 * While open it asks again every two seconds for the site and the lobbies,
 * redraws what changed, and redraws friends when the worker says they changed.
 */
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import { ADAPTERS } from '../../src/signaling/adapters.js'
import { describeRoute } from '../../src/swarm/route.js'
import { admin } from '../shared/admin-client.js'
import { avatar } from '../shared/avatar.js'
import { byId, el, showError } from '../shared/dom.js'
import { followFriends, renderFriends } from './friends.js'

async function renderIdentity(): Promise<void> {
  const identity = await admin('identities.main')
  byId('identity-avatar').replaceWith(Object.assign(avatar(identity), { id: 'identity-avatar' }))
  byId('identity-name').textContent = identity.name
  byId('identity-name').removeAttribute('aria-busy')
  byId('identity-url').textContent = identity.url
  const status = byId('identity-copy-status')
  byId('identity-copy').onclick = () =>
    navigator.clipboard.writeText(identity.url).then(
      () => (status.textContent = 'Copied'),
      () => (status.textContent = 'Could not copy; select the address instead'),
    )
}

const query = new URLSearchParams(location.search)

async function activeTab(): Promise<chrome.tabs.Tab | undefined> {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true })
  return tab
}

async function activeOrigin(): Promise<string | null> {
  // With ?origin= the popup can be opened as a page (screenshots, tests).
  const fromQuery = query.get('origin')
  if (fromQuery) return fromQuery
  const tab = await activeTab()
  try {
    return tab?.url ? new URL(tab.url).origin : null
  } catch {
    return null
  }
}

/** The lobbies last drawn, so a refresh that finds the same leaves the list alone. */
let lobbiesDrawn = ''

/** The people in the lobbies of this tab (?tab= names another tab: screenshots, tests). */
async function renderLobbies(): Promise<void> {
  const tabId = query.has('tab') ? Number(query.get('tab')) : (await activeTab())?.id
  if (tabId === undefined || !Number.isSafeInteger(tabId)) return
  const lobbies = await admin('lobbies.ofTab', { tabId })
  const key = JSON.stringify(lobbies)
  if (key === lobbiesDrawn) return
  lobbiesDrawn = key
  const list = byId('lobby-peers-list')
  list.replaceChildren(
    ...lobbies.map((lobby) => {
      const people = new Map<string, { url: string; name: string; path: string; via: string }>()
      let unknown = 0
      for (const { identity, path, route } of lobby.peers) {
        if (identity && !people.has(identity.url)) {
          const via = route ? describeRoute(route) : ''
          people.set(identity.url, { ...identity, path: path ?? 'tracker', via })
        } else if (!identity) unknown++
      }
      // Which way each connection was signaled: a tracker, a peer relaying, the host's log.
      // Name, and under it how the connection was made, beside the avatar.
      const names = [...people.values()].map((who) =>
        el(
          'li',
          { class: 'person', 'data-path': who.path },
          avatar(who),
          el(
            'div',
            { class: 'who' },
            el('p', {}, who.name),
            el(
              'p',
              { class: 'muted' },
              `via ${ADAPTERS.label(who.path)}${who.via ? `, ${who.via}` : ''}`,
            ),
          ),
        ),
      )
      if (unknown > 0) names.push(el('li', { class: 'muted' }, `${unknown} connecting…`))
      if (names.length === 0) names.push(el('li', { class: 'muted' }, 'Nobody else yet.'))
      return el(
        'li',
        { class: 'lobby', 'data-lobby': lobby.name },
        el(
          'p',
          { class: 'lobby-name' },
          `${lobby.name} `,
          el('span', { class: 'muted' }, `on ${lobby.origin}`),
        ),
        el('ul', { class: 'people', 'aria-label': `People in ${lobby.name}` }, ...names),
        ...(lobby.problem
          ? [
              el(
                'p',
                { class: 'error', role: 'status' },
                `Cannot connect: ${lobby.problem.message}`,
              ),
            ]
          : []),
      )
    }),
  )
  byId('lobby-peers').hidden = lobbies.length === 0
}

async function renderSite(): Promise<void> {
  const origin = await activeOrigin()
  byId('site-origin').textContent = origin ?? 'No site'
  if (!isGrantableOrigin(origin)) {
    byId('site-state').textContent = 'Porchlight works on http(s) sites.'
    return
  }
  const grant = (await admin('grants.list')).find((g) => g.origin === origin)
  byId('site-actions').hidden = !grant
  if (!grant) {
    byId('site-state').textContent = 'Cannot see your presence.'
    return
  }
  const sees = (await admin('identities.list')).find((i) => i.url === grant.identity)
  const since = new Date(grant.grantedAt).toLocaleDateString()
  byId('site-state').textContent = sees
    ? `Sees you as ${sees.name}, since ${since}.`
    : `Can see your presence since ${since}.`
  byId('revoke').onclick = () =>
    admin('grants.revoke', { origin })
      .then(renderSite)
      // The Revoke button is gone: focus (and the screen reader) goes to what changed.
      .then(() => byId('site-state').focus(), showError)
}

/** What changes while the popup is open and nobody tells it: the grant, the lobbies' people. */
function refresh(): void {
  renderSite().catch(showError)
  renderLobbies().catch(showError)
}

/** How often the open popup asks again, ms. */
const REFRESH_MS = 2_000

renderIdentity().catch(showError)
refresh()
setInterval(refresh, REFRESH_MS)
// Friends: drawn now, then again whenever the worker says they changed.
// They are extra: without an engine or signaling they stay hidden, not an error.
renderFriends().catch(() => undefined)
followFriends()

export {}
