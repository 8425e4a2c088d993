/**
 * The page API, answered by the gatekeeper: one named handler per method.
 * The map's type makes it exhaustive: a method added to PageMethods without a
 * handler here does not compile.
 */
import type { Grant } from '../../src/permissions/grant.js'
import type { FrameOwner, PageMethod, PageMethods } from '../../src/protocol/messages.js'
import { defineElements } from './elements.js'
import { engineRequest } from './engine-link.js'
import { acceptInvite, createInvite, friends, host } from './friends.js'
import { permissionState } from './grants.js'
import { identityByUrl } from './identities.js'
import { joinIntent } from './join-intents.js'
import { joinLobby, leaveLobby, retainedSessionData, setSessionData } from './lobbies.js'
import { handleModule, postMessages } from './lobby-messages.js'
import { requestPermission } from './prompts.js'
import { revoke } from './revoke.js'

export interface CallContext {
  /** The caller's origin, from `port.sender`; null when opaque or unknown. */
  origin: string | null
  /** Whether the page had a user gesture when it called (attested by the bridge). */
  gesture: boolean
  /** The origin's grant; present for every method outside UNGATED. */
  grant: Grant | undefined
  /** The calling document, as the browser reports it. */
  frame: FrameOwner | null
}

/** Context of a call that passed the grant check. */
export type GrantedContext = CallContext & { origin: string; grant: Grant }

type Handlers = {
  [M in PageMethod]: (
    ctx: GrantedContext,
    params: PageMethods[M]['params'],
  ) => Promise<PageMethods[M]['result']>
}

export const handlers: Handlers = {
  permission: (ctx) => permissionState(ctx.origin),
  requestPermission: (ctx) => requestPermission(ctx.origin, ctx.gesture),
  revokePermission: async (ctx) => {
    await revoke(ctx.origin)
    return null
  },
  status: (ctx) => engineRequest('status', ctx.origin),
  identity: (ctx) => identityByUrl(ctx.grant.identity),
  loadElements: async (ctx) => {
    await defineElements(ctx.frame)
    return null
  },
  joinLobby,
  'lobby.setSessionData': setSessionData,
  'lobby.leave': leaveLobby,
  retainedSessionData,
  host,
  friends,
  createInvite,
  acceptInvite,
  joinIntent,
  'lobby.post': postMessages,
  'lobby.handle': handleModule,
}
