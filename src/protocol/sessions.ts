/**
 * Hosting, friends and invites on the wire: the page calls' params and
 * checks, and the shapes pages get back (API.md "Friends and sessions").
 */
import type { SessionInfo } from '../api/types.js'
import { P2PError } from '../errors.js'
import type { Session } from '../identity/records.js'
import { checkPassword } from '../sessions/password.js'
import { looksLikeSessionUrl, parseSessionUrl, sessionUrl } from '../sessions/session-url.js'
import { normalizeLobbyName } from '../signaling/topic.js'
import { MAX_MAX_PEERS } from './lobby.js'
import type { Identity } from './messages.js'
import { objectParams, own } from './validate.js'

/** Peers (the host included) a hosted session takes when the page does not say. */
export const DEFAULT_SESSION_PEERS = 8

export interface HostParams {
  name: string
  /** Everyone in the session, the host included: 2–64. */
  maxPeers?: number
  password?: string
}

/** `session.json` as pages see it (API.md SessionInfo). */
export type SessionInfoWire = SessionInfo

export interface FriendWire {
  identity: Identity
  online: boolean
  session?: SessionInfoWire
}

export function checkHost(raw: unknown): HostParams {
  const obj = objectParams('host', raw, ['name', 'maxPeers', 'password'])
  let name: string
  try {
    name = normalizeLobbyName(own(obj, 'name'))
  } catch (err) {
    throw P2PError.INVALID_ARGUMENT(`host: ${P2PError.from(err).detail}`)
  }
  const params: HostParams = { name }
  const maxPeers = own(obj, 'maxPeers')
  if (maxPeers !== undefined) {
    if (!Number.isSafeInteger(maxPeers) || (maxPeers as number) < 2) {
      throw P2PError.INVALID_ARGUMENT(
        `host: maxPeers counts you too: an integer from 2 to ${MAX_MAX_PEERS}`,
      )
    }
    if ((maxPeers as number) > MAX_MAX_PEERS) {
      throw P2PError.INVALID_ARGUMENT(`host: maxPeers must be at most ${MAX_MAX_PEERS}`)
    }
    params.maxPeers = maxPeers as number
  }
  const password = own(obj, 'password')
  if (password !== undefined) params.password = checkPassword(password)
  return params
}

/** A session URL given to joinLobby, canonicalised; `invalid-argument` when malformed. */
export function checkSessionName(raw: unknown): string | null {
  if (!looksLikeSessionUrl(raw)) return null
  return sessionUrl(parseSessionUrl(raw))
}

export function checkInvite(raw: unknown): { token: string } {
  const token = own(objectParams('acceptInvite', raw, ['token']), 'token')
  if (typeof token !== 'string' || token.length === 0 || token.length > 512) {
    throw P2PError.INVALID_ARGUMENT('acceptInvite: token must be the text of an invite')
  }
  return { token }
}

/** session.json as SessionInfo. */
export function sessionInfo(session: Session): SessionInfoWire {
  return {
    name: session.name,
    url: session.url,
    lastUpdate: session.last_update,
    peers: session.peers,
    maxPeers: session.max_peers,
    protected: session.protected,
  }
}
