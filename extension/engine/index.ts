/**
 * The engine document (offscreen, reason WEB_RTC): where hypercores, the
 * WebRTC swarm, signaling and lobbies live, because a service worker has no
 * RTCPeerConnection and is stopped when idle.
 *
 * It talks to the service worker over one runtime.Port that it opens itself:
 * at load, and again whenever the worker asks (after it was restarted).
 */
import { P2PError } from '../../src/errors.js'
import { ENGINE_CONNECT, PORT_ENGINE, type EngineNotice } from '../../src/protocol/messages.js'
import { serve } from '../../src/protocol/serve.js'
import { isRecord, own } from '../../src/protocol/validate.js'
import { handlers, isEngineMethod } from './handlers.js'
import { identities } from './identities.js'
import { acceptLanes, sendByLane } from './lanes.js'
import { setNoticeSink } from './presence.js'

let port: chrome.runtime.Port | null = null

function connect(): chrome.runtime.Port {
  if (port) return port
  const p = chrome.runtime.connect({ name: PORT_ENGINE })
  port = p
  p.onDisconnect.addListener(() => {
    if (port === p) port = null
  })
  // Only the service worker holds this port; it has validated the page's
  // request already, but the engine checks the envelope again all the same.
  serve(
    p,
    async ({ method, params }, raw) => {
      const origin = own(raw, 'origin')
      if (!isEngineMethod(method) || typeof origin !== 'string') {
        throw P2PError.INVALID_ARGUMENT('unknown engine call')
      }
      const handler = handlers[method] as (origin: string, params: unknown) => Promise<unknown>
      return handler(origin, params)
    },
    { maxBytes: Number.MAX_SAFE_INTEGER },
  )
  return p
}

/** Tells the service worker; connecting wakes it if it sleeps. */
function toWorker(notice: EngineNotice): void {
  try {
    connect().postMessage(notice)
  } catch {
    // The worker is restarting; the next connect delivers later notices.
    port = null
  }
}

// Events for pages go over the page's lobby lane when it has one (./lanes.ts),
// otherwise through the service worker.
setNoticeSink((notice) => {
  if (notice.t === 'evt' && sendByLane(notice)) return
  toWorker(notice)
})

chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  if (sender.id !== chrome.runtime.id) return
  if (isRecord(message) && own(message, 'type') === ENGINE_CONNECT) connect()
})

connect()
acceptLanes({
  setSessionData: (origin, params) => handlers['lobby.setSessionData'](origin, params),
  post: (origin, params) => handlers['lobby.post'](origin, params),
  notify: toWorker,
})
// Open the identities now, so the first call finds them ready (and a first
// run creates the user's identity).
identities().catch((err: unknown) => console.error('Porchlight: could not open identities', err))
