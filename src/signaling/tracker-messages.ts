/**
 * The WebTorrent tracker protocol's messages (bittorrent-tracker's WebSocket
 * flavour, also spoken by aquatic_ws and others): JSON text frames whose
 * `info_hash`, `peer_id` and `offer_id` are 20-byte "binary strings" (one
 * char per byte). Building is exact; parsing treats the tracker as hostile:
 * sizes are capped before parsing, only own fields are read, every field is
 * checked, and anything off is a `protocol-error`.
 */
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { isRecord, own } from '../protocol/validate.js'

/** Longest tracker message we parse, in UTF-16 code units. */
export const MAX_TRACKER_MESSAGE = 64 * 1024
/** Longest SDP we accept in an offer or answer (data-channel SDPs are 1–3 KiB). */
export const MAX_SDP = 16 * 1024
/** Most offers per announce: each is a fresh RTCPeerConnection, so keep it small. */
export const MAX_OFFERS = 10
const MAX_REASON = 300
/** Announce intervals a tracker may ask for are clamped to this range, ms. */
export const MIN_INTERVAL = 5_000
export const MAX_INTERVAL = 10 * 60_000

const HEX40 = /^[0-9a-f]{40}$/

export function isId(value: unknown): value is string {
  return typeof value === 'string' && HEX40.test(value)
}

/** 40 hex chars → the 20-char binary string trackers use. */
export function hexToBinary(hex: string): string {
  if (!HEX40.test(hex)) throw P2PError.INVALID_ARGUMENT('an id is 40 lowercase hex characters')
  return String.fromCharCode(...hexToBytes(hex))
}

/** A 20-char binary string → 40 hex chars, or null when it is not one. */
export function binaryToHex(value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== 20) return null
  const bytes = new Uint8Array(20)
  for (let i = 0; i < 20; i++) {
    const code = value.charCodeAt(i)
    if (code > 0xff) return null
    bytes[i] = code
  }
  return bytesToHex(bytes)
}

export type AnnounceEvent = 'started' | 'stopped' | 'completed'

export interface AnnounceRequest {
  infoHash: string
  peerId: string
  event?: AnnounceEvent
  offers: ReadonlyArray<{ offerId: string; sdp: string }>
}

/** An announce: who we are on which topic, with offers for peers the tracker picks. */
export function announceMessage(req: AnnounceRequest): string {
  const msg: Record<string, unknown> = {
    action: 'announce',
    info_hash: hexToBinary(req.infoHash),
    peer_id: hexToBinary(req.peerId),
    numwant: req.offers.length,
    uploaded: 0,
    downloaded: 0,
    // Not a seeder: some trackers only hand offers between peers with `left` > 0.
    left: 1,
    offers: req.offers.map((o) => ({
      offer_id: hexToBinary(o.offerId),
      offer: { type: 'offer', sdp: o.sdp },
    })),
  }
  if (req.event) msg.event = req.event
  if (req.event === 'stopped') {
    msg.numwant = 0
    msg.offers = []
  }
  return JSON.stringify(msg)
}

export interface AnswerRequest {
  infoHash: string
  peerId: string
  toPeerId: string
  offerId: string
  sdp: string
}

/** Our answer to a peer's offer, routed by the tracker to `toPeerId`. */
export function answerMessage(req: AnswerRequest): string {
  return JSON.stringify({
    action: 'announce',
    info_hash: hexToBinary(req.infoHash),
    peer_id: hexToBinary(req.peerId),
    to_peer_id: hexToBinary(req.toPeerId),
    offer_id: hexToBinary(req.offerId),
    // Only type and sdp: some trackers refuse answers with extra fields.
    answer: { type: 'answer', sdp: req.sdp },
  })
}

/**
 * How an ICE-restart signal rides a tracker: as an "answer" (the one message
 * a tracker routes to a peer it names) whose SDP field holds this prefix and
 * the signed envelope's JSON. Not an SDP: nothing but the swarm reads it.
 */
export const RESTART_PREFIX = 'v=0\r\na=x-porchlight-restart:'

/** A signed ICE-restart envelope (JSON) for `toPeerId`, routed by the tracker like an answer. */
export function restartMessage(req: Omit<AnswerRequest, 'sdp'> & { envelope: string }): string {
  return answerMessage({ ...req, sdp: RESTART_PREFIX + req.envelope })
}

