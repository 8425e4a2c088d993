/** The shape of the engine's handler maps: one function per EngineMethods entry. */
import type { EngineMethod, EngineMethods } from '../../src/protocol/messages.js'

export type EngineHandlers<K extends EngineMethod = EngineMethod> = {
  [M in K]: (
    origin: string,
    params: EngineMethods[M]['params'],
  ) => Promise<EngineMethods[M]['result']>
}
