/**
 * Lobbies on the wire: what the page client, the service worker and the
 * engine say to each other about a lobby.
 *
 * A page that joins gets a handle id (random, unguessable) naming its view
 * of the lobby; every later call and event carries it. Bytes travel as
 * base64 because runtime.Port is JSON. Events of one handle are numbered
 * (`seq`), so a client that receives an event before the answer to its
 * join (they travel by different routes) can order them.
 */
import { fromBase64 } from '../bytes.js'
import { P2PError, type WireError } from '../errors.js'
import { sessionDataBytes } from '../lobby/session-data.js'
import type { SignalPath } from '../signaling/adapter.js'
import { normalizeLobbyName } from '../signaling/topic.js'
import type { Route } from '../swarm/route.js'
import type { Identity } from './messages.js'
import { checkSessionName } from './sessions.js'
import { isHandle, objectParams, own } from './validate.js'

export { isHandle }

/** Peers a lobby takes when the page does not say. */
export const DEFAULT_MAX_PEERS = 16
/** Most peers a lobby may take. */
export const MAX_MAX_PEERS = 64

export type LobbyState = 'discovering' | 'connecting' | 'connected' | 'full' | 'closed'

export type { SignalPath }
/**
 * How we reach a peer: a connection signaled by a tracker, a relay peer or
 * the host's lobby log, or no connection (`mesh`: its presence reaches us
 * through other members, beyond the lobby's direct-connection budget).
 */
export type PeerPath = SignalPath | 'mesh'
/** How many of a lobby's peers each path reaches. */
export type PathCounts = Partial<Record<PeerPath, number>>

/**
 * How a path is spelled: lowercase letters, digits and `-`, at most 24. Each
 * signaling backend names its own (src/signaling/adapters/), so pages accept
 * any path spelled as one.
 */
export const PATH_PATTERN = /^[a-z][a-z0-9-]{0,23}$/

/** Whether `value` is spelled as a path. */
export function isPeerPath(value: unknown): value is PeerPath {
  return typeof value === 'string' && PATH_PATTERN.test(value)
}

/** The counts in `raw` that are paths with a positive count (at most 16 paths). */
export function pathCountsOf(raw: Record<string, unknown>): PathCounts {
  const counts: PathCounts = {}
  for (const [path, n] of Object.entries(raw).slice(0, 16)) {
    if (isPeerPath(path) && typeof n === 'number' && Number.isSafeInteger(n) && n > 0) {
      counts[path] = n
    }
  }
  return counts
}

/** Whether two path counts say the same. */
export function samePathCounts(a: PathCounts, b: PathCounts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((p) => a[p] === b[p])
}

/** Bytes of a peer alias (shown as 16 hex). */
export const PEER_ALIAS_BYTES = 8

export function isPeerAlias(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{16}$/.test(value)
}

/** A peer as a page sees it. */
export interface PeerWire {
  /** Per-origin alias of the remote browser instance. */
  id: string
  identity: Identity | null
  /** Base64, or null before the peer sent any. */
  sessionData: string | null
  /** How we reach it (absent for self). */
  path?: PeerPath
}

/** The answer to a join: everything the page needs to build its Lobby. */
export interface LobbyWire {
  /** The handle id. */
  lobby: string
  name: string
  url: string
  state: LobbyState
  self: PeerWire
  peers: PeerWire[]
  maxPeers: number
  /** How many of the peers each path reaches (as the `state` event says it). */
  paths?: PathCounts
  /** The seq of the last event included in this snapshot. */
  seq: number
}

/** Lobby events, as `data` of an event message that also carries `lobby` and `seq`. */
export interface LobbyEventsWire {
  'peer-join': { peer: PeerWire }
  'peer-leave': { peer: PeerWire }
  /** A peer's identity became known or changed (its profile replicated). */
  'peer-update': { peer: PeerWire }
  'session-data': { peer: PeerWire; data: string | null }
  /** Also sent when only `paths` changed. */
  state: { state: LobbyState; paths?: PathCounts }
  error: { error: WireError }
}
export type LobbyEventName = keyof LobbyEventsWire

