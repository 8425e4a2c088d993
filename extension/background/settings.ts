/**
 * The user's settings, in the gatekeeper's IndexedDB: the signaling servers
 * (WebTorrent trackers) lobbies announce on, and the ICE (STUN/TURN) servers
 * their connections use. Until the user changes them, the build's defaults
 * apply. TURN credentials stay here and in the engine: the options page
 * sees only whether one is set.
 */
import { P2PError } from '../../src/errors.js'
import { iceServerView, type IceServer, type IceServerView } from '../../src/protocol/ice.js'
import { DEFAULT_ICE, DEFAULT_TRACKERS } from '../engine/config.js'
import { clampHeartbeat, DEFAULT_HEARTBEAT_MS } from '../../src/sessions/liveness.js'
import { SETTINGS, get, put } from './store.js'

interface Setting<T> {
  name: string
  value: T
}

export async function trackers(): Promise<string[]> {
  const saved = await get<Setting<string[]>>(SETTINGS, 'trackers')
  return saved ? [...saved.value] : [...DEFAULT_TRACKERS]
}

/** Replaces the tracker list (already checked: see src/protocol/admin.ts). */
export async function setTrackers(urls: string[]): Promise<string[]> {
  await put(SETTINGS, { name: 'trackers', value: urls } satisfies Setting<string[]>)
  return trackers()
}

/** session.json's heartbeat interval, ms (hosting, and judging friends' sessions). */
export async function heartbeat(): Promise<number> {
  const saved = await get<Setting<number>>(SETTINGS, 'heartbeat')
  return saved ? clampHeartbeat(saved.value) : DEFAULT_HEARTBEAT_MS
}

/** Sets the heartbeat interval (tests shorten it; see src/sessions/liveness.ts for the range). */
export async function setHeartbeat(ms: number): Promise<number> {
  await put(SETTINGS, { name: 'heartbeat', value: clampHeartbeat(ms) } satisfies Setting<number>)
  return heartbeat()
}

/** The ICE servers with their credentials: for the engine only. */
export async function iceServers(): Promise<IceServer[]> {
  const saved = await get<Setting<IceServer[]>>(SETTINGS, 'ice')
  return (saved ? saved.value : DEFAULT_ICE).map((s) => ({ ...s }))
}

/** The ICE servers as the options page may see them. */
export async function iceView(): Promise<IceServerView[]> {
  return (await iceServers()).map(iceServerView)
}

/**
 * Replaces the ICE servers (already checked: see src/protocol/admin.ts). A
 * TURN server without a credential keeps the stored one of the same URL and
 * username; with none stored it is refused.
 */
export async function setIceServers(servers: IceServer[]): Promise<IceServerView[]> {
  const stored = await iceServers()
  const complete = servers.map((s) => {
    if (s.username === undefined || s.credential !== undefined) return s
    const kept = stored.find((o) => o.urls === s.urls && o.username === s.username)?.credential
    if (kept === undefined) {
      throw P2PError.INVALID_ARGUMENT(`setIce: ${s.urls} needs a credential`)
    }
    return { ...s, credential: kept }
  })
  await put(SETTINGS, { name: 'ice', value: complete } satisfies Setting<IceServer[]>)
  return iceView()
}
