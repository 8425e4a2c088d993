/**
 * The admin API for the extension's own pages (popup, options):
 *
 *   const main = await admin('identities.main')
 *   await admin('identities.rename', { url: main.url, name: 'Alice' })
 *
 * One runtime.Port named PORT_ADMIN to the service worker, opened on the
 * first call and again after the worker was stopped (which closes ports).
 */
import { P2PError } from '../../src/errors.js'
import { PORT_ADMIN, type AdminMethod, type AdminMethods } from '../../src/protocol/messages.js'
import { parseResponse } from '../../src/protocol/validate.js'

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: P2PError) => void
}

let port: chrome.runtime.Port | null = null
const pending = new Map<number, Pending>()
let nextId = 1

function connect(): chrome.runtime.Port {
  if (port) return port
  const p = chrome.runtime.connect({ name: PORT_ADMIN })
  p.onMessage.addListener((raw: unknown) => {
    const res = parseResponse(raw)
    const call = res && pending.get(res.id)
    if (!res || !call) return
    pending.delete(res.id)
    if (res.ok) call.resolve(res.result)
    else call.reject(P2PError.fromWire(res.error))
  })
  p.onDisconnect.addListener(() => {
    if (port === p) port = null
    const err = P2PError.EXTENSION_UNAVAILABLE(
      'the extension restarted during this call; try again',
    )
    for (const [id, call] of pending) {
      pending.delete(id)
      call.reject(err)
    }
  })
  port = p
  return p
}

/** Calls one admin method. */
export function admin<M extends AdminMethod>(
  method: M,
  ...params: AdminMethods[M]['params'] extends undefined ? [] : [AdminMethods[M]['params']]
): Promise<AdminMethods[M]['result']> {
  const p = connect()
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
    p.postMessage(
      params.length ? { t: 'req', id, method, params: params[0] } : { t: 'req', id, method },
    )
  })
}
