/**
 * The identity export: a text blob a person can save, carry and paste into
 * another browser. It holds the SECRET KEY and says so on its first line.
 *
 *   PORCHLIGHT IDENTITY EXPORT — contains your secret key
 *   Anyone who has this text can act as this identity. Keep it private.
 *   Take over writing in another browser only when you stop changing it in this one.
 *   Name: Alice
 *   URL: hyper://<64 hex>
 *   Checksum: sha256:<hex of the SHA-256 of the base64 body>
 *   -----BEGIN PORCHLIGHT IDENTITY-----
 *   <base64 of the JSON payload, 76 characters a line>
 *   -----END PORCHLIGHT IDENTITY-----
 *
 * The payload carries the key pair and the archive's blocks, so the importer
 * rebuilds the very same log and checks it against the exported tree hash.
 * The Name/URL lines are for people; the importer reads only the body.
 */
import { fromBase64, toBase64 } from '../bytes.js'
import { P2PError } from '../errors.js'
import { MAX_IMPORT_CHARS } from '../protocol/admin.js'
import { isRecord, own } from '../protocol/validate.js'
import { fromHex, parseHyperUrl, toHex } from './hyper-url.js'

export const EXPORT_FORMAT = 'porchlight-identity'
export const EXPORT_VERSION = 1
export const EXPORT_TITLE = 'PORCHLIGHT IDENTITY EXPORT — contains your secret key'
const WARNING = 'Anyone who has this text can act as this identity. Keep it private.'
const ONE_WRITER =
  'Take over writing in another browser only when you stop changing it in this one.'
const BEGIN = '-----BEGIN PORCHLIGHT IDENTITY-----'
const END = '-----END PORCHLIGHT IDENTITY-----'
/** Longest export accepted, in characters: what the admin API carries. */
export const MAX_EXPORT_CHARS = MAX_IMPORT_CHARS

export interface ExportPayload {
  url: string
  /** The 64-byte Ed25519 secret key (seed ‖ public key). */
  secretKey: Uint8Array
  /** The archive's blocks, in order. */
  blocks: Uint8Array[]
  /** The archive's tree hash at blocks.length, as hypercore computes it. */
  treeHash: Uint8Array
}

function bad(message: string): P2PError {
  return P2PError.INVALID_ARGUMENT(`not a valid Porchlight identity export: ${message}`)
}

/** Base64 that must decode, or the export is bad. */
function decode(text: string, what: string): Uint8Array {
  try {
    return fromBase64(text, what)
  } catch {
    throw bad(`${what} is not base64`)
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return toHex(new Uint8Array(digest))
}

/** Writes the export text for `payload`; `name` only labels it for people. */
export async function encodeExport(payload: ExportPayload, name: string): Promise<string> {
  const json = JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    url: payload.url,
    secretKey: toHex(payload.secretKey),
    treeHash: toHex(payload.treeHash),
    blocks: payload.blocks.map(toBase64),
  })
  const body = toBase64(new TextEncoder().encode(json))
  const lines = body.match(/.{1,76}/g) ?? []
  return [
    EXPORT_TITLE,
    WARNING,
    ONE_WRITER,
    `Name: ${name}`,
    `URL: ${payload.url}`,
    `Checksum: sha256:${await sha256Hex(body)}`,
    BEGIN,
    ...lines,
    END,
    '',
  ].join('\n')
}

function hexField(obj: Record<string, unknown>, key: string, bytes: number): Uint8Array {
  const value = own(obj, key)
  if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-f]+$/.test(value)) {
    throw bad(`${key} must be ${bytes} bytes of hex`)
  }
  return fromHex(value)
}

/**
 * Reads an export text. Anything that is not a whole, intact export is
 * `invalid-argument` with a message saying what is wrong (truncated,
 * damaged, not an export at all).
 */
export async function decodeExport(text: unknown): Promise<ExportPayload> {
  if (typeof text !== 'string') throw P2PError.INVALID_ARGUMENT('the export must be text')
  if (text.length > MAX_EXPORT_CHARS) {
    throw P2PError.INVALID_ARGUMENT(`the export is over ${MAX_EXPORT_CHARS} characters`)
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim())
  const begin = lines.indexOf(BEGIN)
  if (begin < 0) {
    throw P2PError.INVALID_ARGUMENT(
      'this is not a Porchlight identity export (its "-----BEGIN PORCHLIGHT IDENTITY-----" line is missing)',
    )
  }
  const end = lines.indexOf(END, begin)
  if (end < 0) {
    throw P2PError.INVALID_ARGUMENT(
      'the identity export is truncated (its "-----END PORCHLIGHT IDENTITY-----" line is missing); copy all of it',
    )
  }
  const checksumLine = lines.slice(0, begin).find((l) => l.startsWith('Checksum: sha256:'))
  if (!checksumLine) throw bad('the "Checksum:" line is missing')
  const body = lines.slice(begin + 1, end).join('')
  if (checksumLine.slice('Checksum: sha256:'.length) !== (await sha256Hex(body))) {
    throw P2PError.INVALID_ARGUMENT(
      'the identity export is damaged or incomplete (its checksum does not match); copy it again',
    )
  }
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decode(body, 'body')))
  } catch (err) {
    if (err instanceof P2PError) throw err
    throw bad('its body is not JSON')
  }
  if (!isRecord(raw) || own(raw, 'format') !== EXPORT_FORMAT) throw bad('unknown format')
  if (own(raw, 'version') !== EXPORT_VERSION) {
    throw bad(`version ${String(own(raw, 'version'))} is not supported`)
  }
  const blocksRaw = own(raw, 'blocks')
  if (!Array.isArray(blocksRaw) || blocksRaw.length === 0) throw bad('it holds no archive')
  const blocks = blocksRaw.map((b, i) => {
    if (typeof b !== 'string') throw bad(`block ${i} is not base64 text`)
    return decode(b, `block ${i}`)
  })
  return {
    url: parseHyperUrl(own(raw, 'url'), 'the export url'),
    secretKey: hexField(raw, 'secretKey', 64),
    treeHash: hexField(raw, 'treeHash', 32),
    blocks,
  }
}
