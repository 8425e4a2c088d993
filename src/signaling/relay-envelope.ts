/**
 * What the peer relay says on a connection's `signal` channel (scoped to a
 * topic), and the signed envelope an offer or answer travels in.
 *
 *   members  neighbour → neighbour: the peers I am in this topic with (not relayed)
 *   signal   an offer or answer for `to`, with the hops it may still take
 *
 * An envelope is signed by the sender's identity key over every field that
 * means something (kind, topic, from, to, offer id, SDP, time), and its peer
 * id must derive from that key and instance, as in the hello. A relay can
 * drop an envelope but cannot forge one, alter it, or send it for another
 * topic or peer; the time and the receivers' de-duplication bound replays.
 * The signing domain is a parameter so the lobby log (./lobby-log-entry.ts)
 * signs the same fields under its own domain: neither kind of entry can be
 * replayed as the other.
 * `hops` is not signed: each relay lowers it and caps it at MAX_HOPS.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'
import { derivePeerId, isInstance, type LocalPeerInfo } from '../swarm/local-peer.js'
import { transcript } from '../transcript.js'
import { SIGNAL_CHANNEL } from './adapters/relay.js'

export const RELAY_DOMAIN = 'porchlight/relay-signal/v1'
export { SIGNAL_CHANNEL }
/** Most relays an envelope passes through. */
export const MAX_HOPS = 3
/** Longest SDP carried, characters. */
export const MAX_SDP = 16_384
/** Most peer ids in one members message (a lobby holds at most 64). */
export const MAX_MEMBERS = 64
/**
 * Signed records that live long (presence records, lobby-log entries) older
 * or newer than this (sender's clock against ours) are dropped, ms.
 */
export const MAX_AGE = 300_000
/**
 * Relayed signals (offers, answers, refusals, ICE restarts) older or newer
 * than this are dropped, ms: an offer lives 40 s, and a shorter window is a
 * shorter time a relay must remember what it passed to refuse a replay.
 */
export const RELAY_MAX_AGE = 60_000

const HEX40 = /^[0-9a-f]{40}$/
const HEX64 = /^[0-9a-f]{64}$/
const HEX128 = /^[0-9a-f]{128}$/

/**
 * `refusal`: the receiver of an offer is full (its `sdp` says why: `full`).
 * `restart` / `restarted`: an ICE restart's offer and answer for a connection
 * the two peers already have (the SDP's DTLS fingerprint names it; see
 * swarm/restarts.ts), sent around the connection whose path is down.
 */
export type SignalKind = 'offer' | 'answer' | 'refusal' | 'restart' | 'restarted'

const KINDS: ReadonlySet<unknown> = new Set<SignalKind>([
  'offer',
  'answer',
  'refusal',
  'restart',
  'restarted',
])

/** An ICE restart's kinds of envelope. */
export function isRestartKind(kind: SignalKind): kind is 'restart' | 'restarted' {
  return kind === 'restart' || kind === 'restarted'
}

export interface Envelope {
  kind: SignalKind
  /** The topic's hex. */
  topic: string
  /** Sender's peer id. */
  from: string
  /** Receiver's peer id. */
  to: string
  offerId: string
  sdp: string
  /** Sender's clock when it signed, ms since the epoch. */
  ts: number
  /** Hex of the sender's identity key, and its instance: `from` derives from them. */
  identityKey: string
  instance: string
  /** Hex of the Ed25519 signature over the rest. */
  sig: string
}

export type RelayMessage =
  { t: 'members'; peers: string[] } | { t: 'signal'; hops: number; env: Envelope }

/** The fields an envelope's signature covers besides the signer's key and instance. */
type Content = Omit<Envelope, 'sig' | 'identityKey' | 'instance'>

/** What proves that a peer signed some fields: its identity key and instance (its peer id derives from them) and the signature, all hex. */
export interface PeerProof {
  identityKey: string
  instance: string
  sig: string
}

function signedBytes(domain: string, fields: readonly string[], key: string, instance: string) {
  return transcript(domain, [...fields, key, instance])
}

/**
 * Signs `fields` (in order) as `local` under `domain`: the one signing scheme
 * of everything a peer says through others (relayed signals, lobby-log
 * entries, presence records); the domain keeps each kind from passing as another.
 */
export async function signFields(
  local: LocalPeerInfo,
  domain: string,
  fields: readonly string[],
): Promise<PeerProof> {
  const identityKey = bytesToHex(local.identityKey)
  const bytes = signedBytes(domain, fields, identityKey, local.instance)
  return { identityKey, instance: local.instance, sig: bytesToHex(await local.sign(bytes)) }
}

