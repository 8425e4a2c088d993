/**
 * The extension pages' side of the admin channel (see background/admin.ts).
 * One port per page, opened on the first call and again after the worker
 * was stopped.
 */
import { P2PError } from '../../src/errors.js'
import type { AdminMethod, AdminMethods } from '../../src/protocol/admin.js'
import { RpcClient } from '../../src/protocol/client.js'
import { PORT_ADMIN } from '../../src/protocol/messages.js'

const rpc = new RpcClient()
let port: chrome.runtime.Port | null = null

function open(): chrome.runtime.Port {
  if (port) return port
  const p = chrome.runtime.connect({ name: PORT_ADMIN })
  port = p
  p.onMessage.addListener((raw: unknown) => rpc.receive(raw))
  p.onDisconnect.addListener(() => {
    if (port === p) port = null
    rpc.failAll(P2PError.EXTENSION_UNAVAILABLE('the extension restarted; try again'))
  })
  return p
}

export function admin<M extends AdminMethod>(
  method: M,
  ...params: AdminMethods[M]['params'] extends undefined ? [] : [AdminMethods[M]['params']]
): Promise<AdminMethods[M]['result']> {
  return rpc.call((message) => open().postMessage(message), method, params[0], 30_000)
}
