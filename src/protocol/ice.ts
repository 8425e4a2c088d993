/**
 * ICE servers: the STUN servers that tell a browser its address behind a NAT,
 * and the TURN servers that relay when no direct path exists. The user edits
 * them on the options page; the service worker stores them (TURN credentials
 * included) and hands them to the engine with each lobby join. They never
 * reach a web page, and the options page sees credentials only as "set".
 */
import { P2PError } from '../errors.js'
import { isRecord, own } from './validate.js'

/** One server, in the shape RTCPeerConnection takes (one URL per entry). */
export interface IceServer {
  urls: string
  /** TURN only (required there). */
  username?: string
  /** TURN only (required there); never shown to any page. */
  credential?: string
}

/** An ICE server as the options page sees it: the credential only as "set". */
export interface IceServerView {
  urls: string
  username?: string
  hasCredential: boolean
}

/** Most ICE servers a user may configure (Chromium gathers slowly with many). */
export const MAX_ICE_SERVERS = 8
/** Longest URL, username or credential, in characters. */
export const MAX_ICE_FIELD = 256

/**
 * Public STUN servers suitable for real use: the default of every build that
 * does not say otherwise (`PORCHLIGHT_ICE` unset, or `public`). Two
 * operators, so one being down is no outage; few, because Chromium waits for
 * every server while gathering. STUN only learns addresses; it carries no data.
 */
export const PUBLIC_STUN: readonly IceServer[] = Object.freeze([
  { urls: 'stun:stun.l.google.com:19302' },
  { urls: 'stun:stun1.l.google.com:19302' },
  { urls: 'stun:stun.cloudflare.com:3478' },
])

const ICE_URL =
  /^(stuns?|turns?):(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?(\?transport=(?:udp|tcp))?$/i

/** Whether `url` is a stun:, stuns:, turn: or turns: URL Chromium takes. */
export function isIceUrl(url: string): boolean {
  const m = ICE_URL.exec(url)
  if (!m || url.length > MAX_ICE_FIELD) return false
  const port = m[3] === undefined ? 1 : Number(m[3])
  const stun = m[1]?.toLowerCase().startsWith('stun') ?? false
  return port >= 1 && port <= 65535 && !(stun && m[4])
}

function field(where: string, obj: Record<string, unknown>, key: string): string | undefined {
  const value = own(obj, key)
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ICE_FIELD) {
    throw P2PError.INVALID_ARGUMENT(`${where}: ${key} must be 1–${MAX_ICE_FIELD} characters`)
  }
  return value
}

/**
 * One server from untrusted input. A TURN server needs a username and, unless
 * `credentialOptional` (the options page re-sending a server whose stored
 * credential is kept), a credential; a STUN server takes neither.
 */
export function checkIceServer(raw: unknown, where: string, credentialOptional = false): IceServer {
  if (!isRecord(raw)) throw P2PError.INVALID_ARGUMENT(`${where}: each server is an object`)
  const extra = Object.keys(raw).find((k) => !['urls', 'username', 'credential'].includes(k))
  if (extra !== undefined) {
    throw P2PError.INVALID_ARGUMENT(`${where}: unknown field "${extra.slice(0, 40)}"`)
  }
  const urls = own(raw, 'urls')
  if (typeof urls !== 'string' || !isIceUrl(urls)) {
    throw P2PError.INVALID_ARGUMENT(
      `${where}: "${String(urls).slice(0, 80)}" is not a stun:, stuns:, turn: or turns: URL`,
    )
  }
  const username = field(where, raw, 'username')
  const credential = field(where, raw, 'credential')
  if (/^stuns?:/i.test(urls)) {
    if (username !== undefined || credential !== undefined) {
      throw P2PError.INVALID_ARGUMENT(`${where}: a STUN server takes no username or credential`)
    }
    return { urls }
  }
  if (username === undefined || (credential === undefined && !credentialOptional)) {
    throw P2PError.INVALID_ARGUMENT(`${where}: a TURN server needs a username and a credential`)
  }
  return credential === undefined ? { urls, username } : { urls, username, credential }
}

/** A list of servers from untrusted input: 0–8, duplicates (same URL) merged, last wins. */
export function checkIceServers(
  raw: unknown,
  where: string,
  credentialOptional = false,
): IceServer[] {
  if (!Array.isArray(raw) || raw.length > MAX_ICE_SERVERS) {
    throw P2PError.INVALID_ARGUMENT(`${where}: servers must list 0–${MAX_ICE_SERVERS} servers`)
  }
  const byUrl = new Map<string, IceServer>()
  for (const item of raw) {
    const server = checkIceServer(item, where, credentialOptional)
    byUrl.set(server.urls, server)
  }
  return [...byUrl.values()]
}

/** What the options page may see of a server. */
export function iceServerView(server: IceServer): IceServerView {
  return {
    urls: server.urls,
    ...(server.username !== undefined ? { username: server.username } : {}),
    hasCredential: server.credential !== undefined,
  }
}

/**
 * The build's default servers from `PORCHLIGHT_ICE`: unset, empty or `public`
 * means {@link PUBLIC_STUN} (a build for real use); `none` means no server at
 * all (the test, demo, screenshot and bench builds set it: host candidates
 * only, nothing leaves the machine); otherwise a JSON array of servers (TURN
 * needs this form, for its username and credential), or comma-separated
 * stun: URLs.
 */
export function iceFromEnv(env: string | undefined): IceServer[] {
  const text = (env ?? '').trim()
  if (text === 'none') return []
  if (text === '' || text === 'public') return [...PUBLIC_STUN]
  let raw: unknown
  if (text.startsWith('[')) {
    try {
      raw = JSON.parse(text)
    } catch {
      throw P2PError.INVALID_ARGUMENT('PORCHLIGHT_ICE: not valid JSON')
    }
  } else {
    raw = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((urls) => ({ urls }))
  }
  return checkIceServers(raw, 'PORCHLIGHT_ICE')
}
