/**
 * Calls from the extension's own pages (popup, prompt, options) to the
 * service worker, over the PORT_ADMIN port. The service worker accepts that
 * port only from pages of the extension's own origin.
 */
import { P2PError } from '../errors.js'
import type { Grant, PromptDecision } from '../permissions/grant.js'
import { isGrantableOrigin } from '../permissions/origin.js'
import type { TabLobby } from './lobby.js'
import type { FriendWire } from './sessions.js'
import type { Identity, IdentityMethod, IdentityMethods } from './messages.js'
import { checkIceServers, type IceServer, type IceServerView } from './ice.js'
import { noParams, Validator } from './params.js'
import { isRecord, isRequestId, objectParams, own } from './validate.js'

export interface PromptInfo {
  origin: string
  /** The identity the site would see if the user picks the main one. */
  main: Identity
}

/** Longest export text the admin API carries, in characters. */
export const MAX_IMPORT_CHARS = 8 * 1024 * 1024

export interface AdminMethods extends IdentityMethods {
  'grants.list': { params: undefined; result: Grant[] }
  'grants.revoke': { params: { origin: string }; result: null }
  'prompt.info': { params: { origin: string }; result: PromptInfo }
  'prompt.decide': { params: { origin: string } & PromptDecision; result: null }
  /** Sent by an open prompt so the worker stays up while the user decides. */
  'prompt.keepalive': { params: undefined; result: null }
  'settings.trackers': { params: undefined; result: string[] }
  /** The lobbies of one tab and who is in them (the popup); [] when there is no engine. */
  'lobbies.ofTab': { params: { tabId: number }; result: TabLobby[] }
  /** Replaces the signaling servers (1–8 ws:// or wss:// URLs); new lobbies use them. */
  'settings.setTrackers': { params: { urls: string[] }; result: string[] }
  /**
   * session.json's heartbeat interval, ms (clamped to 500 ms–5 min; default
   * 1 min). Tests shorten it. Hosts state theirs in session.json and readers
   * judge by it; a reader's own only sets how often it looks again.
   */
  'settings.setHeartbeat': { params: { ms: number }; result: number }
  /** The main identity's friends, with their sessions on every site (the popup). */
  'friends.list': { params: undefined; result: FriendWire[] }
  /**
   * The popup's Join: opens the site of `url` (a live session of one of the
   * main identity's friends) in a new tab, whose page takes it as its
   * `joinIntent()` and joins.
   */
  'sessions.openJoin': { params: { url: string }; result: null }
  /** The ICE (STUN/TURN) servers; credentials only as `hasCredential`. */
  'settings.ice': { params: undefined; result: IceServerView[] }
  /**
   * Replaces the ICE servers (0–8; new lobbies use them). A TURN server sent
   * without a credential keeps the one stored for the same URL and username.
   */
  'settings.setIce': { params: { servers: IceServer[] }; result: IceServerView[] }
}

/**
 * `{ t: FRIENDS_CHANGED }`, sent by the worker to the extension's own pages
 * (runtime.sendMessage) when the engine says friends changed: the popup redraws.
 */
export const FRIENDS_CHANGED = 'friends-changed'

/** Most trackers a user may configure. */
export const MAX_TRACKERS = 8

function trackerUrls(raw: unknown): { urls: string[] } {
  const urls = own(objectParams('setTrackers', raw, ['urls']), 'urls')
  if (!Array.isArray(urls) || urls.length === 0 || urls.length > MAX_TRACKERS) {
    throw P2PError.INVALID_ARGUMENT(`setTrackers: urls must list 1–${MAX_TRACKERS} trackers`)
  }
  const checked = urls.map((u: unknown) => {
    let url: URL | null = null
    try {
      url = typeof u === 'string' && u.length <= 200 ? new URL(u) : null
    } catch {
      url = null
    }
    if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
      throw P2PError.INVALID_ARGUMENT(
        `setTrackers: "${String(u).slice(0, 80)}" is not a ws:// or wss:// URL`,
      )
    }
    return u as string
  })
  return { urls: [...new Set(checked)] }
}
export type AdminMethod = keyof AdminMethods

