/**
 * The engine's lobbies: one hub over one pool of swarms, answering the
 * service worker's lobby calls. Notices for pages go out through `notify`,
 * which the engine's entry wires to its port.
 */
import type { EngineNotice } from '../../src/protocol/messages.js'
import type { EngineHandlers } from './handler-types.js'
import { identities } from './identities.js'
import { LobbyHub } from './lobbies.js'
import { SwarmPool, trackerSwarms } from './swarms.js'

let sink: (notice: EngineNotice) => void = () => undefined

/** Where notices go (the engine's entry sets it once its port exists). */
export function setNoticeSink(fn: (notice: EngineNotice) => void): void {
  sink = fn
}

export const hub = new LobbyHub({
  swarms: new SwarmPool(trackerSwarms(identities)),
  notify: (notice) => sink(notice),
  identity: async (url) => (await identities()).identity(url),
})

export const lobbyHandlers: EngineHandlers<
  | 'lobby.join'
  | 'lobby.setSessionData'
  | 'lobby.leave'
  | 'lobbies.ofTab'
  | 'frames.gone'
  | 'origin.forget'
  | 'lobby.post'
  | 'lobby.handle'
> = {
  'lobby.post': async (origin, params) => {
    await hub.post(origin, params)
    return null
  },
  'lobby.handle': async (origin, params) => {
    hub.handleModule(origin, params)
    return null
  },
  'lobbies.ofTab': async (_origin, { tabId }) => hub.ofTab(tabId),
  'lobby.join': (origin, params) => hub.join(origin, params),
  'lobby.setSessionData': async (origin, params) => hub.setSessionData(origin, params),
  'lobby.leave': async (origin, params) => {
    hub.leave(origin, params)
    return null
  },
  'frames.gone': async (_origin, params) => {
    hub.framesGone(params)
    return null
  },
  'origin.forget': async (origin) => {
    hub.forgetOrigin(origin)
    return null
  },
}
