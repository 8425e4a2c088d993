/**
 * The engine document (offscreen, reason WEB_RTC): where hypercores, the
 * WebRTC swarm, signaling and lobbies live, because a service worker has no
 * RTCPeerConnection and is stopped when idle.
 *
 * It talks to the service worker over one runtime.Port that it opens itself:
 * at load, and again whenever the worker asks (after it was restarted).
 */
import { P2PError } from '../../src/errors.js'
import {
  ENGINE_CONNECT,
  PORT_ENGINE,
  type EngineMethod,
  type EngineRequest,
} from '../../src/protocol/messages.js'
import {
  errorResponse,
  isRecord,
  okResponse,
  own,
  parseRequest,
} from '../../src/protocol/validate.js'
import { DEFAULT_TRACKERS, VERSION } from './config.js'
import type { EngineHandlers } from './handler-types.js'
import { identities, identityHandlers } from './identities.js'

const startedAt = performance.now()

const handlers: EngineHandlers = {
  status: async () => ({
    version: VERSION,
    uptime: Math.round(performance.now() - startedAt),
    trackers: [...DEFAULT_TRACKERS],
  }),
  ...identityHandlers,
}

function isEngineMethod(method: string): method is EngineMethod {
  return Object.hasOwn(handlers, method)
}

let port: chrome.runtime.Port | null = null

function onRequest(p: chrome.runtime.Port, raw: unknown): void {
  const parsed = parseRequest(raw, Number.MAX_SAFE_INTEGER)
  if (!parsed.ok) {
    if (parsed.id !== null) p.postMessage(errorResponse(parsed.id, parsed.error))
    return
  }
  const req = parsed.value
  const origin = isRecord(raw) ? own(raw, 'origin') : undefined
  if (!isEngineMethod(req.method) || typeof origin !== 'string') {
    p.postMessage(errorResponse(req.id, P2PError.INVALID_ARGUMENT('unknown engine call')))
    return
  }
  const call = { ...req, origin } as EngineRequest
  const handler = handlers[call.method] as (origin: string, params: unknown) => Promise<unknown>
  handler(call.origin, call.params).then(
    (result) => p.postMessage(okResponse(call.id, result)),
    (err: unknown) => p.postMessage(errorResponse(call.id, err)),
  )
}

function connect(): void {
  if (port) return
  const p = chrome.runtime.connect({ name: PORT_ENGINE })
  port = p
  p.onMessage.addListener((raw: unknown) => onRequest(p, raw))
  p.onDisconnect.addListener(() => {
    if (port === p) port = null
  })
}

chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  if (sender.id !== chrome.runtime.id) return
  if (isRecord(message) && own(message, 'type') === ENGINE_CONNECT) connect()
  // Open the identities now, so the first call finds them ready.
  identities().catch((err: unknown) => console.error('Porchlight: could not open identities', err))
})

connect()
// Open the identities now, so the first call finds them ready.
identities().catch((err: unknown) => console.error('Porchlight: could not open identities', err))
