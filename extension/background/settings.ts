/**
 * The user's settings, in the gatekeeper's IndexedDB: for now the signaling
 * servers (WebTorrent trackers) lobbies announce on. Until the user changes
 * them, the build's defaults apply.
 */
import { DEFAULT_TRACKERS } from '../engine/config.js'
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
