/**
 * ISOLATED-world content bridge, the loader: the one part every page gets, so
 * it stays tiny (with the page script, ≤ 2 KB gz for pages that never use
 * Porchlight). It answers the page script's handshake with a MessagePort and
 * does nothing more until the page sends its first request or the service
 * worker pushes an event for this page. Then it asks the service worker to
 * inject the relay (relay.ts) into this document and hands it the port and
 * everything that arrived meanwhile (see LOAD_RELAY in handshake.ts). If the
 * extension is gone, the page's requests fail at once instead of hanging.
 */
import {
  HANDSHAKE_KEY,
  LOAD_RELAY,
  RELAY_HANDOFF,
  handshakeKind,
  type Arrival,
  type Handoff,
} from '../../src/protocol/handshake.js'

let port: MessagePort | null = null
let arrivals: Arrival[] = []
let loading = false

function arrive(arrival: Arrival): void {
  arrivals.push(arrival)
  if (loading) return
  loading = true
  const failed = () => {
    loading = false
    for (const a of arrivals.splice(0)) {
      const id = 'page' in a && (a.page as { id?: unknown } | null)?.id
      if (!Number.isSafeInteger(id)) continue
      const error = { code: 'extension-unavailable', message: 'Porchlight is not available' }
      port?.postMessage({ t: 'res', id, ok: false, error })
    }
  }
  try {
    chrome.runtime.sendMessage(LOAD_RELAY).then((ok) => ok === true || failed(), failed)
  } catch {
    // "Extension context invalidated": the extension was updated or removed.
    failed()
  }
}

function onRuntimeMessage(ext: unknown, sender: chrome.runtime.MessageSender): void {
  if (port) arrive({ ext, sender })
}
chrome.runtime.onMessage.addListener(onRuntimeMessage)

Object.defineProperty(globalThis, RELAY_HANDOFF, {
  configurable: true,
  value: (): Handoff | null => {
    // One relay per document: a second injection finds nothing to take.
    delete (globalThis as Record<string, unknown>)[RELAY_HANDOFF]
    chrome.runtime.onMessage.removeListener(onRuntimeMessage)
    const taken = arrivals
    arrivals = []
    return port && { port, arrivals: taken }
  },
})

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window || port) return
  if (handshakeKind(event.data) !== 'syn') return
  const channel = new MessageChannel()
  port = channel.port1
  port.onmessage = (e) => arrive({ page: e.data, gesture: navigator.userActivation.isActive })
  window.postMessage({ [HANDSHAKE_KEY]: 'port' }, '*', [channel.port2])
})

window.postMessage({ [HANDSHAKE_KEY]: 'ready' }, '*')
