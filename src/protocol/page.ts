/**
 * How the page script (always injected, kept tiny) and the page client (in the
 * element bundle, injected on first use) share one provider object.
 *
 * The page script owns `window.p2p` and the bridge's MessagePort. On the first
 * API call, or when the page uses a `<p2p-*>` element, it asks the extension
 * to inject the bundle; the bundle calls the hook at `window[CLIENT_HOOK]` with
 * a factory, and from then on every `window.p2p` call runs in the client.
 */

/** Where the page script leaves the hook the bundle calls. */
export const CLIENT_HOOK = '__porchlightClient'

/** The request id the page script uses for its one request (loading the bundle). */
export const LOAD_REQUEST_ID = 0

/** The page API calls on `window.p2p`, all async, all delegated to the client. */
export const PROVIDER_METHODS = [
  'permission',
  'requestPermission',
  'revokePermission',
  'identity',
  'status',
  'joinLobby',
  'retainedSessionData',
  'host',
  'friends',
  'createInvite',
  'acceptInvite',
  'joinIntent',
] as const
export type ProviderMethod = (typeof PROVIDER_METHODS)[number]

/** What the client implements: one async function per provider method. */
export type PageClient = Record<ProviderMethod, (...args: unknown[]) => Promise<unknown>>

/** Builds the client for a provider and the bridge's port. */
export type ClientFactory = (provider: EventTarget, port: MessagePort) => PageClient
