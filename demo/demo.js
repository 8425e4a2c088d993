// The demo page uses only the page API (window.p2p), as any site would.
const $ = (id) => document.getElementById(id)
const started = performance.now()

function log(text) {
  const li = document.createElement('li')
  li.textContent = `${((performance.now() - started) / 1000).toFixed(2)} s — ${text}`
  $('log').append(li)
  // The demo runner reads this timeline too.
  console.log(`[porch] ${text}`)
}

function findProvider() {
  return new Promise((resolve) => {
    if (window.p2p) return resolve(window.p2p)
    window.addEventListener('p2p:announceProvider', (e) => resolve(e.detail.provider), {
      once: true,
    })
    window.dispatchEvent(new Event('p2p:requestProvider'))
  })
}

const p2p = await findProvider()
window.addEventListener(
  'p2p:announceProvider',
  (e) => {
    const { name, version } = e.detail.info
    $('provider').textContent = `${name} ${version}`
    log(`provider announced: ${name} ${version}`)
  },
  { once: true },
)
window.dispatchEvent(new Event('p2p:requestProvider'))

p2p.addEventListener('permissionchange', (e) => {
  $('permission').textContent = e.detail.state
  log(`permission for ${location.origin}: ${e.detail.state}`)
})
try {
  const state = await p2p.permission()
  $('permission').textContent = state
  log(`permission for ${location.origin}: ${state}`)
  const status = await p2p.status()
  $('engine').textContent = `running (Porchlight ${status.version})`
  log(`engine answered (up ${status.uptime} ms)`)
} catch (err) {
  $('engine').textContent = `${err.code ?? 'error'}: ${err.message}`
  log(`error: ${err.message}`)
}
// The lobby: <p2p-lobby> asks for permission ("Show my presence") and joins.
// The page adds a status line, sent to the others as DEP-0006 session-data.
const element = document.querySelector('p2p-lobby')
const form = $('status-form')
const text = (bytes) => new TextDecoder().decode(bytes)
const nameOf = (peer) => peer.identity?.name ?? 'someone'
element.addEventListener('p2p-lobby-state', (e) => {
  const { state, lobby } = e.detail
  log(`lobby "porch": ${state}`)
  if (!lobby || lobby === element.watched) return
  element.watched = lobby
  form.hidden = false
  lobby.addEventListener('peer-join', (ev) => log(`${nameOf(ev.detail.peer)} is here`))
  lobby.addEventListener('peer-update', (ev) => log(`now known as ${nameOf(ev.detail.peer)}`))
  lobby.addEventListener('peer-leave', (ev) => log(`${nameOf(ev.detail.peer)} left`))
  lobby.addEventListener('session-data', (ev) => {
    log(`${nameOf(ev.detail.peer)} says: ${text(ev.detail.data)}`)
    document.body.dataset.heard = 'true'
  })
})
form.addEventListener('submit', async (e) => {
  e.preventDefault()
  const lobby = element.lobby
  if (!lobby) return
  try {
    await lobby.setSessionData($('status').value)
    log(`told the others: ${$('status').value}`)
  } catch (err) {
    log(`could not tell the others: ${err.message}`)
  }
})
document.body.dataset.ready = 'true'
