/**
 * The part of a profile a peer tells others about itself before (or instead
 * of) replicating its archive: its name and when it was created. It rides in
 * signed messages (the connection's hello, presence records), so it is as
 * authentic as the identity key that signed them, and it arrives from peers:
 * it is checked as hostile input.
 */
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import { checkName, type Profile } from './records.js'

export interface SharedProfile {
  name: string
  /** Milliseconds since the epoch when the identity was created. */
  created: number
}

/** The shared part of an archive's profile (null: it has none). */
export function sharedProfile(
  profile: Pick<Profile, 'name' | 'created'> | null,
): SharedProfile | null {
  return profile ? { name: profile.name, created: profile.created } : null
}

/**
 * Checks a shared profile from a peer: an object of exactly `name` (a display
 * name as profile.json allows it) and `created` (a timestamp), or null.
 * Anything else is `protocol-error` naming `what`.
 */
export function parseSharedProfile(raw: unknown, what: string): SharedProfile | null {
  if (raw === null) return null
  const bad = (field: string) => P2PError.PROTOCOL_ERROR('peer', `${what}.${field} is malformed`)
  if (!isRecord(raw) || Object.keys(raw).some((k) => k !== 'name' && k !== 'created')) {
    throw P2PError.PROTOCOL_ERROR('peer', `${what} is malformed`)
  }
  let name: string
  try {
    name = checkName(own(raw, 'name'))
  } catch {
    throw bad('name')
  }
  const created = own(raw, 'created')
  if (typeof created !== 'number' || !Number.isSafeInteger(created) || created < 0) {
    throw bad('created')
  }
  return { name, created }
}

/** The field a shared profile (or its absence) is signed as: one unambiguous string. */
export function sharedProfileField(profile: SharedProfile | null): string {
  return profile ? JSON.stringify([profile.name, profile.created]) : ''
}
