/**
 * The page ⇄ content-bridge handshake over `window.postMessage`.
 *
 * Both scripts run at document_start in separate worlds and either may load
 * first, so neither relies on a one-shot "ready" message:
 *
 *   bridge → page   {porchlight: 'ready'}          when the bridge starts (may be missed)
 *   page → bridge   {porchlight: 'syn'}            when the page script starts, and on every 'ready'
 *   bridge → page   {porchlight: 'port'}           once, carrying a MessagePort for all later traffic
 *
 * Whichever side is late, the page's `syn` or the bridge's `ready` reaches the
 * other, and one `port` follows. Everything after it uses the private port.
 */
export const HANDSHAKE_KEY = 'porchlight'

export type HandshakeMessage =
  { porchlight: 'ready' } | { porchlight: 'syn' } | { porchlight: 'port' }

export function handshakeKind(data: unknown): HandshakeMessage['porchlight'] | null {
  if (typeof data !== 'object' || data === null) return null
  const kind: unknown = Object.hasOwn(data, HANDSHAKE_KEY)
    ? (data as Record<string, unknown>)[HANDSHAKE_KEY]
    : undefined
  return kind === 'ready' || kind === 'syn' || kind === 'port' ? kind : null
}

/**
 * The content bridge comes in two parts. The loader, in every page, answers
 * the handshake; on the page's first request (or an event for the page) it
 * sends LOAD_RELAY to the service worker, which injects the relay into the
 * same document and isolated world. The relay then calls the function the
 * loader left at `globalThis[RELAY_HANDOFF]` to take over the port and what
 * arrived meanwhile. Pages that never use Porchlight carry only the loader.
 */
export const LOAD_RELAY = 'porchlight:load-relay'
export const RELAY_HANDOFF = '__porchlightRelay'
export const RELAY_FILE = 'relay.js'

/** What reached the loader before the relay ran, in order. */
export type Arrival =
  /** From the page's port, with whether the page had transient user activation then. */
  | { page: unknown; gesture: boolean }
  /** From the service worker (`tabs.sendMessage`). */
  | { ext: unknown; sender: chrome.runtime.MessageSender }

export interface Handoff {
  port: MessagePort
  arrivals: Arrival[]
}
