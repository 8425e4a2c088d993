/**
 * The values an identity archive holds, as seed 000 names them:
 * `profile.json` {name, created, friends} and, while hosting, `session.json`
 * {name, url, last_update, peers, max_peers, protected} plus our addition
 * `heartbeat_ms` (optional: the host's heartbeat interval).
 *
 * Each check takes untrusted data, reads own properties only and builds a
 * fresh object; a failure is `invalid-argument` saying which field is wrong.
 * What we write refuses unknown fields; what we read from an archive (maybe
 * a friend's, written by a newer version) leaves them out, so a field added
 * later does not make a friend's profile or session unreadable.
 */
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import { parseHyperUrl } from './hyper-url.js'

export const PROFILE = 'profile.json'
export const SESSION = 'session.json'
export const ARCHIVE_KEYS = [PROFILE, SESSION] as const
export type ArchiveKey = (typeof ARCHIVE_KEYS)[number]

export const MAX_NAME_LENGTH = 64
export const MAX_FRIENDS = 256
/** Largest peer count a session may announce. */
export const MAX_SESSION_PEERS = 1024

export interface Profile {
  name: string
  /** Milliseconds since the epoch when the identity was created. */
  created: number
  /** Friends' identity URLs, hyper://<64 hex>, no duplicates. */
  friends: string[]
}

export interface Session {
  name: string
  /** The session lobby, e.g. hyper://<key>?lobby=<name>. */
  url: string
  /** Heartbeat, milliseconds since the epoch. */
  last_update: number
  peers: number
  max_peers: number
  protected: boolean
  /**
   * Addition to seed 000: how often the host rewrites the entry, ms. Readers
   * judge liveness by it (../sessions/liveness.ts); without it, the seed's 5 min.
   */
  heartbeat_ms?: number
}

/** Longest heartbeat interval session.json may state, ms (a day; readers clamp further). */
const MAX_STATED_HEARTBEAT = 86_400_000

export interface ArchiveValues {
  [PROFILE]: Profile
  [SESSION]: Session
}

export function isArchiveKey(value: unknown): value is ArchiveKey {
  return typeof value === 'string' && (ARCHIVE_KEYS as readonly string[]).includes(value)
}

/** `write`: refuse unknown fields; `read`: leave them out (only known fields are copied). */
export type CheckMode = 'write' | 'read'

function fields(
  raw: unknown,
  what: string,
  allowed: readonly string[],
  mode: CheckMode,
): Record<string, unknown> {
  if (!isRecord(raw)) throw P2PError.INVALID_ARGUMENT(`${what} must be an object`)
  const extra = Object.keys(raw).filter((k) => !allowed.includes(k))
  if (mode === 'write' && extra.length > 0) {
    throw P2PError.INVALID_ARGUMENT(`${what} has unknown field "${extra[0]?.slice(0, 40)}"`)
  }
  return raw
}

/** A display name: 1–64 characters, not only whitespace, no control characters. */
export function checkName(raw: unknown, what = 'name'): string {
  if (typeof raw !== 'string') throw P2PError.INVALID_ARGUMENT(`${what} must be a string`)
  const length = [...raw].length
  if (length < 1 || length > MAX_NAME_LENGTH || raw.trim() === '') {
    throw P2PError.INVALID_ARGUMENT(`${what} must be 1–${MAX_NAME_LENGTH} characters`)
  }
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw P2PError.INVALID_ARGUMENT(`${what} must not contain control characters`)
  }
  return raw
}

function checkTime(raw: unknown, what: string): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    throw P2PError.INVALID_ARGUMENT(`${what} must be a timestamp in milliseconds`)
  }
  return raw
}

function checkCount(raw: unknown, what: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    throw P2PError.INVALID_ARGUMENT(`${what} must be an integer from ${min} to ${max}`)
  }
  return raw
}

export function checkProfile(raw: unknown, mode: CheckMode = 'write'): Profile {
  const obj = fields(raw, PROFILE, ['name', 'created', 'friends'], mode)
  const friendsRaw = own(obj, 'friends')
  if (!Array.isArray(friendsRaw)) throw P2PError.INVALID_ARGUMENT('friends must be an array')
  if (friendsRaw.length > MAX_FRIENDS) {
    throw P2PError.INVALID_ARGUMENT(`friends can hold at most ${MAX_FRIENDS} identities`)
  }
  const friends = [...new Set(friendsRaw.map((f, i) => parseHyperUrl(f, `friends[${i}]`)))]
  return {
    name: checkName(own(obj, 'name')),
    created: checkTime(own(obj, 'created'), 'created'),
    friends,
  }
}

/** A session lobby URL: an identity URL with an optional `?lobby=<name>`. */
function checkSessionUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 512) {
    throw P2PError.INVALID_ARGUMENT('session url must be a hyper:// URL')
  }
  const q = raw.indexOf('?')
  const base = parseHyperUrl(q < 0 ? raw : raw.slice(0, q), 'session url')
  return q < 0 ? base : base + raw.slice(q)
}

export function checkSession(raw: unknown, mode: CheckMode = 'write'): Session {
  const obj = fields(
    raw,
    SESSION,
    ['name', 'url', 'last_update', 'peers', 'max_peers', 'protected', 'heartbeat_ms'],
    mode,
  )
  const maxPeers = checkCount(own(obj, 'max_peers'), 'max_peers', 1, MAX_SESSION_PEERS)
  const isProtected = own(obj, 'protected')
  if (typeof isProtected !== 'boolean')
    throw P2PError.INVALID_ARGUMENT('protected must be a boolean')
  const session: Session = {
    name: checkName(own(obj, 'name')),
    url: checkSessionUrl(own(obj, 'url')),
    last_update: checkTime(own(obj, 'last_update'), 'last_update'),
    peers: checkCount(own(obj, 'peers'), 'peers', 0, maxPeers),
    max_peers: maxPeers,
    protected: isProtected,
  }
  const heartbeat = own(obj, 'heartbeat_ms')
  if (heartbeat !== undefined) {
    session.heartbeat_ms = checkCount(heartbeat, 'heartbeat_ms', 1, MAX_STATED_HEARTBEAT)
  }
  return session
}

/** Checks a value for `key`, returning the fresh, canonical value. */
export function checkValue<K extends ArchiveKey>(
  key: K,
  raw: unknown,
  mode: CheckMode = 'write',
): ArchiveValues[K] {
  const value = key === PROFILE ? checkProfile(raw, mode) : checkSession(raw, mode)
  return value as ArchiveValues[K]
}
