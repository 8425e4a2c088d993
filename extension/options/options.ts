/** The options page: granted sites (with revoke) and signaling trackers. */
import { admin } from '../shared/admin-client.js'
import { byId, el, showError } from '../shared/dom.js'

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
        return el(
          'li',
          { 'data-origin': g.origin },
          el(
            'div',
            { class: 'grow' },
            el('div', { class: 'origin' }, g.origin),
            el('div', { class: 'url' }, `since ${when} · ${g.identity}`),
          ),
          revoke,
        )
      }),
  )
  byId('sites-empty').hidden = grants.length > 0
}

async function renderTrackers(): Promise<void> {
  const trackers = await admin('settings.trackers')
  byId('trackers').replaceChildren(
    ...trackers.map((t) => el('li', {}, el('span', { class: 'url' }, t))),
  )
}

renderSites().catch(showError)
renderTrackers().catch(showError)

export {}
