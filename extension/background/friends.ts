/**
 * The service worker's part in hosting and friends: it checks the grant
 * (friends only for sites the user let see them, invites only on a click),
 * adds the granted identity, the user's trackers and heartbeat setting, and
 * forwards to the engine; and it turns the engine's "friends changed"
 * notices into `friendschange` events for the sites allowed to see them.
 */
import { P2PError } from '../../src/errors.js'
import type { LobbyWire } from '../../src/protocol/lobby.js'
import { FRIENDS_CHANGED } from '../../src/protocol/admin.js'
import type { FriendsParams } from '../../src/protocol/messages.js'
import type { FriendWire, HostParams } from '../../src/protocol/sessions.js'
import { own } from '../../src/protocol/validate.js'
import { toOrigin } from './broadcast.js'
import { engineRequest } from './engine-link.js'
import { grantsOf } from './grants.js'
import type { GrantedContext } from './handlers.js'
import { ownerOf } from './lobbies.js'
import { heartbeat, trackers } from './settings.js'

async function friendsParams(identity: string): Promise<FriendsParams> {
  return { identity, trackers: await trackers(), heartbeat: await heartbeat() }
}

function needFriends(ctx: GrantedContext): void {
  if (!ctx.grant.friends) {
    throw P2PError.PERMISSION_DENIED(
      'the user did not let this site see their friends (they can allow it in the prompt)',
    )
  }
}

function needGesture(ctx: GrantedContext, what: string): void {
  if (!ctx.gesture)
    throw P2PError.PERMISSION_DENIED(`${what} only in answer to a click or key press`)
}

export async function host(ctx: GrantedContext, params: HostParams): Promise<LobbyWire> {
  return engineRequest('session.host', ctx.origin, {
    ...params,
    ...(await friendsParams(ctx.grant.identity)),
    owner: ownerOf(ctx),
  })
}

export async function friends(ctx: GrantedContext): Promise<FriendWire[]> {
  needFriends(ctx)
  return engineRequest('friends.list', ctx.origin, await friendsParams(ctx.grant.identity))
}

export async function createInvite(ctx: GrantedContext): Promise<string> {
  needFriends(ctx)
  needGesture(ctx, 'invites are made')
  return engineRequest('friends.createInvite', ctx.origin, await friendsParams(ctx.grant.identity))
}

export async function acceptInvite(
  ctx: GrantedContext,
  params: { token: string },
): Promise<FriendWire> {
  needFriends(ctx)
  needGesture(ctx, 'invites are accepted')
  return engineRequest('friends.acceptInvite', ctx.origin, {
    ...(await friendsParams(ctx.grant.identity)),
    token: params.token,
  })
}

/** The friends of the main identity, every site's sessions included (the popup). */
export async function friendsOf(identity: string): Promise<FriendWire[]> {
  return engineRequest('friends.list', null, { ...(await friendsParams(identity)), all: true })
}

/** `{ t: 'friends', identity }` from the engine: tell the sites that may see that identity's friends. */
export async function onFriendsNotice(raw: Record<string, unknown>): Promise<void> {
  const identity = own(raw, 'identity')
  if (typeof identity !== 'string') return
  // The popup, if open, redraws its friends (content scripts do not get runtime messages).
  chrome.runtime.sendMessage({ t: FRIENDS_CHANGED }).catch(() => {
    // No extension page is open: nobody to tell.
  })
  for (const grant of await grantsOf(identity)) {
    if (grant.friends) await toOrigin(grant.origin, 'friendschange', {})
  }
}
