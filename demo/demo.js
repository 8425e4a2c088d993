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
document.body.dataset.ready = 'true'
