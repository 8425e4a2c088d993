/**
 * The tracker list on the options page: remove one, add one (a ws:// or
 * wss:// URL), or go back to the build's defaults. The service worker checks
 * the list again (src/protocol/admin.ts: 1–8 trackers); its refusal is shown
 * at the field. Lobbies joined from then on announce on the new list.
 */
import { P2PError } from '../../src/errors.js'
import { MAX_TRACKERS } from '../../src/protocol/admin.js'
import { DEFAULT_TRACKERS } from '../engine/config.js'
import { admin } from '../shared/admin-client.js'
import { byId, el, showError } from '../shared/dom.js'

let current: string[] = []

function render(list: string[]): void {
  current = list
  byId('trackers').replaceChildren(
    ...list.map((url) => {
      const remove = el('button', { type: 'button', 'aria-label': `Remove ${url}` }, 'Remove')
      if (list.length === 1) {
        remove.setAttribute('disabled', '')
        remove.title = 'Lobbies need at least one tracker: add another first'
      }
      remove.addEventListener('click', () => {
        void save(
          list.filter((u) => u !== url),
          `Removed ${url}.`,
        )
      })
      return el('li', { 'data-url': url }, el('span', { class: 'url grow' }, url), remove)
    }),
  )
  const full = list.length >= MAX_TRACKERS
  byId<HTMLButtonElement>('tracker-add').disabled = full
  byId('trackers-full').hidden = !full
}

async function save(urls: string[], done: string): Promise<boolean> {
  byId('tracker-error').hidden = true
  byId('tracker-url').removeAttribute('aria-invalid')
  try {
    render(await admin('settings.setTrackers', { urls }))
    byId('trackers-status').textContent = done
    return true
  } catch (err) {
    showError(err, 'tracker-error')
    byId('tracker-url').setAttribute('aria-invalid', 'true')
    return false
  }
}

/** Draws the list and wires the add form and the reset button. */
export async function initTrackers(): Promise<void> {
  const form = byId<HTMLFormElement>('tracker-form')
  const input = byId<HTMLInputElement>('tracker-url')
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const url = input.value.trim()
    if (current.includes(url)) {
      showError(P2PError.INVALID_ARGUMENT(`${url} is already in the list`), 'tracker-error')
      input.setAttribute('aria-invalid', 'true')
      input.focus()
      return
    }
    void save([...current, url], `Added ${url}.`).then((ok) => {
      if (ok) form.reset()
      input.focus()
    })
  })
  byId('trackers-reset').addEventListener('click', () => {
    void save([...DEFAULT_TRACKERS], 'Back to the default trackers.')
  })
  render(await admin('settings.trackers'))
}
