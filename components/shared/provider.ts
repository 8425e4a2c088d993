/**
 * Finding the page API (`window.p2p`) whatever the load order: the global if
 * it is there, else the EIP-6963-style discovery of API.md — ask with
 * `p2p:requestProvider`, take what `p2p:announceProvider` brings, and keep
 * listening, because the extension's page script may run after the elements.
 */
import type { AnnounceProviderDetail, P2PProvider } from '../../src/index.js'

/** How long {@link resolveProvider} waits for an announcement by default. */
export const DEFAULT_WAIT_MS = 1500

/**
 * What an object needs before the elements use it as the provider: enough to
 * learn and ask for the permission. The rest of API.md is called when needed,
 * and a provider that lacks a call fails that call only (its element shows
 * an error), so a page API that is still growing already drives the elements.
 */
const METHODS = ['permission', 'requestPermission', 'addEventListener']

/** True for an object with the provider shape of API.md (checked, since the window is shared). */
export function isProvider(value: unknown): value is P2PProvider {
  if (typeof value !== 'object' || value === null) return false
  return METHODS.every((m) => typeof Reflect.get(value, m) === 'function')
}

/** `window.p2p` when it is a provider; otherwise whatever answers a `p2p:requestProvider` at once. */
export function findProvider(): P2PProvider | null {
  const global: unknown = Reflect.get(window, 'p2p')
  if (isProvider(global)) return global
  let found: P2PProvider | null = null
  const controller = new AbortController()
  onProvider((provider) => {
    found ??= provider
  }, controller.signal)
  window.dispatchEvent(new Event('p2p:requestProvider'))
  controller.abort()
  return found
}

/** Calls `fn` with every provider announced from now until `signal` aborts. */
export function onProvider(fn: (provider: P2PProvider) => void, signal: AbortSignal): void {
  window.addEventListener(
    'p2p:announceProvider',
    (event) => {
      const detail: unknown = event instanceof CustomEvent ? event.detail : null
      const provider: unknown =
        typeof detail === 'object' && detail !== null
          ? Reflect.get(detail, 'provider' satisfies keyof AnnounceProviderDetail)
          : null
      if (isProvider(provider)) fn(provider)
    },
    { signal },
  )
}

/**
 * The provider, waiting up to `timeout` ms for one to be announced; null if
 * none came (Porchlight is not installed, or is disabled for this page).
 */
export function resolveProvider(
  opts: { timeout?: number; signal?: AbortSignal } = {},
): Promise<P2PProvider | null> {
  const now = findProvider()
  if (now) return Promise.resolve(now)
  return new Promise((resolve) => {
    const controller = new AbortController()
    const done = (provider: P2PProvider | null): void => {
      controller.abort()
      clearTimeout(timer)
      resolve(provider)
    }
    const timer = setTimeout(() => done(null), opts.timeout ?? DEFAULT_WAIT_MS)
    opts.signal?.addEventListener('abort', () => done(null), { signal: controller.signal })
    onProvider(done, controller.signal)
  })
}
