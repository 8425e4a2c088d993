/**
 * What the engine answers: one handler per EngineMethods entry (the type makes
 * the map exhaustive). Each gets the origin the service worker vouched for.
 */
import type { EngineMethod } from '../../src/protocol/messages.js'
import { VERSION } from './config.js'
import type { EngineHandlers } from './handler-types.js'
import { identityHandlers } from './identities.js'
import { lobbyHandlers, sessionHandlers } from './presence.js'

const startedAt = performance.now()

export const handlers: EngineHandlers = {
  status: async () => ({ version: VERSION, uptime: Math.round(performance.now() - startedAt) }),
  ...identityHandlers,
  ...lobbyHandlers,
  ...sessionHandlers,
}

export function isEngineMethod(method: string): method is EngineMethod {
  return Object.hasOwn(handlers, method)
}
