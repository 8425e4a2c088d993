/**
 * The options page's ICE (STUN/TURN) servers: list, add, remove. TURN
 * passwords go to the service worker and never come back: the list shows
 * only that one is set (masked), and a removal re-sends the other servers
 * without theirs, which the worker keeps.
 */
import { PUBLIC_STUN, type IceServer, type IceServerView } from '../../src/protocol/ice.js'
import { admin } from '../shared/admin-client.js'
import { byId, el, showError } from '../shared/dom.js'

/** A server as the worker takes it back: its stored password is kept. */
function resend(view: IceServerView): IceServer {
  return view.username === undefined
    ? { urls: view.urls }
    : { urls: view.urls, username: view.username }
}

function render(servers: IceServerView[]): void {
  byId('ice').replaceChildren(
    ...servers.map((s, i) => {
      const remove = el('button', { type: 'button', 'aria-label': `Remove ${s.urls}` }, 'Remove')
      remove.addEventListener('click', () => {
        remove.setAttribute('disabled', '')
        const rest = servers.filter((_, j) => j !== i).map(resend)
        save(rest).catch((err: unknown) => showError(err, 'ice-error'))
      })
      const login =
        s.username === undefined
          ? 'STUN'
          : `TURN · user ${s.username} · password ${s.hasCredential ? '••••••••' : 'not set'}`
      return el(
        'li',
        { 'data-ice': s.urls },
        el(
          'div',
          { class: 'grow' },
          el('div', { class: 'url' }, s.urls),
          el('div', { class: 'muted' }, login),
        ),
        remove,
      )
    }),
  )
  byId('ice-empty').hidden = servers.length > 0
}

async function save(servers: IceServer[]): Promise<void> {
  render(await admin('settings.setIce', { servers }))
  byId('ice-error').hidden = true
}

/** Loads the list and wires the form. */
export async function initIceServers(): Promise<void> {
  const form = byId<HTMLFormElement>('ice-form')
  const url = byId<HTMLInputElement>('ice-url')
  const username = byId<HTMLInputElement>('ice-username')
  const credential = byId<HTMLInputElement>('ice-credential')
  const current = async () => (await admin('settings.ice')).map(resend)
  const fail = (err: unknown) => {
    showError(err, 'ice-error')
    url.setAttribute('aria-invalid', 'true')
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    url.removeAttribute('aria-invalid')
    const server: IceServer = { urls: url.value.trim() }
    if (username.value) server.username = username.value
    if (credential.value) server.credential = credential.value
    current()
      .then((list) => save([...list.filter((s) => s.urls !== server.urls), server]))
      .then(() => form.reset(), fail)
  })
  byId('ice-public').addEventListener('click', () => {
    current()
      .then((list) => {
        const known = new Set(list.map((s) => s.urls))
        return save([...list, ...PUBLIC_STUN.filter((s) => !known.has(s.urls))])
      })
      .catch(fail)
  })
  render(await admin('settings.ice'))
}
