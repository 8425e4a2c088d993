/**
 * The admin channel: the extension's own pages (popup, options) manage
 * identities over a runtime.Port named PORT_ADMIN. Only a sender whose origin
 * is this extension's may open it; content scripts report the page's origin,
 * so no web page can. Each call is validated here and forwarded to the engine.
 */
import { P2PError } from '../../src/errors.js'
import { checkAdminParams, isAdminMethod } from '../../src/protocol/admin-params.js'
import { engineRequest } from './engine-link.js'
import { serveRequests } from './serve.js'

/** The origin of this extension's own pages. */
export function extensionOrigin(): string {
  return `chrome-extension://${chrome.runtime.id}`
}

async function dispatch(origin: string, method: string, params: unknown): Promise<unknown> {
  if (!isAdminMethod(method)) {
    throw P2PError.INVALID_ARGUMENT(`unknown admin method "${method.slice(0, 64)}"`)
  }
  return engineRequest(method, origin, checkAdminParams(method, params))
}

/** Called from the top-level onConnect listener for ports named PORT_ADMIN. */
export function acceptAdminPort(port: chrome.runtime.Port): void {
  const origin = extensionOrigin()
  if (port.sender?.id !== chrome.runtime.id || port.sender.origin !== origin) {
    port.disconnect()
    return
  }
  // Export texts are large; the admin channel has no page-sized request limit.
  serveRequests(port, (method, params) => dispatch(origin, method, params), Number.MAX_SAFE_INTEGER)
}
