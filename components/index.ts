/**
 * The elements: in the extension's element bundle (extension/page/bundle.ts,
 * injected by the service worker when a page uses a `<p2p-*>` element or
 * calls the API), and the entry of the library build (`porchlight/elements`,
 * dist/elements/). Each element lives in its own folder and defines its tag
 * when imported.
 *
 * Sites may also bundle this module themselves: the elements talk only to
 * `window.p2p` (or the provider announced with `p2p:announceProvider`), and a
 * tag already defined by the extension's copy is left alone.
 */
export * from './p2p-lobby/p2p-lobby.js'
export * from './p2p-peer-list/p2p-peer-list.js'
export * from './p2p-identity/p2p-identity.js'
export * from './p2p-sessions/p2p-sessions.js'
export * from './p2p-host/p2p-host.js'

export { findProvider, isProvider, resolveProvider, onProvider } from './shared/provider.js'
export { colourFor, initialsFor } from './shared/identity-colour.js'
export type { SessionDataFormatter } from './shared/session-data.js'
export type { Person } from './shared/people.js'
export type * from '../src/api/types.js'