/**
 * A refusal rides the same way: the "answer" to an offer whose receiver is
 * full (the lobby is at its `maxPeers`), so the offerer can look for a member
 * with room at once instead of waiting out its offer. Not an SDP either.
 */
export const REFUSAL_SDP = 'v=0\r\na=x-porchlight-full'

/** "Full": our refusal of `offerId`, routed by the tracker to `toPeerId` like an answer. */
export function refusalMessage(req: Omit<AnswerRequest, 'sdp'>): string {
  return answerMessage({ ...req, sdp: REFUSAL_SDP })
}

/** The envelope JSON a restart "answer" carries, or null when the SDP is a real answer. */
export function restartEnvelope(sdp: string): unknown {
  if (!sdp.startsWith(RESTART_PREFIX)) return null
  try {
    return JSON.parse(sdp.slice(RESTART_PREFIX.length)) as unknown
  } catch {
    throw bad('restart signal is not JSON')
  }
}

/** What a tracker said, after checking. Ids are 40 hex characters. */
export type TrackerMessage =
  | { kind: 'failure'; infoHash: string | null; reason: string }
  | {
      kind: 'response'
      infoHash: string
      /** The announce interval it asks for, ms, clamped. */
      interval: number | null
      warning: string | null
    }
  | { kind: 'offer'; infoHash: string; peerId: string; offerId: string; sdp: string }
  | { kind: 'answer'; infoHash: string; peerId: string; offerId: string; sdp: string }
  | { kind: 'ignored'; why: string }

function bad(what: string): P2PError {
  return P2PError.PROTOCOL_ERROR('tracker', what)
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null
}

function description(raw: unknown, type: 'offer' | 'answer'): string {
  if (!isRecord(raw)) throw bad(`${type} is not an object`)
  const sdpType = own(raw, 'type')
  const sdp = own(raw, 'sdp')
  if (sdpType !== type) throw bad(`${type} has type ${JSON.stringify(sdpType)?.slice(0, 20)}`)
  if (typeof sdp !== 'string' || sdp.length === 0) throw bad(`${type} has no sdp`)
  if (sdp.length > MAX_SDP) throw bad(`${type} sdp of ${sdp.length} chars is over ${MAX_SDP}`)
  if (!sdp.startsWith('v=0')) throw bad(`${type} sdp does not start with v=0`)
  return sdp
}

function id(raw: Record<string, unknown>, key: string): string {
  const hex = binaryToHex(own(raw, key))
  if (!hex) throw bad(`${key} is not a 20-byte string`)
  return hex
}

/** Parses one WebSocket text frame from a tracker; throws `protocol-error` on anything off. */
export function parseTrackerMessage(data: unknown): TrackerMessage {
  if (typeof data !== 'string') throw bad('binary frame')
  if (data.length > MAX_TRACKER_MESSAGE) {
    throw bad(`message of ${data.length} chars is over ${MAX_TRACKER_MESSAGE}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(data)
  } catch {
    throw bad('message is not JSON')
  }
  if (!isRecord(raw)) throw bad('message is not an object')

  const failure = own(raw, 'failure reason')
  if (failure !== undefined) {
    const infoHash = binaryToHex(own(raw, 'info_hash'))
    return { kind: 'failure', infoHash, reason: text(failure, MAX_REASON) ?? 'unknown failure' }
  }
  const action = own(raw, 'action')
  if (action === 'scrape') return { kind: 'ignored', why: 'scrape response' }
  if (action !== 'announce') throw bad(`unknown action ${JSON.stringify(action)?.slice(0, 20)}`)
  const infoHash = id(raw, 'info_hash')

  for (const kind of ['offer', 'answer'] as const) {
    if (own(raw, kind) === undefined) continue
    return {
      kind,
      infoHash,
      peerId: id(raw, 'peer_id'),
      offerId: id(raw, 'offer_id'),
      sdp: description(own(raw, kind), kind),
    }
  }
  const rawInterval = own(raw, 'interval') ?? own(raw, 'min interval')
  let interval: number | null = null
  if (typeof rawInterval === 'number' && Number.isFinite(rawInterval) && rawInterval > 0) {
    interval = Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, Math.round(rawInterval * 1000)))
  }
  return {
    kind: 'response',
    infoHash,
    interval,
    warning: text(own(raw, 'warning message'), MAX_REASON),
  }
}
