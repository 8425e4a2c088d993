/**
 * The admin channel: the extension's own pages (popup, prompt, options) ask
 * the worker for what only the user may see or change. The port is accepted
 * only from a page of this extension's own origin; content scripts report
 * the web page's origin and cannot open it. Identity calls are checked here
 * and answered by the engine, which owns the archives.
 */
import { P2PError } from '../../src/errors.js'
import {
  adminParams,
  isIdentityMethod,
  type AdminMethod,
  type AdminMethods,
} from '../../src/protocol/admin.js'
import type { Identity, IdentityMethod } from '../../src/protocol/messages.js'
import { serve } from '../../src/protocol/serve.js'
import { TEST_HOOKS } from '../engine/config.js'
import { toOrigin } from './broadcast.js'
import { engineRequest, engineRunning } from './engine-link.js'
import { grantsOf, listGrants } from './grants.js'
import { mainIdentity } from './identities.js'
import { decide } from './prompts.js'
import { revoke } from './revoke.js'
import { friendsOf } from './friends.js'
import { openJoin } from './join-intents.js'
import { iceView, setHeartbeat, setIceServers, setTrackers, trackers } from './settings.js'

type OwnMethod = Exclude<AdminMethod, IdentityMethod>
type Handlers = {
  [M in OwnMethod]: (params: AdminMethods[M]['params']) => Promise<AdminMethods[M]['result']>
}

/** A call that exists for tests: a release build (`PORCHLIGHT_TEST_HOOKS=off`) answers `not-supported`. */
function testOnly<P, R>(method: string, handler: (params: P) => Promise<R>) {
  return TEST_HOOKS
    ? handler
    : () => Promise.reject(P2PError.NOT_SUPPORTED(`${method} (a test build's call)`))
}

const handlers: Handlers = {
  'grants.list': () => listGrants(),
  'grants.revoke': async ({ origin }) => {
    await revoke(origin)
    return null
  },
  'prompt.info': async ({ origin }) => ({ origin, main: await mainIdentity() }),
  'prompt.decide': async ({ origin, ...decision }) => {
    await decide(origin, decision)
    return null
  },
  'prompt.keepalive': async () => null,
  'settings.trackers': () => trackers(),
  'settings.setTrackers': ({ urls }) => setTrackers(urls),
  'settings.setHeartbeat': testOnly('settings.setHeartbeat', ({ ms }) => setHeartbeat(ms)),
  'friends.list': async () => friendsOf((await mainIdentity()).url),
  'sessions.openJoin': ({ url }) => openJoin(url),
  'settings.ice': () => iceView(),
  'settings.setIce': ({ servers }) => setIceServers(servers),
  'lobbies.ofTab': async (params) =>
    (await engineRunning()) ? engineRequest('lobbies.ofTab', null, params) : [],
}

async function revokeIdentity(url: string): Promise<void> {
  for (const grant of await grantsOf(url)) await revoke(grant.origin)
}

async function tellRenamed(identity: Identity): Promise<void> {
  for (const grant of await grantsOf(identity.url)) {
    await toOrigin(grant.origin, 'identitychange', { identity })
  }
}

export function isExtensionPage(sender: chrome.runtime.MessageSender | undefined): boolean {
  const own = `chrome-extension://${chrome.runtime.id}`
  return (
    sender?.id === chrome.runtime.id && sender.origin === own && !!sender.url?.startsWith(`${own}/`)
  )
}

async function dispatch(method: string, raw: unknown): Promise<unknown> {
  if (!adminParams.has(method)) {
    throw P2PError.INVALID_ARGUMENT(`unknown admin call "${method.slice(0, 64)}"`)
  }
  const params = adminParams.params(method, raw)
  if (isIdentityMethod(method)) {
    const result = await engineRequest(method, null, params as never)
    // A site that was shown a deleted identity has nothing left to see.
    if (method === 'identities.delete') await revokeIdentity((params as { url: string }).url)
    // The sites that see a renamed identity hear its new name.
    if (method === 'identities.rename') await tellRenamed(result as Identity)
    return result
  }
  const handler = handlers[method] as (params: unknown) => Promise<unknown>
  return handler(params)
}

export function acceptAdminPort(port: chrome.runtime.Port): void {
  if (!isExtensionPage(port.sender)) {
    port.disconnect()
    return
  }
  // Export texts are large; the admin channel has no page-sized request limit.
  serve(port, ({ method, params }) => dispatch(method, params), {
    maxBytes: Number.MAX_SAFE_INTEGER,
  })
}
