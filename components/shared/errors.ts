/**
 * Errors as the elements show them. The provider's `P2PError` class lives in
 * another bundle (the extension's page script), so `instanceof` cannot be
 * trusted here; the string `code` can.
 */

/** The error's `code` (a P2PError code), or `internal` for anything else. */
export function errorCode(err: unknown): string {
  const code: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : null
  return typeof code === 'string' && code ? code : 'internal'
}

const MESSAGES: Record<string, string> = {
  'permission-required': 'Presence is not turned on for this site.',
  'permission-denied': 'Presence stays off for this site.',
  'payload-too-large': 'That is too much data to share.',
  'rate-limited': 'Too many requests at once. Wait a moment and try again.',
  'lobby-full': 'This lobby is full.',
  'wrong-password': 'That password did not work.',
  'invalid-argument': 'Porchlight could not use these settings.',
  'not-connected': 'The connection was lost.',
  'extension-unavailable': 'Porchlight is not available in this browser right now.',
  timeout: 'Porchlight took too long to answer.',
  'signaling-failed': 'Could not reach the servers that bring people together.',
}

/** A sentence for people, not for developers, about what went wrong. */
export function errorMessage(err: unknown): string {
  return MESSAGES[errorCode(err)] ?? 'Something went wrong.'
}

/** The error as plain data, for event details: `{ code, message }`. */
export function errorData(err: unknown): { code: string; message: string } {
  const message: unknown =
    typeof err === 'object' && err !== null ? Reflect.get(err, 'message') : String(err)
  return { code: errorCode(err), message: typeof message === 'string' ? message : String(err) }
}
