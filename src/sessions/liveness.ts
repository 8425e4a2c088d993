/**
 * When a published session counts as live. The host refreshes
 * `session.json`'s `last_update` every heartbeat interval (seed 000: at
 * least every 5 minutes); a reader treats a session whose heartbeat is older
 * than two intervals as gone, so a host that crashed leaves no ghost.
 */
import type { Session } from '../identity/records.js'

/** The seed's interval, and the longest one a host may use. */
export const MAX_HEARTBEAT_MS = 5 * 60_000
/** What Porchlight uses unless told otherwise: well inside the seed's 5 minutes. */
export const DEFAULT_HEARTBEAT_MS = 60_000
/** The shortest interval (tests shorten it through the admin setting). */
export const MIN_HEARTBEAT_MS = 500

/** True when `session` had a heartbeat within two intervals of `now`. */
export function isLive(session: Session, now: number, interval = DEFAULT_HEARTBEAT_MS): boolean {
  const age = now - session.last_update
  // A heartbeat from the future (clock skew) is trusted only up to one interval.
  return age <= 2 * interval && age >= -interval
}

/** When `session` stops being live (ms since the epoch). */
export function staleAt(session: Session, interval = DEFAULT_HEARTBEAT_MS): number {
  return session.last_update + 2 * interval
}

/** A heartbeat interval as given, clamped to [MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS]. */
export function clampHeartbeat(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DEFAULT_HEARTBEAT_MS
  return Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, Math.round(ms)))
}
