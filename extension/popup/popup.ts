/**
 * The toolbar popup: the main identity (name, URL, Copy) and this tab's site
 * with its grant (which identity it sees, and Revoke). The people in this
 * tab's lobbies and the friends online get their sections in popup.html
 * (hidden slots) once lobbies are wired into the engine.
 */
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import { admin } from '../shared/admin-client.js'
import { avatar } from '../shared/avatar.js'
import { byId, showError } from '../shared/dom.js'

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

async function activeOrigin(): Promise<string | null> {
  // With ?origin= the popup can be opened as a page (screenshots, tests).
  const fromQuery = new URLSearchParams(location.search).get('origin')
  if (fromQuery) return fromQuery
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true })
  try {
    return tab?.url ? new URL(tab.url).origin : null
  } catch {
    return null
  }
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
  byId('revoke').onclick = () => admin('grants.revoke', { origin }).then(renderSite, showError)
}

renderIdentity().catch(showError)
renderSite().catch(showError)

export {}
