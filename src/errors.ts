/**
 * The one error type Porchlight hands to pages, elements and its own contexts.
 *
 * Errors cross context boundaries as data ({@link WireError}) and are rebuilt
 * with {@link P2PError.fromWire}; whatever arrives is checked, so a hostile
 * sender cannot smuggle an unknown code or a giant message through.
 */

export const ERROR_CODES = [
  'permission-required',
  'permission-denied',
  'payload-too-large',
  'rate-limited',
  'lobby-full',
  'wrong-password',
  'invalid-argument',
  'not-connected',
  'extension-unavailable',
  'timeout',
  'protocol-error',
  'signaling-failed',
  'unauthenticated',
  'internal',
  /** A page API call this version does not provide yet (e.g. lobby passwords). */
  'not-supported',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** How an error travels between contexts. */
export interface WireError {
  code: ErrorCode
  message: string
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES)
const MAX_MESSAGE = 500

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value)
}

export class P2PError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.name = 'P2PError'
    this.code = code
  }

  /** The message without the `code: ` prefix, as it travels on the wire. */
  get detail(): string {
    const prefix = `${this.code}: `
    return this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message
  }

  toWire(): WireError {
    return { code: this.code, message: this.detail }
  }

  /** Rebuilds an error from untrusted data; anything malformed becomes `internal`. */
  static fromWire(raw: unknown): P2PError {
    if (typeof raw === 'object' && raw !== null) {
      const code: unknown = Reflect.get(raw, 'code')
      const message: unknown = Reflect.get(raw, 'message')
      if (isErrorCode(code)) {
        const text = typeof message === 'string' ? message.slice(0, MAX_MESSAGE) : code
        return new P2PError(code, text)
      }
    }
    return new P2PError('internal', 'malformed error from the extension')
  }

  /** Any thrown value as a P2PError, keeping the code of one that already is. */
  static from(err: unknown): P2PError {
    if (err instanceof P2PError) return err
    const message = err instanceof Error ? err.message : String(err)
    return new P2PError('internal', message.slice(0, MAX_MESSAGE))
  }

  static PERMISSION_REQUIRED(origin?: string): P2PError {
    const who = origin ? `${origin} has` : 'this site has'
    return new P2PError(
      'permission-required',
      `${who} no presence permission; call requestPermission() first`,
    )
  }

  static PERMISSION_DENIED(reason = 'the user did not allow presence for this site'): P2PError {
    return new P2PError('permission-denied', reason)
  }

  static PAYLOAD_TOO_LARGE(size: number, limit: number): P2PError {
    return new P2PError('payload-too-large', `${size} bytes is over the limit of ${limit} bytes`)
  }

  static RATE_LIMITED(what = 'requests'): P2PError {
    return new P2PError('rate-limited', `too many ${what}; slow down and retry`)
  }

  static LOBBY_FULL(name: string, max: number): P2PError {
    return new P2PError('lobby-full', `lobby "${name}" already has ${max} peers`)
  }

  static WRONG_PASSWORD(): P2PError {
    return new P2PError('wrong-password', 'the password for this session is wrong')
  }

  static INVALID_ARGUMENT(message: string): P2PError {
    return new P2PError('invalid-argument', message)
  }

  static NOT_CONNECTED(reason: string): P2PError {
    return new P2PError('not-connected', reason)
  }

  static EXTENSION_UNAVAILABLE(reason = 'the Porchlight extension is not reachable'): P2PError {
    return new P2PError('extension-unavailable', reason)
  }

  static TIMEOUT(what: string, ms: number): P2PError {
    return new P2PError('timeout', `${what} did not answer within ${ms} ms`)
  }

  /** A tracker or peer sent something malformed, oversized or out of order. */
  static PROTOCOL_ERROR(from: string, what: string): P2PError {
    return new P2PError('protocol-error', `${from}: ${what}`)
  }

  /** A signaling server refused us or could not be reached. */
  static SIGNALING_FAILED(server: string, reason: string): P2PError {
    return new P2PError('signaling-failed', `${server}: ${reason}`)
  }

  /** A peer's claim of who it is did not verify. */
  static UNAUTHENTICATED(reason: string): P2PError {
    return new P2PError('unauthenticated', reason)
  }

  static NOT_SUPPORTED(what: string): P2PError {
    return new P2PError('not-supported', `${what} is not supported by this version of Porchlight`)
  }
}
