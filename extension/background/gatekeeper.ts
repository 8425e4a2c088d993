/**
 * The gatekeeper: every page request passes here. It attributes the request
 * to the origin the browser reports for the port's sender (never to anything
 * in the message), validates the envelope and the params, applies the
 * per-origin rate limit, and answers with a result or a typed error.
 */
import { P2PError } from '../../src/errors.js'
import { RateLimiter } from '../../src/permissions/rate-limit.js'
import { senderOrigin } from '../../src/permissions/origin.js'
import { checkParams, isPageMethod } from '../../src/protocol/params.js'
import { handlers, type CallContext } from './handlers.js'
import { serveRequests } from './serve.js'

/** Per origin: a burst of 200 calls, then 100 a second. */
const limiter = new RateLimiter({ burst: 200, perSecond: 100 })

async function dispatch(ctx: CallContext, method: string, params: unknown): Promise<unknown> {
  if (!isPageMethod(method))
    throw P2PError.INVALID_ARGUMENT(`unknown method "${method.slice(0, 64)}"`)
  if (!limiter.take(ctx.origin ?? 'null')) throw P2PError.RATE_LIMITED()
  const handler = handlers[method] as (ctx: CallContext, params: unknown) => Promise<unknown>
  return handler(ctx, checkParams(method, params))
}

export function acceptPagePort(port: chrome.runtime.Port): void {
  const ctx: CallContext = { origin: senderOrigin(port.sender) }
  serveRequests(port, (method, params) => dispatch(ctx, method, params))
}
