/**
 * The page ⇄ content-bridge handshake over `window.postMessage`.
 *
 * Both scripts run at document_start in separate worlds and either may load
 * first, so neither relies on a one-shot "ready" message:
 *
 *   bridge → page   {porchlight: 'ready'}          when the bridge starts (may be missed)
 *   page → bridge   {porchlight: 'syn'}            when the page script starts, and on every 'ready'
 *   bridge → page   {porchlight: 'port', ...}      once, carrying a MessagePort for all later traffic
 *
 * Whichever side is late, the page's `syn` or the bridge's `ready` reaches the
 * other, and one `port` follows. Everything after it uses the private port.
 */
export const HANDSHAKE_KEY = 'porchlight'

export type HandshakeMessage =
  | { porchlight: 'ready' }
  | { porchlight: 'syn' }
  | { porchlight: 'port'; elements: string; version: string }

export function handshakeKind(data: unknown): HandshakeMessage['porchlight'] | null {
  if (typeof data !== 'object' || data === null) return null
  const kind: unknown = Object.hasOwn(data, HANDSHAKE_KEY)
    ? (data as Record<string, unknown>)[HANDSHAKE_KEY]
    : undefined
  return kind === 'ready' || kind === 'syn' || kind === 'port' ? kind : null
}
