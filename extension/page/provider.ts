/**
 * MAIN-world page script: defines `window.p2p` and announces it.
 *
 * Every page gets this script, so it stays tiny (the ≤2 KB gz budget) and
 * imports nothing but src/protocol and the error type. It trusts nothing that
 * arrives on the window; only the private MessagePort from the handshake
 * carries answers, and those are parsed before use.
 */
import { P2PError } from '../../src/errors.js'
import { handshakeKind, HANDSHAKE_KEY } from '../../src/protocol/handshake.js'
import type { EngineStatus, Identity, PermissionState } from '../../src/protocol/messages.js'
import { parseEvent, parseResponse } from '../../src/protocol/validate.js'

declare const __PORCHLIGHT_VERSION__: string

/** How long a call waits for the content bridge to hand over its port. */
const CONNECT_TIMEOUT_MS = 5000

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: P2PError) => void
}

let port: MessagePort | null = null
let nextId = 1
const pending = new Map<number, Pending>()
const waiting: Array<(p: MessagePort | null) => void> = []

function onPortMessage(event: MessageEvent): void {
  const res = parseResponse(event.data)
  if (res) {
    const call = pending.get(res.id)
    if (!call) return
    pending.delete(res.id)
    if (res.ok) call.resolve(res.result)
    else call.reject(P2PError.fromWire(res.error))
    return
  }
  const evt = parseEvent(event.data)
  if (evt) provider.dispatchEvent(new CustomEvent(evt.name, { detail: evt.data }))
}

function connected(): Promise<MessagePort | null> {
  if (port) return Promise.resolve(port)
  return new Promise((resolve) => {
    waiting.push(resolve)
    setTimeout(() => resolve(port), CONNECT_TIMEOUT_MS)
  })
}

async function call<T>(method: string, params?: unknown): Promise<T> {
  const p = await connected()
  if (!p) throw P2PError.EXTENSION_UNAVAILABLE('the Porchlight content bridge did not answer')
  const id = nextId++
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
    p.postMessage(
      params === undefined ? { t: 'req', id, method } : { t: 'req', id, method, params },
    )
  })
}

/** `window.p2p`: the page API of API.md. */
class Porchlight extends EventTarget {
  readonly P2PError = P2PError
  permission(): Promise<PermissionState> {
    return call('permission')
  }
  /** Engine health: version, uptime and signaling trackers. */
  status(): Promise<EngineStatus> {
    return call('status')
  }
  /** The identity this site sees: { url, name, created }. */
  identity(): Promise<Identity> {
    return call('identity')
  }
}

const provider = new Porchlight()
const info = Object.freeze({
  name: 'Porchlight',
  version: __PORCHLIGHT_VERSION__,
  uuid: crypto.randomUUID(),
  icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"%3E%3Ccircle cx="16" cy="16" r="9" fill="%23f5b83d"/%3E%3C/svg%3E',
})

function announce(): void {
  window.dispatchEvent(
    new CustomEvent('p2p:announceProvider', { detail: Object.freeze({ info, provider }) }),
  )
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return
  const kind = handshakeKind(event.data)
  if (kind === 'ready' && !port) window.postMessage({ [HANDSHAKE_KEY]: 'syn' }, '*')
  if (kind === 'port' && !port && event.ports[0]) {
    port = event.ports[0]
    port.onmessage = onPortMessage
    for (const resolve of waiting.splice(0)) resolve(port)
  }
})
window.addEventListener('p2p:requestProvider', announce)

Object.defineProperty(window, 'p2p', { value: provider, enumerable: true })
window.postMessage({ [HANDSHAKE_KEY]: 'syn' }, '*')
announce()

export type { Porchlight }
