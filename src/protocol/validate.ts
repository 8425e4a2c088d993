/**
 * Checks for messages from untrusted senders. Everything that crosses a
 * context boundary goes through one of these before anything else reads it.
 * They read own properties only and build fresh objects, so prototype keys
 * (`__proto__`, `constructor`) in a payload are inert.
 */
import { P2PError, type WireError } from '../errors.js'
import {
  MAX_METHOD_LENGTH,
  maxRequestBytes,
  type EventMessage,
  type FrameOwner,
  type Request,
  type Response,
} from './messages.js'

export type Parsed<T> = { ok: true; value: T } | { ok: false; id: number | null; error: P2PError }

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reads an own property: never walks the prototype chain of hostile data. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** `raw` as an object with only the named keys; anything else is `invalid-argument`. */
export function objectParams(
  method: string,
  raw: unknown,
  keys: readonly string[],
): Record<string, unknown> {
  if (!isRecord(raw)) throw P2PError.INVALID_ARGUMENT(`${method} takes an object`)
  const extra = Object.keys(raw).find((k) => !keys.includes(k))
  if (extra !== undefined) {
    throw P2PError.INVALID_ARGUMENT(`${method}: unknown parameter "${extra.slice(0, 40)}"`)
  }
  return raw
}

/** A lobby handle id (see ./lobby.ts): 32 lowercase hex. */
export function isHandle(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value)
}

export function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** A document as the worker and the engine name it to each other; null when malformed. */
export function parseFrameOwner(raw: unknown): FrameOwner | null {
  if (!isRecord(raw)) return null
  const tabId = own(raw, 'tabId')
  const frameId = own(raw, 'frameId')
  const documentId = own(raw, 'documentId')
  if (!isRequestId(tabId) || !isRequestId(frameId)) return null
  if (documentId !== undefined && typeof documentId !== 'string') return null
  return documentId === undefined ? { tabId, frameId } : { tabId, frameId, documentId }
}

/** Size of a value as JSON, or -1 when it cannot be serialised at all. */
export function jsonSize(value: unknown): number {
  try {
    const text = JSON.stringify(value)
    return text === undefined ? 0 : text.length
  } catch {
    return -1
  }
}

/**
 * Parses a request from an untrusted sender. The result is a fresh object
 * holding only the fields of a request; `params` keeps its JSON value.
 * `maxBytes` may depend on the method (lobby messages take bigger params).
 */
export function parseRequest(
  raw: unknown,
  maxBytes: number | ((method: string) => number) = maxRequestBytes,
): Parsed<Request> {
  if (!isRecord(raw) || own(raw, 't') !== 'req') {
    return { ok: false, id: null, error: P2PError.INVALID_ARGUMENT('not a request') }
  }
  const id = own(raw, 'id')
  if (!isRequestId(id)) {
    return {
      ok: false,
      id: null,
      error: P2PError.INVALID_ARGUMENT('request id must be a non-negative integer'),
    }
  }
  const method = own(raw, 'method')
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return {
      ok: false,
      id,
      error: P2PError.INVALID_ARGUMENT('request method must be a short string'),
    }
  }
  const params = own(raw, 'params')
  const size = jsonSize(params)
  if (size < 0) {
    return {
      ok: false,
      id,
      error: P2PError.INVALID_ARGUMENT('request params must be JSON-serialisable'),
    }
  }
  const max = typeof maxBytes === 'number' ? maxBytes : maxBytes(method)
  if (size > max) {
    return { ok: false, id, error: P2PError.PAYLOAD_TOO_LARGE(size, max) }
  }
  const value: Request = { t: 'req', id, method }
  if (params !== undefined) value.params = params
  if (own(raw, 'gesture') === true) value.gesture = true
  return { ok: true, value }
}

function parseWireError(raw: unknown): WireError {
  return P2PError.fromWire(raw).toWire()
}

/** Parses a response coming back towards a page. */
export function parseResponse(raw: unknown): Response | null {
  if (!isRecord(raw) || own(raw, 't') !== 'res') return null
  const id = own(raw, 'id')
  if (!isRequestId(id)) return null
  if (own(raw, 'ok') === true) return { t: 'res', id, ok: true, result: own(raw, 'result') }
  return { t: 'res', id, ok: false, error: parseWireError(own(raw, 'error')) }
}

/** Parses an event pushed towards a page. */
export function parseEvent(raw: unknown): EventMessage | null {
  if (!isRecord(raw) || own(raw, 't') !== 'evt') return null
  const name = own(raw, 'name')
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_METHOD_LENGTH) return null
  const evt: EventMessage = { t: 'evt', name }
  const data = own(raw, 'data')
  if (data !== undefined) evt.data = data
  const lobby = own(raw, 'lobby')
  if (lobby !== undefined) {
    const seq = own(raw, 'seq')
    if (!isHandle(lobby) || !isRequestId(seq)) return null
    evt.lobby = lobby
    evt.seq = seq
  }
  return evt
}

export function errorResponse(id: number, err: unknown): Response {
  return { t: 'res', id, ok: false, error: P2PError.from(err).toWire() }
}

export function okResponse(id: number, result: unknown): Response {
  return { t: 'res', id, ok: true, result }
}
