/**
 * The user's settings, in the gatekeeper's IndexedDB: for now the signaling
 * servers (WebTorrent trackers) lobbies announce on. Until the user changes
 * them, the build's defaults apply.
 */
import { DEFAULT_TRACKERS } from '../engine/config.js'
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
