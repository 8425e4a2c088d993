/**
 * MAIN-world page script: defines `window.p2p`, announces it, and keeps the
 * content bridge's MessagePort.
 *
 * Every page gets this script, so it stays tiny (≤2 KB gz) and does almost
 * nothing: the page API itself lives in the page client, part of the element
 * bundle, which the extension injects on the first API call or when the page
 * uses a `<p2p-*>` element (see src/protocol/page.ts). Provider-level events
 * (`permissionchange`, …) are dispatched from here so they reach listeners
 * even before the client is loaded.
 */
import { ELEMENT_TAGS } from '../../src/protocol/elements.js'
import { handshakeKind, HANDSHAKE_KEY } from '../../src/protocol/handshake.js'
import {
  CLIENT_HOOK,
  LOAD_REQUEST_ID,
  PROVIDER_METHODS,
  type ClientFactory,
  type PageClient,
} from '../../src/protocol/page.js'

declare const __PORCHLIGHT_VERSION__: string

/** How long a call waits for the content bridge to hand over its port. */
const CONNECT_TIMEOUT_MS = 5000

type Data = Record<string, unknown> | null | undefined

/** A P2PError-shaped error for the few failures that happen before the client exists. */
function fail(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { name: 'P2PError', code })
}

let port: MessagePort | null = null
const waiting: Array<(p: MessagePort | null) => void> = []
let client: Promise<PageClient> | null = null
let attach: ((factory: ClientFactory) => void) | null = null
let reject: ((err: Error) => void) | null = null

const provider = new (class Porchlight extends EventTarget {})()
for (const method of PROVIDER_METHODS) {
  Object.defineProperty(provider, method, {
    value: (...args: unknown[]) => load().then((c) => c[method](...args)),
  })
}

function connected(): Promise<MessagePort | null> {
  if (port) return Promise.resolve(port)
  return new Promise((resolve) => {
    waiting.push(resolve)
    setTimeout(() => resolve(port), CONNECT_TIMEOUT_MS)
  })
}

function onPortMessage(event: MessageEvent): void {
  const data = event.data as Data
  if (data?.t === 'evt' && !data.lobby && typeof data.name === 'string') {
    provider.dispatchEvent(new CustomEvent(data.name, { detail: data.data }))
  }
  if (data?.t === 'res' && data.id === LOAD_REQUEST_ID && data.ok !== true) {
    const err = data.error as Data
    reject?.(fail(String(err?.code ?? 'extension-unavailable'), String(err?.message ?? '')))
  }
}
/** Loads the page client (and with it the elements) once; later calls share it. */
function load(): Promise<PageClient> {
  watcher.disconnect()
  client ??= new Promise<PageClient>((resolve, rej) => {
    reject = rej
    attach = (factory) => port && resolve(factory(provider, port))
    void connected().then((p) => {
      if (!p)
        return rej(fail('extension-unavailable', 'the Porchlight content bridge did not answer'))
      p.postMessage({ t: 'req', id: LOAD_REQUEST_ID, method: 'loadElements' })
    })
  }).catch((err: Error) => {
    client = null
    throw err
  })
  return client
}

/** The bundle calls this when it runs in the page. */
Object.defineProperty(window, CLIENT_HOOK, { value: (factory: ClientFactory) => attach?.(factory) })

// A page that uses an element gets the bundle too.
const tags = ELEMENT_TAGS.join()
const watcher = new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node instanceof Element && (node.matches(tags) || node.querySelector(tags))) {
        void load().catch(() => undefined)
        return
      }
    }
  }
})
watcher.observe(document, { childList: true, subtree: true })

const info = Object.freeze({
  name: 'Porchlight',
  version: __PORCHLIGHT_VERSION__,
  uuid: crypto.randomUUID(),
  icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"%3E%3Ccircle cx="4" cy="4" r="3" fill="%23f5b83d"/%3E%3C/svg%3E',
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
