/**
 * Showing DEP-0006 session-data. A site may put anything in its ≤256 bytes;
 * the elements show it as a short status line when it is text and nothing
 * when it is not, unless the page gives a formatter of its own.
 */
import type { Peer } from '../../src/index.js'

/** Turns a peer's session-data into the status line the elements show ('' for none). */
export type SessionDataFormatter = (data: Uint8Array, peer: Peer) => string

/** Longest status line shown, in characters. */
export const MAX_STATUS_LENGTH = 80

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * The default formatter: UTF-8 text with control characters removed, or, for
 * JSON with a string `status` field, that field. Binary data shows nothing.
 */
export function defaultStatus(data: Uint8Array): string {
  let text: string
  try {
    text = decoder.decode(data)
  } catch {
    return ''
  }
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed)
      const status: unknown =
        typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'status') : undefined
      if (typeof status === 'string') text = status
    } catch {
      // Not JSON after all: show it as text.
    }
  }
  return clean(text)
}

/** A status line safe to show: one line, no control characters, not too long. */
export function clean(text: string): string {
  const line = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
  const chars = Array.from(line)
  return chars.length > MAX_STATUS_LENGTH
    ? `${chars.slice(0, MAX_STATUS_LENGTH - 1).join('')}…`
    : line
}

/** A peer's status line through `format` (or {@link defaultStatus}); never throws. */
export function statusOf(peer: Peer, format?: SessionDataFormatter): string {
  const data = peer.sessionData
  if (!data || data.byteLength === 0) return ''
  try {
    return clean(format ? format(data, peer) : defaultStatus(data))
  } catch {
    return ''
  }
}
