/**
 * The presence-permission prompt, in its own extension window. The page that
 * asked cannot draw over it or click it. Closing the window is "Don't allow"
 * (the service worker sees the window go).
 */
import { P2PError } from '../../src/errors.js'
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import { admin } from '../shared/admin-client.js'
import { byId, showError } from '../shared/dom.js'

/** While the prompt is open the worker must stay up to answer the waiting page. */
const KEEPALIVE_MS = 20_000

const $ = byId
const origin = new URLSearchParams(location.search).get('origin') ?? ''
const form = $<HTMLFormElement>('form')

async function answer(allow: boolean): Promise<void> {
  for (const b of form.querySelectorAll('button')) b.disabled = true
  const data = new FormData(form)
  try {
    await admin('prompt.decide', {
      origin,
      allow,
      identity: data.get('identity') === 'site' ? 'site' : 'main',
      friends: data.get('friends') === 'on',
    })
    window.close()
  } catch (err) {
    showError(err)
    for (const b of form.querySelectorAll('button')) b.disabled = false
  }
}

if (!isGrantableOrigin(origin)) {
  showError(P2PError.INVALID_ARGUMENT('this prompt was opened without a site'))
} else {
  $('origin').textContent = new URL(origin).host
  document.title = `Porchlight — ${new URL(origin).host} asks to see your presence`
  admin('prompt.info', { origin }).then(({ main }) => {
    $('main-name').textContent = `${main.name} (your main identity)`
    $('main-url').textContent = main.url
  }, showError)
  setInterval(() => void admin('prompt.keepalive').catch(() => undefined), KEEPALIVE_MS)
}

form.addEventListener('submit', (e) => {
  e.preventDefault()
  void answer(true)
})
$('deny').addEventListener('click', () => void answer(false))
$<HTMLButtonElement>('deny').disabled = false
if (isGrantableOrigin(origin)) $<HTMLButtonElement>('allow').disabled = false
$('allow').focus()

export {}
