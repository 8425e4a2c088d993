/**
 * The engine's lobbies: one hub over one pool of swarms, answering the
 * service worker's lobby calls. Notices for pages go out through `notify`,
 * which the engine's entry wires to its port.
 */
import { idbFriendStore, type FriendStore } from '../../src/friends/friend-store.js'
import type { EngineNotice } from '../../src/protocol/messages.js'
import { looksLikeSessionUrl } from '../../src/sessions/session-url.js'
import { FriendsHub } from './friends.js'
import type { EngineHandlers } from './handler-types.js'
import { identities, onRenamed } from './identities.js'
import { lanesGone } from './lanes.js'
import { LobbyHub } from './lobbies.js'
import { SessionHub } from './sessions.js'
import { trackerSwarms } from './peerings.js'
import { SwarmPool } from './swarms.js'

let sink: (notice: EngineNotice) => void = () => undefined

/** Where notices go (the engine's entry sets it once its port exists). */
export function setNoticeSink(fn: (notice: EngineNotice) => void): void {
  sink = fn
}

const swarms = new SwarmPool(trackerSwarms(identities))

export const hub = new LobbyHub({
  swarms,
  notify: (notice) => sink(notice),
  identity: async (url) => (await identities()).identity(url),
})

onRenamed((identity) => hub.renamed(identity))

const sessions = new SessionHub({ hub, identities })

let store: Promise<FriendStore> | null = null
const friends = new FriendsHub({
  swarms,
  identities,
  store: () => {
    store ??= idbFriendStore().catch((err: unknown) => {
      store = null
      throw err
    })
    return store
  },
  notify: (notice) => sink(notice),
})

export const sessionHandlers: EngineHandlers<
  'session.host' | 'friends.list' | 'friends.createInvite' | 'friends.acceptInvite'
> = {
  'session.host': async (origin, params) => {
    // Friends find a host through its rendezvous topic: keep it announced while hosting.
    friends.circle(params).catch(() => undefined)
    return sessions.host(origin, params)
  },
  'friends.list': (origin, params) => friends.list(origin, params),
  'friends.createInvite': (_origin, params) => friends.createInvite(params),
  'friends.acceptInvite': (_origin, params) => friends.acceptInvite(params),
}

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
  'lobby.join': (origin, params) =>
    looksLikeSessionUrl(params.name) ? sessions.join(origin, params) : hub.join(origin, params),
  'lobby.setSessionData': async (origin, params) => hub.setSessionData(origin, params),
  'lobby.leave': async (origin, params) => {
    hub.leave(origin, params)
    return null
  },
  'frames.gone': async (_origin, params) => {
    hub.framesGone(params)
    lanesGone(params)
    return null
  },
  'origin.forget': async (origin) => {
    hub.forgetOrigin(origin)
    return null
  },
}