function string(method: string, obj: Record<string, unknown>, key: string, max: number): string {
  const value = own(obj, key)
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw P2PError.INVALID_ARGUMENT(`${method}: ${key} must be a string of 1–${max} characters`)
  }
  return value
}

const url = (method: string, obj: Record<string, unknown>) => string(method, obj, 'url', 200)
const name = (method: string, obj: Record<string, unknown>) => string(method, obj, 'name', 256)

function originParam(raw: unknown): { origin: string } {
  const origin = isRecord(raw) ? own(raw, 'origin') : undefined
  if (typeof origin !== 'string' || !isGrantableOrigin(origin)) {
    throw P2PError.INVALID_ARGUMENT('origin must be an http(s) origin')
  }
  return { origin }
}

export const adminParams = new Validator<AdminMethods>({
  'grants.list': noParams('grants.list'),
  'grants.revoke': originParam,
  'prompt.info': originParam,
  'prompt.decide': (raw) => {
    const { origin } = originParam(raw)
    const r = raw as Record<string, unknown>
    const allow = own(r, 'allow')
    const identity = own(r, 'identity')
    if (typeof allow !== 'boolean') throw P2PError.INVALID_ARGUMENT('allow must be a boolean')
    if (identity !== 'main' && identity !== 'site') {
      throw P2PError.INVALID_ARGUMENT('identity must be "main" or "site"')
    }
    return { origin, allow, identity, friends: own(r, 'friends') === true }
  },
  'prompt.keepalive': noParams('prompt.keepalive'),
  'settings.trackers': noParams('settings.trackers'),
  'settings.setTrackers': trackerUrls,
  'settings.setHeartbeat': (raw) => {
    const ms = own(objectParams('setHeartbeat', raw, ['ms']), 'ms')
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw P2PError.INVALID_ARGUMENT('setHeartbeat: ms must be a number')
    }
    return { ms }
  },
  'friends.list': noParams('friends.list'),
  'sessions.openJoin': (raw) => ({
    url: string('sessions.openJoin', objectParams('sessions.openJoin', raw, ['url']), 'url', 512),
  }),
  'settings.ice': noParams('settings.ice'),
  'settings.setIce': (raw) => ({
    servers: checkIceServers(
      own(objectParams('setIce', raw, ['servers']), 'servers'),
      'setIce',
      true,
    ),
  }),
  'lobbies.ofTab': (raw) => {
    const tabId = own(objectParams('lobbies.ofTab', raw, ['tabId']), 'tabId')
    if (!isRequestId(tabId)) throw P2PError.INVALID_ARGUMENT('lobbies.ofTab: tabId is a tab id')
    return { tabId }
  },
  'identities.list': noParams('identities.list'),
  'identities.main': noParams('identities.main'),
  'identities.setMain': (raw) => ({ url: url('setMain', objectParams('setMain', raw, ['url'])) }),
  'identities.create': (raw) => {
    if (raw === undefined || raw === null) return {}
    const obj = objectParams('create', raw, ['name'])
    return own(obj, 'name') === undefined ? {} : { name: name('create', obj) }
  },
  'identities.rename': (raw) => {
    const obj = objectParams('rename', raw, ['url', 'name'])
    return { url: url('rename', obj), name: name('rename', obj) }
  },
  'identities.delete': (raw) => {
    const obj = objectParams('delete', raw, ['url', 'confirm'])
    if (own(obj, 'confirm') !== true) {
      throw P2PError.INVALID_ARGUMENT(
        'delete: deleting an identity cannot be undone; pass confirm: true once the user confirmed',
      )
    }
    return { url: url('delete', obj), confirm: true }
  },
  'identities.export': (raw) => ({ url: url('export', objectParams('export', raw, ['url'])) }),
  'identities.import': (raw) => {
    const obj = objectParams('import', raw, ['text', 'takeOver'])
    const takeOver = own(obj, 'takeOver')
    if (takeOver !== undefined && typeof takeOver !== 'boolean') {
      throw P2PError.INVALID_ARGUMENT('import: takeOver must be a boolean')
    }
    const text = string('import', obj, 'text', MAX_IMPORT_CHARS)
    return takeOver === undefined ? { text } : { text, takeOver }
  },
})

export function isIdentityMethod(method: AdminMethod): method is IdentityMethod {
  return method.startsWith('identities.')
}
