/**
 * What one block of a lobby log holds (seed 000, option 2), and which
 * hypercore an identity's lobby log is.
 *
 * Every swarm of an identity writes its own signaling log: a hypercore
 * whose key is derived from the identity key and a random nonce of that log
 * (a manifest with the identity key as its signer and a namespace hashed
 * from the nonce), so only the identity can append to it, and a log made
 * again (a new swarm, another browser of the identity) is another core, not
 * a fork of one that peers still carry. The nonce travels in the writer's
 * signed invites (./log-invite.ts), which is how others learn which log is
 * current.
 * Blocks are small JSON entries:
 *
 *   host    the host of `topic` is peer `from` now (written on hosting, then
 *           as a heartbeat); what a joiner reads first
 *   signal  an offer (joiner's log) or answer (host's log) for peer `to`
 *
 * Each entry is also an envelope signed like a relayed signal (same fields
 * and checks as ./relay-envelope.ts) under its own domain, so an entry
 * names the peer id (identity key + instance) that wrote it, cannot be
 * replayed as a relay signal, and is stale after MAX_AGE.
 */
import Hypercore from 'hypercore'
import { hexToBytes } from '@noble/curves/utils.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import type { LocalPeerInfo } from '../swarm/local-peer.js'
import {
  MAX_AGE,
  parseEnvelope,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
} from './relay-envelope.js'

export const LOG_SIGNAL_DOMAIN = 'porchlight/lobby-log-signal/v1'
export const LOG_HOST_DOMAIN = 'porchlight/lobby-log-host/v1'
const LOG_NAMESPACE_DOMAIN = new TextEncoder().encode('porchlight/lobby-log/v2')
/** Bytes of a log's nonce (64 hex). */
export const LOG_NONCE_BYTES = 32

/** The namespace (hypercore manifest signer) of the log with nonce `nonce` (64 hex). */
export function logNamespace(nonce: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(nonce)) throw P2PError.INVALID_ARGUMENT('a log nonce is 64 hex')
  const bytes = new Uint8Array(LOG_NAMESPACE_DOMAIN.length + LOG_NONCE_BYTES)
  bytes.set(LOG_NAMESPACE_DOMAIN)
  bytes.set(hexToBytes(nonce), LOG_NAMESPACE_DOMAIN.length)
  return sha256(bytes)
}
/** Largest block read from a log, bytes (an SDP is at most 16 KiB). */
export const MAX_ENTRY_BYTES = 20_000
/** The offer id and receiver of a host entry (it answers nobody). */
const NOBODY = '0'.repeat(40)
const HOST_SDP = 'host'

export type LogEntry = { t: 'host'; env: Envelope } | { t: 'signal'; env: Envelope }

/** The hypercore manifest of the lobby log `nonce` of the identity with key `identityKey`. */
export function lobbyLogManifest(identityKey: Uint8Array, nonce: string) {
  return {
    version: 1,
    signers: [{ publicKey: Uint8Array.from(identityKey), namespace: logNamespace(nonce) }],
  }
}

/** The hypercore key of that lobby log. */
export function lobbyLogKey(identityKey: Uint8Array, nonce: string): Uint8Array {
  return Hypercore.key(lobbyLogManifest(identityKey, nonce))
}

/** A signed `host` entry: we host `topic`. */
export async function hostEntry(local: LocalPeerInfo, topic: string, now = Date.now()) {
  const env = await signEnvelope(
    local,
    { kind: 'offer', topic, to: NOBODY, offerId: NOBODY, sdp: HOST_SDP },
    now,
    LOG_HOST_DOMAIN,
  )
  return { t: 'host', env } satisfies LogEntry
}

/** A signed offer or answer entry. */
export async function signalEntry(
  local: LocalPeerInfo,
  fields: Parameters<typeof signEnvelope>[1],
  now = Date.now(),
) {
  return {
    t: 'signal',
    env: await signEnvelope(local, fields, now, LOG_SIGNAL_DOMAIN),
  } satisfies LogEntry
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeEntry(entry: LogEntry): Uint8Array {
  return encoder.encode(JSON.stringify(entry))
}

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('peer', what)
}

/** Decodes a block; null for an entry kind a newer peer may write. Throws `protocol-error`. */
export function decodeEntry(block: Uint8Array): LogEntry | null {
  if (block.byteLength > MAX_ENTRY_BYTES) throw bad('a lobby log entry is too large')
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(block))
  } catch {
    throw bad('a lobby log entry is not UTF-8 JSON')
  }
  if (!isRecord(raw)) throw bad('a lobby log entry is not an object')
  const t = own(raw, 't')
  if (t !== 'host' && t !== 'signal') return null
  const env = parseEnvelope(own(raw, 'env'))
  if (t === 'host' && (env.kind !== 'offer' || env.to !== NOBODY || env.sdp !== HOST_SDP)) {
    throw bad('a lobby log host entry is malformed')
  }
  return { t, env }
}

/**
 * Checks an entry's signature, that its writer's peer id belongs to its key,
 * that the key is the log's owner (`logIdentityKey`, hex) and that it is fresh.
 */
export async function verifyEntry(
  entry: LogEntry,
  logIdentityKey: string,
  now = Date.now(),
): Promise<void> {
  if (entry.env.identityKey !== logIdentityKey) {
    throw P2PError.UNAUTHENTICATED('a lobby log entry signed by another identity than its log')
  }
  const domain = entry.t === 'host' ? LOG_HOST_DOMAIN : LOG_SIGNAL_DOMAIN
  await verifyEnvelope(entry.env, now, domain, MAX_AGE)
}
