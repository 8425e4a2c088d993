/**
 * A lobby-log invite: "identity `to`, follow my log `nonce`" (./log-mesh.ts), flooded
 * through connected peers at most INVITE_HOPS. Signed like a relayed signal
 * under its own domain, so the inviter is authenticated (its identity key is
 * the log to follow, its peer id derives from it) and an invite cannot pass
 * as any other signed message; stale after RELAY_MAX_AGE. The hop count is
 * not signed (each peer lowers it), as for relayed signals.
 */
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import { isInstance, type LocalPeerInfo } from '../swarm/local-peer.js'
import { RELAY_MAX_AGE, signFields, verifyFields } from './relay-envelope.js'

export const LOG_INVITE_DOMAIN = 'porchlight/lobby-log-invite/v1'
/** Most peers an invite passes through. */
export const INVITE_HOPS = 3
/** Rate limits and memory of the invite channel (see RelayGuard). */
export const INVITE_LIMITS = Object.freeze({
  perNeighbour: { burst: 16, perSecond: 2 },
  perSender: { burst: 4, perSecond: 0.5 },
  maxSeen: 1_024,
})

export interface Invite {
  /** The invited identity key (hex). */
  to: string
  /** Random, 32 hex: one invite however many ways it comes. */
  id: string
  ts: number
  /** The inviter's current log (64 hex; with its identity key, the log's key). */
  nonce: string
  /** An answer to the invited's invite: it tells our log and asks for no answer. */
  reply: boolean
  /** The inviter: its identity key, instance, peer id and signature. */
  identityKey: string
  instance: string
  peer: string
  sig: string
}

export interface InviteMessage {
  invite: Invite
  hops: number
}

const HEX32 = /^[0-9a-f]{32}$/
const HEX40 = /^[0-9a-f]{40}$/
const HEX64 = /^[0-9a-f]{64}$/
const HEX128 = /^[0-9a-f]{128}$/

const fields = (i: Pick<Invite, 'to' | 'id' | 'ts' | 'nonce' | 'reply'>) => [
  i.to,
  i.id,
  String(i.ts),
  i.nonce,
  i.reply ? 'reply' : 'invite',
]

/** Signs an invite from `local`, whose log is `nonce`, to identity `to` (hex). */
export async function signInvite(
  local: LocalPeerInfo,
  to: string,
  id: string,
  nonce: string,
  reply = false,
  now = Date.now(),
): Promise<Invite> {
  const content = { to, id, ts: now, nonce, reply }
  const proof = await signFields(local, LOG_INVITE_DOMAIN, fields(content))
  return { ...content, ...proof, peer: local.peerId }
}

/** Checks the signature, the peer id and the time window. */
export async function verifyInvite(invite: Invite, now = Date.now()): Promise<void> {
  if (Math.abs(now - invite.ts) > RELAY_MAX_AGE) {
    throw P2PError.PROTOCOL_ERROR('peer', 'a lobby-log invite out of its time window')
  }
  await verifyFields(LOG_INVITE_DOMAIN, invite.peer, fields(invite), invite, 'a lobby-log invite')
}

export function encodeInvite(msg: InviteMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...msg.invite, hops: msg.hops }))
}

/** Decodes an invite payload; throws `protocol-error` naming what is malformed. */
export function decodeInvite(payload: Uint8Array): InviteMessage {
  const bad = (what: string) => P2PError.PROTOCOL_ERROR('peer', `a lobby-log invite ${what}`)
  if (payload.byteLength > 1_024) throw bad('is too large')
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch {
    throw bad('is not UTF-8 JSON')
  }
  if (!isRecord(raw)) throw bad('is not an object')
  const [to, id, ts, nonce, reply, identityKey, instance, peer, sig, hops] = [
    'to',
    'id',
    'ts',
    'nonce',
    'reply',
    'identityKey',
    'instance',
    'peer',
    'sig',
    'hops',
  ].map((k) => own(raw, k))
  const hex = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v)
  if (!hex(to, HEX64) || !hex(identityKey, HEX64)) throw bad('names no identity')
  if (!hex(nonce, HEX64)) throw bad('names no log')
  if (!hex(id, HEX32) || !hex(peer, HEX40) || !hex(sig, HEX128) || !isInstance(instance)) {
    throw bad('is malformed')
  }
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) throw bad('has no time')
  if (typeof reply !== 'boolean') throw bad('is malformed')
  if (typeof hops !== 'number' || !Number.isSafeInteger(hops) || hops < 0) throw bad('has no hops')
  return {
    invite: { to, id, ts, nonce, reply, identityKey, instance, peer, sig },
    hops: Math.min(hops, INVITE_HOPS),
  }
}
