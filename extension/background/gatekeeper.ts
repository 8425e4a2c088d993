/**
 * The gatekeeper: every page request passes here. It attributes the request
 * to the origin the browser reports for the port's sender (never to anything
 * in the message), validates the envelope and the params, applies the
 * per-origin rate limit, and answers with a result or a typed error.
 */
import { P2PError } from '../../src/errors.js'
import { PageBudgets } from '../../src/permissions/rate-limit.js'
import { isGrantableOrigin, senderOrigin } from '../../src/permissions/origin.js'
import { checkParams, isPageMethod } from '../../src/protocol/params.js'
import { serve } from '../../src/protocol/serve.js'
import { UNGATED } from '../../src/protocol/messages.js'
import { grantFor } from './grants.js'
import { handlers, type CallContext } from './handlers.js'
import { documentGone } from './lobbies.js'
import { frameOwnerOf, trackPagePort } from './page-ports.js'

const budgets = new PageBudgets()

async function dispatch(ctx: CallContext, method: string, params: unknown): Promise<unknown> {
  if (!isPageMethod(method)) {
    throw P2PError.INVALID_ARGUMENT(`unknown method "${method.slice(0, 64)}"`)
  }
  if (!budgets.take(method, ctx.origin ?? 'null')) throw P2PError.RATE_LIMITED()
  const checked = checkParams(method, params)
  if (!UNGATED.has(method)) {
    if (!isGrantableOrigin(ctx.origin)) {
      throw P2PError.PERMISSION_DENIED('presence can only be granted to http(s) sites')
    }
    // Cached, and dropped on every change: a grant revoked anywhere counts at once.
    ctx.grant = await grantFor(ctx.origin)
    if (!ctx.grant) throw P2PError.PERMISSION_REQUIRED(ctx.origin)
  }
  const handler = handlers[method] as (ctx: CallContext, params: unknown) => Promise<unknown>
  return handler(ctx, checked)
}

export function acceptPagePort(port: chrome.runtime.Port): void {
  // Only content scripts speak the page protocol, and the browser attests
  // the frame they run in; a message never names its own origin.
  const sender = port.sender
  const origin = sender?.tab ? senderOrigin(sender) : null
  const frame = frameOwnerOf(sender)
  // The bridge keeps its port while its page is in a lobby: when it closes,
  // the document is gone (or the extension reloads) and its lobbies close.
  if (frame) {
    if (origin) trackPagePort(port, origin, frame)
    port.onDisconnect.addListener(() => documentGone(frame))
  }
  serve(port, ({ method, params, gesture }) =>
    dispatch({ origin, gesture: gesture === true, grant: undefined, frame }, method, params),
  )
}
