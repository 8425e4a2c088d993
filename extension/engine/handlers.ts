/**
 * What the engine answers: one handler per EngineMethods entry (the type makes
 * the map exhaustive). Each gets the origin the service worker vouched for.
 */
import { P2PError } from '../../src/errors.js'
import type { EngineMethod, EngineMethods } from '../../src/protocol/messages.js'
import { VERSION } from './config.js'

const startedAt = performance.now()

type Handlers = {
  [M in EngineMethod]: (
    origin: string,
    params: EngineMethods[M]['params'],
  ) => Promise<EngineMethods[M]['result']>
}

const noIdentities = async (): Promise<never> => {
  throw new P2PError('internal', 'identity archives are not available yet')
}

export const handlers: Handlers = {
  status: async () => ({ version: VERSION, uptime: Math.round(performance.now() - startedAt) }),
  'identity.main': noIdentities,
  'identity.create': noIdentities,
  'identity.get': noIdentities,
  'origin.forget': async () => null,
}

export function isEngineMethod(method: string): method is EngineMethod {
  return Object.hasOwn(handlers, method)
}
