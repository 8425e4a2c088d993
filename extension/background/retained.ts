/**
 * Session-data the service worker keeps for each origin (DEP-0006: "retained
 * by the browser per site so the page need not be open"): per lobby, the
 * page's own latest value, re-announced when the lobby is joined again, and
 * the last value seen from each peer identity, readable when a page loads.
 *
 * Bounded: at most MAX_LOBBIES lobbies per origin (the least recently
 * updated go first) and MAX_PEERS peers per lobby. Revoking the origin's
 * grant forgets all of it.
 */
import type { RetainedSessionData } from '../../src/protocol/lobby.js'
import { SESSION_DATA, del, deleteAllBy, get, getAllBy, update } from './store.js'

export const MAX_LOBBIES = 32
export const MAX_PEERS = 64

interface Entry {
  key: string
  origin: string
  name: string
  self: string | null
  peers: Record<string, { data: string; at: number }>
  updated: number
}

const keyOf = (origin: string, name: string) => JSON.stringify([origin, name])

async function change(origin: string, name: string, fn: (entry: Entry) => void): Promise<void> {
  const key = keyOf(origin, name)
  let created = false
  await update<Entry>(SESSION_DATA, key, (current) => {
    created = current === undefined
    const entry = current ?? { key, origin, name, self: null, peers: {}, updated: 0 }
    fn(entry)
    entry.updated = Date.now()
    return entry
  })
  if (created) await trim(origin)
}

/** Drops the origin's least recently updated lobbies beyond MAX_LOBBIES. */
async function trim(origin: string): Promise<void> {
  const all = await getAllBy<Entry>(SESSION_DATA, 'origin', origin)
  if (all.length <= MAX_LOBBIES) return
  all.sort((a, b) => b.updated - a.updated)
  for (const old of all.slice(MAX_LOBBIES)) {
    await del(SESSION_DATA, old.key)
  }
}

/** The page set its own value (base64). */
export function retainOwn(origin: string, name: string, data: string): Promise<void> {
  return change(origin, name, (entry) => {
    entry.self = data
  })
}

/** A peer identity's latest value was seen (base64). */
export function retainPeer(origin: string, name: string, identity: string, data: string) {
  return change(origin, name, (entry) => {
    entry.peers[identity] = { data, at: Date.now() }
    const newest = Object.entries(entry.peers).sort(([, a], [, b]) => b.at - a.at)
    entry.peers = Object.fromEntries(newest.slice(0, MAX_PEERS))
  })
}

export async function retained(origin: string, name: string): Promise<RetainedSessionData> {
  const entry = await get<Entry>(SESSION_DATA, keyOf(origin, name))
  const peers = Object.entries(entry?.peers ?? {})
    .map(([identity, { data, at }]) => ({ identity, data, at }))
    .sort((a, b) => b.at - a.at)
  return { self: entry?.self ?? null, peers }
}

/** Everything kept for the origin goes (its grant was revoked). */
export function forgetRetained(origin: string): Promise<void> {
  return deleteAllBy(SESSION_DATA, 'origin', origin)
}
