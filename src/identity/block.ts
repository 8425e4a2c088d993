/**
 * The block format of an identity archive (version 1). Each hypercore block
 * is one UTF-8 JSON record:
 *
 *   { "v": 1, "key": "profile.json", "value": {…} | null,
 *     "writer": "<32 hex: device id>", "latest": { "session.json": 7 } }
 *
 * `value` null deletes the key. `latest` points at the newest block of every
 * OTHER key, so the head block alone says where each current value is: a
 * reader fetches the head and at most one block per key, never the whole log
 * (also over sparse replication). `writer` names the device that holds the
 * write lease (see docs/identity.md).
 */
import { isRecord, own } from '../protocol/validate.js'
import { ARCHIVE_KEYS, checkValue, isArchiveKey, type ArchiveKey } from './records.js'

export const BLOCK_VERSION = 1
/** Blocks above this size are refused before they reach the log. */
export const MAX_BLOCK_BYTES = 64 * 1024
const DEVICE_ID = /^[0-9a-f]{32}$/

export interface Block {
  v: typeof BLOCK_VERSION
  key: ArchiveKey
  value: unknown
  writer: string
  latest: Partial<Record<ArchiveKey, number>>
}

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID.test(value)
}

export function encodeBlock(block: Block): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(block))
}

/**
 * Decodes block `seq`, or null when it is not a valid version-1 block (a
 * damaged or foreign log must not break its reader). Values are re-checked.
 */
export function decodeBlock(bytes: Uint8Array | null, seq: number): Block | null {
  if (!bytes || bytes.byteLength > MAX_BLOCK_BYTES) return null
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return null
  }
  if (!isRecord(raw) || own(raw, 'v') !== BLOCK_VERSION) return null
  const key = own(raw, 'key')
  const writer = own(raw, 'writer')
  const latestRaw = own(raw, 'latest')
  if (!isArchiveKey(key) || !isDeviceId(writer) || !isRecord(latestRaw)) return null
  const latest: Partial<Record<ArchiveKey, number>> = {}
  for (const k of ARCHIVE_KEYS) {
    const at = own(latestRaw, k)
    if (at === undefined) continue
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0 || at >= seq) return null
    latest[k] = at
  }
  let value: unknown = own(raw, 'value') ?? null
  if (value !== null) {
    try {
      value = checkValue(key, value, 'read')
    } catch {
      return null
    }
  }
  return { v: BLOCK_VERSION, key, value, writer, latest }
}
