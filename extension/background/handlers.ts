/**
 * The page API, answered by the gatekeeper: one named handler per method.
 * The map's type makes it exhaustive: a method added to PageMethods without a
 * handler here does not compile.
 */
import type { PageMethod, PageMethods } from '../../src/protocol/messages.js'
import { engineRequest } from './engine-link.js'
import { identityUrlForOrigin, permissionState } from './grants.js'

export interface CallContext {
  /** The caller's origin, from `port.sender`; null when opaque or unknown. */
  origin: string | null
}

type Handlers = {
  [M in PageMethod]: (
    ctx: CallContext,
    params: PageMethods[M]['params'],
  ) => Promise<PageMethods[M]['result']>
}

export const handlers: Handlers = {
  permission: (ctx) => permissionState(ctx.origin),
  status: (ctx) => engineRequest('status', ctx.origin),
  identity: async (ctx) =>
    engineRequest('identity', ctx.origin, { url: await identityUrlForOrigin(ctx.origin) }),
}
