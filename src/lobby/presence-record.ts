/**
 * A presence record: what a lobby member says about itself to the members it
 * is not connected to (issue 9: beyond a lobby's direct-connection budget,
 * presence still reaches everyone through the mesh).
 *
 *   { t: 'presence', hops, rec }     on the topic-scoped `presence` channel
 *
 * `rec` names the member (peer id; its identity URL is hyper://<identityKey>),
 * its profile if it shares one, its session-data, a sequence number that only
 * grows, how long the record lives, and whether the member is leaving. It is
 * signed with the member's peer key by the relay's scheme (signFields, own
 * domain), so a member that forwards it can drop it but not forge or alter
 * it. `hops` is not signed: each forwarder lowers it and caps it.
 */
import { fromBase64, toBase64 } from '../bytes.js'
import { P2PError } from '../errors.js'
import {
  parseSharedProfile,
  sharedProfileField,
  type SharedProfile,
} from '../identity/shared-profile.js'
import { isRecord, own } from '../protocol/validate.js'
import { MAX_AGE, signFields, verifyFields, type PeerProof } from '../signaling/relay-envelope.js'
import { identityUrlFromKey, isInstance, type LocalPeerInfo } from '../swarm/local-peer.js'
import { hexToBytes } from '@noble/curves/utils.js'
import { SESSION_DATA_MAX } from './session-data.js'

export const PRESENCE_DOMAIN = 'porchlight/presence/v1'
/** The topic-scoped channel presence records travel on. */
export const PRESENCE_CHANNEL = 'presence'
/** Most members a record passes through after its author. */
export const MAX_PRESENCE_HOPS = 6
/** Longest encoded presence message, bytes. */
export const MAX_PRESENCE_BYTES = 1_536
/** Longest a record may ask to live, ms. */
export const MAX_TTL = 120_000

const HEX40 = /^[0-9a-f]{40}$/
const HEX64 = /^[0-9a-f]{64}$/
const HEX128 = /^[0-9a-f]{128}$/

/** The name a member shares with the lobby (its profile's), if it shares one. */
export type { SharedProfile }

export interface PresenceContent {
  /** The lobby topic's hex. */
  topic: string
  /** The author's peer id. */
  from: string
  /** Grows with every record of the author (a clock-based counter). */
  seq: number
  /** How long the record lives after it arrives, ms. */
  ttl: number
  /** The author's clock when it signed, ms since the epoch. */
  ts: number
  /** The author is leaving the lobby. */
  gone: boolean
  profile: SharedProfile | null
  /** Base64 of the author's session-data (≤ 256 bytes), or null before it set any. */
  data: string | null
}

export type PresenceRecord = PresenceContent & PeerProof

export interface PresenceMessage {
  t: 'presence'
  hops: number
  rec: PresenceRecord
}

function fields(r: PresenceContent): string[] {
  return [
    r.topic,
    r.from,
    String(r.seq),
    String(r.ttl),
    String(r.ts),
    r.gone ? 'gone' : 'here',
    sharedProfileField(r.profile),
    r.data === null ? '' : `=${r.data}`,
  ]
}

/** Signs a record of `local`. */
export async function signPresence(
  local: LocalPeerInfo,
  content: Omit<PresenceContent, 'from'>,
): Promise<PresenceRecord> {
  const full: PresenceContent = { ...content, from: local.peerId }
  return { ...full, ...(await signFields(local, PRESENCE_DOMAIN, fields(full))) }
}

/**
 * Checks a record's signature, that its peer id belongs to its key, and that
 * it is fresh. Throws `unauthenticated` (forged or altered) or
 * `protocol-error` (out of its time window).
 */
export async function verifyPresence(rec: PresenceRecord, now = Date.now()): Promise<void> {
  if (Math.abs(now - rec.ts) > MAX_AGE) {
    throw P2PError.PROTOCOL_ERROR('peer', 'a presence record out of its time window')
  }
  await verifyFields(PRESENCE_DOMAIN, rec.from, fields(rec), rec, 'a presence record')
}

/** The identity URL of a record's author. */
export function presenceIdentity(rec: PresenceRecord): string {
  return identityUrlFromKey(hexToBytes(rec.identityKey))
}

/** The author's session-data as bytes, or null. */
export function presenceData(rec: PresenceRecord): Uint8Array | null {
  return rec.data === null ? null : fromBase64(rec.data, 'presence data')
}

/** Base64 of session-data for a record. */
export function encodeData(data: Uint8Array | null): string | null {
  return data ? toBase64(data) : null
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodePresence(msg: PresenceMessage): Uint8Array {
  return encoder.encode(JSON.stringify(msg))
}

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('peer', `presence ${what} is malformed`)
}

function hex(raw: Record<string, unknown>, key: string, pattern: RegExp): string {
  const value = own(raw, key)
  if (typeof value !== 'string' || !pattern.test(value)) throw bad(key)
  return value
}

function count(raw: Record<string, unknown>, key: string, max = Number.MAX_SAFE_INTEGER) {
  const value = own(raw, key)
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw bad(key)
  }
  return value
}

function dataOf(raw: unknown): string | null {
  if (raw === null) return null
  if (typeof raw !== 'string') throw bad('data')
  let bytes: Uint8Array
  try {
    bytes = fromBase64(raw, 'presence data')
  } catch {
    throw bad('data')
  }
  if (bytes.length > SESSION_DATA_MAX) throw P2PError.PAYLOAD_TOO_LARGE(bytes.length, 256)
  return raw
}

/** Checks the shape of a record from the network (not its signature: see verifyPresence). */
export function parsePresence(raw: unknown): PresenceRecord {
  if (!isRecord(raw)) throw bad('record')
  const gone = own(raw, 'gone')
  const instance = own(raw, 'instance')
  if (typeof gone !== 'boolean') throw bad('gone')
  if (!isInstance(instance)) throw bad('instance')
  return {
    topic: hex(raw, 'topic', HEX40),
    from: hex(raw, 'from', HEX40),
    seq: count(raw, 'seq'),
    ttl: count(raw, 'ttl'),
    ts: count(raw, 'ts'),
    gone,
    profile: parseSharedProfile(own(raw, 'profile') ?? null, 'presence profile'),
    data: dataOf(own(raw, 'data') ?? null),
    identityKey: hex(raw, 'identityKey', HEX64),
    instance,
    sig: hex(raw, 'sig', HEX128),
  }
}

/**
 * Decodes a `presence` channel payload: `payload-too-large` past
 * MAX_PRESENCE_BYTES, `protocol-error` when malformed, null for a message
 * kind a newer peer may send.
 */
export function decodePresence(payload: Uint8Array): PresenceMessage | null {
  if (payload.length > MAX_PRESENCE_BYTES) {
    throw P2PError.PAYLOAD_TOO_LARGE(payload.length, MAX_PRESENCE_BYTES)
  }
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(payload))
  } catch {
    throw bad('message')
  }
  if (!isRecord(raw)) throw bad('message')
  if (own(raw, 't') !== 'presence') return null
  const hops = count(raw, 'hops')
  return {
    t: 'presence',
    hops: Math.min(hops, MAX_PRESENCE_HOPS),
    rec: parsePresence(own(raw, 'rec')),
  }
}
