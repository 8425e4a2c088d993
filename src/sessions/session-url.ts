/**
 * Hosted session URLs and topics.
 *
 *   hyper://<host key>?lobby=<name>&origin=<site>
 *
 * A session is named by its host's identity, its lobby name and the site it
 * is hosted on: the URL is what `session.json` publishes and what a page
 * passes to `p2p.joinLobby(url, { password })`. The site is part of it
 * because lobbies are per origin (DESIGN.md): a page may join only the
 * sessions hosted on its own origin, and the popup needs the site to send
 * the user there. The topic the host and its guests meet on is a hash of
 * (origin, host, name) with its own domain label, so it never equals a plain
 * lobby's topic and a tracker learns none of the three.
 */
import { P2PError } from '../errors.js'
import { parseHyperUrl } from '../identity/hyper-url.js'
import { isGrantableOrigin } from '../permissions/origin.js'
import { normalizeLobbyName, topicFromBytes, TOPIC_BYTES, type Topic } from '../signaling/topic.js'
import { digest } from '../transcript.js'

export const SESSION_TOPIC_DOMAIN = 'porchlight/session-topic/v1'
/** Longest session URL accepted. */
export const MAX_SESSION_URL = 512

export interface SessionAddress {
  /** The host's identity, hyper://<64 hex>. */
  host: string
  /** The lobby name (NFC). */
  name: string
  /** The site the session is hosted on. */
  origin: string
}

/** True when `value` looks like a session URL (it may still be malformed). */
export function looksLikeSessionUrl(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('hyper://')
}

/** The canonical URL of a session. */
export function sessionUrl(addr: SessionAddress): string {
  const name = normalizeLobbyName(addr.name)
  if (!isGrantableOrigin(addr.origin)) throw P2PError.INVALID_ARGUMENT('not an http(s) origin')
  const query = new URLSearchParams({ lobby: name, origin: addr.origin })
  return `${parseHyperUrl(addr.host, 'host')}?${query.toString()}`
}

/** Parses a session URL; `invalid-argument` naming what is wrong. */
export function parseSessionUrl(raw: unknown): SessionAddress {
  if (typeof raw !== 'string' || raw.length > MAX_SESSION_URL) {
    throw P2PError.INVALID_ARGUMENT('a session url must be a hyper:// URL')
  }
  const q = raw.indexOf('?')
  if (q < 0) throw P2PError.INVALID_ARGUMENT('a session url needs ?lobby=<name>&origin=<site>')
  const host = parseHyperUrl(raw.slice(0, q), 'session url')
  const query = new URLSearchParams(raw.slice(q + 1))
  const name = query.get('lobby')
  const origin = query.get('origin')
  if (name === null || origin === null || [...query.keys()].length !== 2) {
    throw P2PError.INVALID_ARGUMENT('a session url needs exactly ?lobby=<name>&origin=<site>')
  }
  if (!isGrantableOrigin(origin)) {
    throw P2PError.INVALID_ARGUMENT('the origin of a session url must be an http(s) site')
  }
  return { host, name: normalizeLobbyName(name), origin }
}

/** The topic a session's host and guests meet on. */
export async function sessionTopic(addr: SessionAddress): Promise<Topic> {
  const url = sessionUrl(addr)
  const hash = await digest(SESSION_TOPIC_DOMAIN, [url])
  return topicFromBytes(hash.subarray(0, TOPIC_BYTES))
}
