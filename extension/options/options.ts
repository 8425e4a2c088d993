/**
 * The options page: identities (./identities.ts, with export and import),
 * granted sites with revoke, the signaling trackers and the ICE (STUN/TURN)
 * servers (./ice-servers.ts).
 */
import { admin } from '../shared/admin-client.js'
import { byId, el, showError } from '../shared/dom.js'
import { initIceServers } from './ice-servers.js'
import { identityName, initIdentities, reloadIdentities } from './identities.js'
import { initImport } from './import-form.js'
import { initTrackers } from './trackers.js'

async function renderSites(): Promise<void> {
  const grants = await admin('grants.list')
  const list = byId('sites')
  list.replaceChildren(
    ...grants
      .sort((a, b) => a.origin.localeCompare(b.origin))
      .map((g) => {
        const revoke = el(
          'button',
          { type: 'button', 'aria-label': `Revoke ${g.origin}` },
          'Revoke',
        )
        revoke.addEventListener('click', () => {
          revoke.setAttribute('disabled', '')
          admin('grants.revoke', { origin: g.origin }).then(renderSites, showError)
        })
        const when = new Date(g.grantedAt).toLocaleString()
        const who = identityName(g.identity)
        return el(
          'li',
          { 'data-origin': g.origin },
          el(
            'div',
            { class: 'grow' },
            el('div', { class: 'origin' }, g.origin),
            el('div', { class: 'muted' }, `Sees ${who ?? 'an identity that is gone'}`),
            el('div', { class: 'url' }, `since ${when} · ${g.identity}`),
          ),
          revoke,
        )
      }),
  )
  byId('sites-empty').hidden = grants.length > 0
}

const redrawSites = (): void => void renderSites().catch(showError)
initIdentities(redrawSites).catch(showError)
initImport(reloadIdentities)
initTrackers().catch(showError)
initIceServers().catch(showError)

export {}
