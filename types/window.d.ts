// `window.p2p` as pages (and the tests, which act as pages) see it.
import type { P2PProvider } from '../src/api/types.js'
import type { EngineStatus } from '../src/protocol/messages.js'

declare global {
  interface Window {
    p2p: P2PProvider & {
      /** Addition to API.md: the extension's version and engine uptime. */
      status(): Promise<EngineStatus>
      /** Addition to API.md: the session-data kept for a lobby of this site. */
      retainedSessionData(name: string): Promise<{
        self: Uint8Array | null
        peers: Array<{ identity: string; data: Uint8Array; at: number }>
      }>
    }
  }
}
