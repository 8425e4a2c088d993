/**
 * The service worker's part in lobby messages: the gatekeeper has checked
 * the batch (src/protocol/lobby-messages.ts) and its origin's grant; the
 * engine gets it with the calling document, which its lobby handle must
 * belong to. Events the other way travel as every lobby event does
 * (./lobbies.ts onEngineNotice).
 */
import type { HandleParams, PostParams } from '../../src/protocol/lobby-messages.js'
import { engineRequest } from './engine-link.js'
import type { GrantedContext } from './handlers.js'
import { ownerOf } from './lobbies.js'

export function postMessages(ctx: GrantedContext, params: PostParams): Promise<null> {
  return engineRequest('lobby.post', ctx.origin, { ...params, owner: ownerOf(ctx) })
}

export function handleModule(ctx: GrantedContext, params: HandleParams): Promise<null> {
  return engineRequest('lobby.handle', ctx.origin, { ...params, owner: ownerOf(ctx) })
}