export const LOBBY_EVENTS: readonly LobbyEventName[] = [
  'peer-join',
  'peer-leave',
  'peer-update',
  'session-data',
  'state',
  'error',
]

/** One lobby open in a tab, as the extension's popup lists it. */
export interface TabLobby {
  origin: string
  name: string
  state: LobbyState
  /**
   * The people connected, one entry per connection; identity null while
   * unknown; `path` how the connection was signaled; `route` the candidate
   * types of the path in use (null while none).
   */
  peers: Array<{ identity: Identity | null; path?: PeerPath; route?: Route | null }>
  /** The latest connection failure (e.g. `not-connected`: no network path), if any. */
  problem?: WireError
}

/** What the service worker kept of a lobby's session-data for an origin. */
export interface RetainedSessionData {
  /** The page's own latest value (base64), re-announced on join. */
  self: string | null
  /** The last value seen from each peer identity, newest first. */
  peers: Array<{ identity: string; data: string; at: number }>
}

/** Base64 of at most 256 bytes (344 characters). */
const MAX_DATA_CHARS = 344

function handleOf(method: string, obj: Record<string, unknown>): string {
  const lobby = own(obj, 'lobby')
  if (!isHandle(lobby)) throw P2PError.INVALID_ARGUMENT(`${method}: unknown lobby`)
  return lobby
}

function lobbyName(method: string, raw: unknown): string {
  try {
    return normalizeLobbyName(raw)
  } catch (err) {
    throw P2PError.INVALID_ARGUMENT(`${method}: ${P2PError.from(err).detail}`)
  }
}

export interface JoinParams {
  name: string
  maxPeers?: number
  password?: string
}

export function checkJoin(raw: unknown): JoinParams {
  const obj = objectParams('joinLobby', raw, ['name', 'maxPeers', 'password'])
  // A hosted session's URL (hyper://…?lobby=…&origin=…) is joined by it: ./sessions.ts.
  const session = checkSessionName(own(obj, 'name'))
  const params: JoinParams = { name: session ?? lobbyName('joinLobby', own(obj, 'name')) }
  const maxPeers = own(obj, 'maxPeers')
  if (maxPeers !== undefined) {
    if (
      !Number.isSafeInteger(maxPeers) ||
      (maxPeers as number) < 1 ||
      (maxPeers as number) > MAX_MAX_PEERS
    ) {
      throw P2PError.INVALID_ARGUMENT(
        `joinLobby: maxPeers must be an integer from 1 to ${MAX_MAX_PEERS}`,
      )
    }
    params.maxPeers = maxPeers as number
  }
  const password = own(obj, 'password')
  if (password !== undefined) {
    if (typeof password !== 'string' || password.length > 1024) {
      throw P2PError.INVALID_ARGUMENT('joinLobby: password must be a string')
    }
    params.password = password
  }
  return params
}

export function checkHandle(method: string) {
  return (raw: unknown): { lobby: string } => ({
    lobby: handleOf(method, objectParams(method, raw, ['lobby'])),
  })
}

/** `data` is base64 of ≤256 bytes; the size itself is checked where it is decoded. */
export function checkSetSessionData(raw: unknown): { lobby: string; data: string } {
  const obj = objectParams('setSessionData', raw, ['lobby', 'data'])
  const data = own(obj, 'data')
  if (typeof data !== 'string') throw P2PError.INVALID_ARGUMENT('setSessionData: data is missing')
  if (data.length > MAX_DATA_CHARS) {
    throw P2PError.PAYLOAD_TOO_LARGE(Math.floor((data.length * 3) / 4), 256)
  }
  // The exact rule (base64 of at most 256 bytes): whoever serves the call never sees more.
  sessionDataBytes(fromBase64(data, 'session data'))
  return { lobby: handleOf('setSessionData', obj), data }
}

export function checkRetained(raw: unknown): { name: string } {
  const obj = objectParams('retainedSessionData', raw, ['name'])
  return { name: lobbyName('retainedSessionData', own(obj, 'name')) }
}