/**
 * Checks that `proof` signs `fields` under `domain` and that `peerId` derives
 * from its key and instance. Throws `unauthenticated` naming `what` otherwise.
 */
export async function verifyFields(
  domain: string,
  peerId: string,
  fields: readonly string[],
  proof: PeerProof,
  what: string,
): Promise<void> {
  const key = hexToBytes(proof.identityKey)
  if ((await derivePeerId(key, proof.instance)) !== peerId) {
    throw P2PError.UNAUTHENTICATED(`${what} whose peer id is not its key`)
  }
  let valid = false
  try {
    const bytes = signedBytes(domain, fields, proof.identityKey, proof.instance)
    valid = ed25519.verify(hexToBytes(proof.sig), bytes, key)
  } catch {
    valid = false
  }
  if (!valid) throw P2PError.UNAUTHENTICATED(`${what} whose signature does not verify`)
}

function envelopeFields(e: Content): string[] {
  return [e.kind, e.topic, e.from, e.to, e.offerId, e.sdp, String(e.ts)]
}

/** Signs an offer or answer from `local` to `to`. */
export async function signEnvelope(
  local: LocalPeerInfo,
  fields: { kind: SignalKind; topic: string; to: string; offerId: string; sdp: string },
  now = Date.now(),
  domain = RELAY_DOMAIN,
): Promise<Envelope> {
  const content: Content = { ...fields, from: local.peerId, ts: now }
  return { ...content, ...(await signFields(local, domain, envelopeFields(content))) }
}

/**
 * Checks an envelope's signature, that its peer id belongs to its key, and
 * that it is fresh. Throws `unauthenticated` (forged or altered) or
 * `protocol-error` (stale).
 */
export async function verifyEnvelope(
  e: Envelope,
  now = Date.now(),
  domain = RELAY_DOMAIN,
  maxAge = RELAY_MAX_AGE,
): Promise<void> {
  if (Math.abs(now - e.ts) > maxAge) {
    throw P2PError.PROTOCOL_ERROR('peer', 'a relayed signal out of its time window')
  }
  await verifyFields(domain, e.from, envelopeFields(e), e, 'a relayed signal')
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeRelay(msg: RelayMessage): Uint8Array {
  return encoder.encode(JSON.stringify(msg))
}

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('peer', what)
}

function str(raw: Record<string, unknown>, key: string, pattern: RegExp): string {
  const value = own(raw, key)
  if (typeof value !== 'string' || !pattern.test(value)) throw bad(`relay ${key} is malformed`)
  return value
}

/** Checks the shape of an envelope from the network (not its signature: see verifyEnvelope). */
export function parseEnvelope(raw: unknown): Envelope {
  if (!isRecord(raw)) throw bad('relay envelope is not an object')
  const kind = own(raw, 'kind')
  if (!KINDS.has(kind)) throw bad('relay kind is malformed')
  const sdp = own(raw, 'sdp')
  if (typeof sdp !== 'string' || sdp.length === 0 || sdp.length > MAX_SDP) {
    throw bad('relay sdp is malformed')
  }
  const ts = own(raw, 'ts')
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) throw bad('relay ts')
  const instance = own(raw, 'instance')
  if (!isInstance(instance)) throw bad('relay instance is malformed')
  return {
    kind: kind as SignalKind,
    topic: str(raw, 'topic', HEX40),
    from: str(raw, 'from', HEX40),
    to: str(raw, 'to', HEX40),
    offerId: str(raw, 'offerId', HEX40),
    sdp,
    ts,
    identityKey: str(raw, 'identityKey', HEX64),
    instance,
    sig: str(raw, 'sig', HEX128),
  }
}

/** Decodes a `signal` channel payload; null for a message kind a newer peer may send. */
export function decodeRelay(payload: Uint8Array): RelayMessage | null {
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(payload))
  } catch {
    throw bad('relay message is not UTF-8 JSON')
  }
  if (!isRecord(raw)) throw bad('relay message is not an object')
  const t = own(raw, 't')
  if (t === 'members') {
    const peers = own(raw, 'peers')
    if (
      !Array.isArray(peers) ||
      peers.length > MAX_MEMBERS ||
      !peers.every((p): p is string => typeof p === 'string' && HEX40.test(p))
    ) {
      throw bad('relay members is malformed')
    }
    return { t, peers: [...new Set(peers)] }
  }
  if (t === 'signal') {
    const hops = own(raw, 'hops')
    if (typeof hops !== 'number' || !Number.isSafeInteger(hops) || hops < 0) {
      throw bad('relay hops is malformed')
    }
    return { t, hops: Math.min(hops, MAX_HOPS), env: parseEnvelope(own(raw, 'env')) }
  }
  return null
}
