/**
 * Lobby messages on the wire between the page, the service worker and the
 * engine (API.md `broadcast`, `send`, `handle`, `request`).
 *
 * Pages post batches (`lobby.post`): each item is a message, a request, or an
 * answer to a request the page was asked, with its data as base64 of the
 * encoded value (src/messages/value.ts). An item bigger than one batch is cut
 * into pieces: the item carries the first piece and `more: true`, and `more`
 * items carry the rest, in order. A page has one post in flight at a time and
 * the engine answers it once the lobby's queues are low again: that answer is
 * the page's back-pressure.
 *
 * The engine's answers come back as lobby events: `message`, `request` (for a
 * module this page handles; answer with a `res` item) and `reply` (the
 * per-peer results of one of the page's requests).
 */
import { P2PError, type WireError } from '../errors.js'
import { isHandle, isPeerAlias } from './lobby.js'
import { isRecord, isRequestId, objectParams, own } from './validate.js'

/** Largest batch of item data, in base64 characters (≈ 0.75 MiB of bytes). */
export const MAX_POST_CHARS = 1024 * 1024
/** Most items in one batch. */
export const MAX_POST_ITEMS = 2048
/** A request's timeout when the page gives none, and the longest it may give, ms. */
export const DEFAULT_REQUEST_TIMEOUT = 10_000
export const MAX_REQUEST_TIMEOUT = 120_000
/** Module names: seed 004 style (`My.Echo.Module`). */
export const MODULE_NAME = /^[\w.:/-]{1,64}$/
const IDENTITY_URL = /^hyper:\/\/[0-9a-f]{64}$/

/** Everyone, one identity (each of its peers) or one peer (alias). */
export function isSelector(value: unknown): value is string {
  return (
    value === '*' || isPeerAlias(value) || (typeof value === 'string' && IDENTITY_URL.test(value))
  )
}

export type PostItem =
  | { t: 'msg'; to: string; data: string; more?: true }
  | { t: 'req'; id: number; to: string; module: string; timeout: number; data: string; more?: true }
  | { t: 'res'; id: number; ok: true; data: string; more?: true }
  | { t: 'res'; id: number; ok: false; error: WireError }
  | { t: 'more'; data: string; more?: true }

export interface PostParams {
  lobby: string
  items: PostItem[]
}

export interface HandleParams {
  lobby: string
  module: string
  /** true: this page answers `module` from now on; false: no more. */
  on: boolean
}

/** One peer's result of a request, as the page gets it in a `reply` event. */
export type ReplyResult =
  { peer: string; ok: true; data: string } | { peer: string; ok: false; error: WireError }

/** Events the engine sends a page about messages (beside LobbyEventsWire). */
export interface MessageEventsWire {
  /** Messages that arrived together (one event per engine task, up to MAX_POST_CHARS of data). */
  message: { list: Array<{ from: string; data: string }> }
  request: { id: number; from: string; module: string; data: string }
  reply: { id: number; results: ReplyResult[] } | { id: number; error: WireError }
}

function fail(what: string): never {
  throw P2PError.INVALID_ARGUMENT(`lobby.post: ${what}`)
}

function dataOf(item: Record<string, unknown>): string {
  const data = own(item, 'data')
  if (typeof data !== 'string') fail('an item without data')
  return data
}

function moreOf(item: Record<string, unknown>): { more?: true } {
  const more = own(item, 'more')
  if (more !== undefined && more !== true) fail('more must be true when present')
  return more ? { more: true } : {}
}

function idOf(item: Record<string, unknown>): number {
  const id = own(item, 'id')
  if (!isRequestId(id) || id > 0xffff_ffff) fail('a bad request id')
  return id
}

function checkItem(raw: unknown): PostItem {
  if (!isRecord(raw)) fail('an item is not an object')
  switch (own(raw, 't')) {
    case 'msg': {
      const item = objectParams('lobby.post', raw, ['t', 'to', 'data', 'more'])
      const to = own(item, 'to')
      if (to !== '*' && !isPeerAlias(to)) fail('a message goes to "*" or a peer id')
      return { t: 'msg', to, data: dataOf(item), ...moreOf(item) }
    }
    case 'req': {
      const keys = ['t', 'id', 'to', 'module', 'timeout', 'data', 'more']
      const item = objectParams('lobby.post', raw, keys)
      const to = own(item, 'to')
      const module = own(item, 'module')
      const timeout = own(item, 'timeout')
      if (!isSelector(to)) fail('a request goes to "*", an identity URL or a peer id')
      if (typeof module !== 'string' || !MODULE_NAME.test(module)) fail('a bad module name')
      if (!Number.isSafeInteger(timeout) || (timeout as number) < 1) fail('a bad timeout')
      const ms = Math.min(timeout as number, MAX_REQUEST_TIMEOUT)
      return {
        t: 'req',
        id: idOf(item),
        to,
        module,
        timeout: ms,
        data: dataOf(item),
        ...moreOf(item),
      }
    }
    case 'res': {
      const item = objectParams('lobby.post', raw, ['t', 'id', 'ok', 'data', 'error', 'more'])
      const id = idOf(item)
      if (own(item, 'ok') === true)
        return { t: 'res', id, ok: true, data: dataOf(item), ...moreOf(item) }
      if (own(item, 'ok') !== false) fail('an answer without ok')
      return { t: 'res', id, ok: false, error: P2PError.fromWire(own(item, 'error')).toWire() }
    }
    case 'more': {
      const item = objectParams('lobby.post', raw, ['t', 'data', 'more'])
      return { t: 'more', data: dataOf(item), ...moreOf(item) }
    }
    default:
      return fail('an item of unknown type')
  }
}

export function checkPost(raw: unknown): PostParams {
  const obj = objectParams('lobby.post', raw, ['lobby', 'items'])
  const lobby = own(obj, 'lobby')
  const items = own(obj, 'items')
  if (!isHandle(lobby)) throw P2PError.INVALID_ARGUMENT('lobby.post: unknown lobby')
  if (!Array.isArray(items) || items.length === 0) fail('items must be a non-empty array')
  if (items.length > MAX_POST_ITEMS) fail(`more than ${MAX_POST_ITEMS} items`)
  const checked = items.map(checkItem)
  const chars = checked.reduce((n, item) => n + ('data' in item ? item.data.length : 0), 0)
  if (chars > MAX_POST_CHARS) throw P2PError.PAYLOAD_TOO_LARGE(chars, MAX_POST_CHARS)
  return { lobby, items: checked }
}

export function checkHandleModule(raw: unknown): HandleParams {
  const obj = objectParams('lobby.handle', raw, ['lobby', 'module', 'on'])
  const lobby = own(obj, 'lobby')
  const module = own(obj, 'module')
  const on = own(obj, 'on')
  if (!isHandle(lobby)) throw P2PError.INVALID_ARGUMENT('lobby.handle: unknown lobby')
  if (typeof module !== 'string' || !MODULE_NAME.test(module)) {
    throw P2PError.INVALID_ARGUMENT('lobby.handle: a module name is 1–64 of A–Z a–z 0–9 _ . : / -')
  }
  if (typeof on !== 'boolean') throw P2PError.INVALID_ARGUMENT('lobby.handle: on must be boolean')
  return { lobby, module, on }
}
