/**
 * The 20-byte info hash a lobby is announced under: SHA-256 over a
 * domain-separated transcript of (origin, lobby name), cut to 20 bytes. The
 * same name on two origins gives two unrelated hashes, so their lobbies never
 * meet, and a tracker sees only the hash, never the origin or the name.
 */
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import { isGrantableOrigin } from '../permissions/origin.js'
import { digest } from '../transcript.js'

export const TOPIC_DOMAIN = 'porchlight/lobby-topic/v1'
export const TOPIC_BYTES = 20
/** Longest lobby name, in UTF-16 code units after NFC normalisation. */
export const MAX_LOBBY_NAME = 128

/** A signaling topic: the info hash trackers and peers know a lobby by. */
export interface Topic {
  readonly infoHash: Uint8Array
  /** The info hash as 40 lowercase hex characters; the key used in maps and on the wire. */
  readonly hex: string
}

// C0 and C1 control characters: invisible in any UI and never part of a real name.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** The lobby name as hashed: NFC-normalised; throws `invalid-argument` when unusable. */
export function normalizeLobbyName(name: unknown): string {
  if (typeof name !== 'string') throw P2PError.INVALID_ARGUMENT('a lobby name must be a string')
  const nfc = name.normalize('NFC')
  if (nfc.length === 0) throw P2PError.INVALID_ARGUMENT('a lobby name must not be empty')
  if (nfc.length > MAX_LOBBY_NAME) {
    throw P2PError.INVALID_ARGUMENT(`a lobby name must be at most ${MAX_LOBBY_NAME} characters`)
  }
  if (CONTROL.test(nfc)) {
    throw P2PError.INVALID_ARGUMENT('a lobby name must not contain control characters')
  }
  return nfc
}

/** The topic of lobby `name` on `origin` (scheme://host[:port], http or https). */
export async function lobbyTopic(origin: string, name: string): Promise<Topic> {
  if (!isGrantableOrigin(origin)) {
    throw P2PError.INVALID_ARGUMENT(`"${String(origin).slice(0, 100)}" is not an http(s) origin`)
  }
  const hash = await digest(TOPIC_DOMAIN, [origin, normalizeLobbyName(name)])
  return topicFromBytes(hash.subarray(0, TOPIC_BYTES))
}

export function topicFromBytes(bytes: Uint8Array): Topic {
  if (bytes.length !== TOPIC_BYTES) {
    throw P2PError.INVALID_ARGUMENT(`a topic is ${TOPIC_BYTES} bytes, not ${bytes.length}`)
  }
  const infoHash = Uint8Array.from(bytes)
  return Object.freeze({ infoHash, hex: bytesToHex(infoHash) })
}

const HEX40 = /^[0-9a-f]{40}$/

export function topicFromHex(hex: string): Topic {
  if (!HEX40.test(hex)) throw P2PError.INVALID_ARGUMENT('a topic is 40 lowercase hex characters')
  return topicFromBytes(hexToBytes(hex))
}
