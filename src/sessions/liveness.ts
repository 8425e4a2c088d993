/**
 * When a published session counts as live. The host rewrites
 * `session.json` every heartbeat interval (seed 000: at least every 5
 * minutes) and states that interval as `heartbeat_ms`. A reader notes the
 * local time each new version of the entry arrived and treats the session
 * as gone once two of the HOST's intervals passed without a new one, so a
 * host that crashed leaves no ghost, a host beating slowly is not dropped
 * early by a reader that beats fast, and neither side's clock matters
 * (`last_update` is the host's clock: only shown, never compared).
 */
import type { Session } from '../identity/records.js'

/** The seed's interval, and the longest one a host may use. */
export const MAX_HEARTBEAT_MS = 5 * 60_000
/** What Porchlight uses unless told otherwise: well inside the seed's 5 minutes. */
export const DEFAULT_HEARTBEAT_MS = 60_000
/** The shortest interval (tests shorten it through the admin setting). */
export const MIN_HEARTBEAT_MS = 500

/** The host's heartbeat interval, clamped; the seed's 5 minutes when it does not say. */
export function hostInterval(session: Session): number {
  return session.heartbeat_ms === undefined
    ? MAX_HEARTBEAT_MS
    : clampHeartbeat(session.heartbeat_ms)
}

/** When `session`, whose latest version arrived at local time `seenAt`, stops being live. */
export function staleAt(session: Session, seenAt: number): number {
  return seenAt + 2 * hostInterval(session)
}

/** True while two of the host's intervals have not passed since the latest version arrived. */
export function isLive(session: Session, seenAt: number, now: number): boolean {
  return now <= staleAt(session, seenAt)
}

/** A heartbeat interval as given, clamped to [MIN_HEARTBEAT_MS, MAX_HEARTBEAT_MS]. */
export function clampHeartbeat(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DEFAULT_HEARTBEAT_MS
  return Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, Math.round(ms)))
}
