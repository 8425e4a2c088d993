/**
 * The admission channel's messages (./admission.ts says who sends which):
 * small JSON, checked field by field; anything malformed decodes to null.
 */
import { toBase64 } from '../bytes.js'
import { peerBytes, peerJson } from '../protocol/peer-json.js'
import { own } from '../protocol/validate.js'

export const ADMISSION_CHANNEL = 'admission'
/** Longest admission message: a roster of 64 peer ids. */
const MAX_MESSAGE = 4_096
const PEER_ID = /^[0-9a-f]{40}$/

export type Verdict = 'ok' | 'wrong-password' | 'lobby-full' | 'rate-limited'
const VERDICTS: readonly Verdict[] = ['ok', 'wrong-password', 'lobby-full', 'rate-limited']

export type AdmissionMessage =
  | { t: 'hello' }
  | { t: 'challenge'; n: Uint8Array }
  | { t: 'proof'; n: Uint8Array; mac: Uint8Array }
  | { t: 'verdict'; v: Verdict; wait?: number }
  | { t: 'roster'; peers: string[] }

export function encodeAdmission(msg: AdmissionMessage): Uint8Array {
  const wire =
    msg.t === 'challenge'
      ? { t: msg.t, n: toBase64(msg.n) }
      : msg.t === 'proof'
        ? { t: msg.t, n: toBase64(msg.n), mac: toBase64(msg.mac) }
        : msg
  return new TextEncoder().encode(JSON.stringify(wire))
}

/** Parses a message from a peer; null for anything malformed. */
export function decodeAdmission(payload: Uint8Array): AdmissionMessage | null {
  const raw = peerJson(payload, MAX_MESSAGE)
  if (!raw) return null
  const t = own(raw, 't')
  if (t === 'hello') return { t }
  if (t === 'challenge') {
    const n = peerBytes(own(raw, 'n'), 32)
    return n ? { t, n } : null
  }
  if (t === 'proof') {
    const n = peerBytes(own(raw, 'n'), 32)
    const mac = peerBytes(own(raw, 'mac'), 32, true)
    return n && mac ? { t, n, mac } : null
  }
  if (t === 'roster') {
    const peers = own(raw, 'peers')
    if (!Array.isArray(peers) || peers.length > 64) return null
    if (!peers.every((p): p is string => typeof p === 'string' && PEER_ID.test(p))) return null
    return { t, peers }
  }
  if (t === 'verdict') {
    const v = own(raw, 'v')
    const wait = own(raw, 'wait')
    if (!VERDICTS.includes(v as Verdict)) return null
    return typeof wait === 'number' && wait >= 0
      ? { t, v: v as Verdict, wait: Math.min(wait, 3_600_000) }
      : { t, v: v as Verdict }
  }
  return null
}
