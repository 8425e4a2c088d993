/**
 * Every message that crosses a context boundary, declared once.
 *
 *   page (MAIN) ⇄ content bridge      MessagePort from the handshake in ./handshake.ts
 *   content bridge ⇄ service worker   runtime.Port named PORT_PAGE
 *   service worker ⇄ engine document  runtime.Port named PORT_ENGINE
 *
 * The same three envelopes (request, response, event) travel on every hop. The
 * service worker adds the caller's origin (taken from `port.sender`, never from
 * the message) when it forwards a request to the engine.
 */
import type { WireError } from '../errors.js'
import type { IceServer } from './ice.js'
import type { JoinParams, LobbyWire, RetainedSessionData, TabLobby } from './lobby.js'
import type { FriendWire, HostParams } from './sessions.js'
import type { HandleParams, PostParams } from './lobby-messages.js'

/** Page-facing permission state, as in API.md. */
export type PermissionState = 'granted' | 'denied' | 'prompt'

export interface Identity {
  url: string
  name: string
  created: number
}

/** An identity as the extension's own pages see it (the admin API). */
export interface IdentitySummary extends Identity {
  /** The identity sites see unless the user picked another at grant time. */
  main: boolean
  /** False when another browser holds the identity's write lease (docs/identity.md). */
  writable: boolean
}

export interface EngineStatus {
  /** The extension's version. */
  version: string
  /** Milliseconds since the engine document started. */
  uptime: number
}

/**
 * The page API's calls: method name → parameters and result.
 * `void` params mean the request carries none.
 */
export interface PageMethods {
  permission: { params: undefined; result: PermissionState }
  requestPermission: { params: undefined; result: Identity }
  revokePermission: { params: undefined; result: null }
  status: { params: undefined; result: EngineStatus }
  /** Defines the <p2p-*> elements in the calling frame (the page script asks when a page uses one). */
  loadElements: { params: undefined; result: null }
  /** The identity this site was granted. */
  identity: { params: undefined; result: Identity }
  joinLobby: { params: JoinParams; result: LobbyWire }
  'lobby.setSessionData': { params: { lobby: string; data: string }; result: null }
  'lobby.leave': { params: { lobby: string }; result: null }
  /** Addition to API.md: what the extension kept of a lobby's session-data for this site. */
  retainedSessionData: { params: { name: string }; result: RetainedSessionData }
  /** Hosts a session (publishes session.json while the lobby is open): ./sessions.ts. */
  host: { params: HostParams; result: LobbyWire }
  /** Needs a grant that lets the site see friends. */
  friends: { params: undefined; result: FriendWire[] }
  createInvite: { params: undefined; result: string }
  acceptInvite: { params: { token: string }; result: FriendWire }
  /** Addition to API.md: the session the user chose to join from the popup for this tab, once. */
  joinIntent: { params: undefined; result: FriendWire | null }
  /** Messages, requests and answers of `broadcast`/`send`/`request`/`handle` (./lobby-messages.ts). */
  'lobby.post': { params: PostParams; result: null }
  /** This page answers `module` (or stops). */
  'lobby.handle': { params: HandleParams; result: null }
}

export type PageMethod = keyof PageMethods
export type ParamsOf<M extends PageMethod> = PageMethods[M]['params']
export type ResultOf<M extends PageMethod> = PageMethods[M]['result']

/**
 * Methods that can be sent again safely if the extension restarts mid-call.
 * (A repeated requestPermission joins the prompt that is already open.)
 */
export const IDEMPOTENT: ReadonlySet<PageMethod> = new Set<PageMethod>([
  'permission',
  'requestPermission',
  'revokePermission',
  'status',
  'loadElements',
  'identity',
  'lobby.setSessionData',
  'lobby.leave',
  'retainedSessionData',
  'friends',
  'lobby.handle',
])

/** Methods a page may call without a grant; everything else is `permission-required`. */
export const UNGATED: ReadonlySet<PageMethod> = new Set<PageMethod>([
  'permission',
  'requestPermission',
  'status',
  'loadElements',
])

/**
 * Managing identities: asked by the extension's own pages over the admin
 * channel (see ./admin.ts), checked by the service worker and answered by
 * the engine, which owns the archives.
 */
export interface IdentityMethods {
  'identities.list': { params: undefined; result: IdentitySummary[] }
  'identities.main': { params: undefined; result: Identity }
  'identities.setMain': { params: { url: string }; result: Identity }
  'identities.create': { params: { name?: string }; result: Identity }
  'identities.rename': { params: { url: string; name: string }; result: Identity }
  /** `confirm` must be true: the page states that the user confirmed. */
  'identities.delete': { params: { url: string; confirm: true }; result: null }
  /** The export text contains the identity's SECRET KEY. */
  'identities.export': { params: { url: string }; result: { text: string } }
  /** `takeOver` makes this browser the identity's writer (docs/identity.md). */
  'identities.import': { params: { text: string; takeOver?: boolean }; result: Identity }
}
export type IdentityMethod = keyof IdentityMethods

/** Calls the engine answers, and what the service worker passes it. */
export interface EngineMethods extends IdentityMethods {
  status: { params: undefined; result: EngineStatus }
  /** Public facts of one identity of this browser. */
  identity: { params: { url: string }; result: Identity }
  /** The origin lost its grant: close its lobbies and forget what was kept for it. */
  'origin.forget': { params: undefined; result: null }
  'lobby.join': {
    params: JoinParams & {
      /** The identity the origin was granted. */
      identity: string
      /** Signaling servers to use (the user's settings). */
      trackers: string[]
      /** STUN/TURN servers to use (the user's settings, credentials included). */
      ice?: IceServer[]
      owner: FrameOwner
      /** The origin's retained own session-data (base64), re-announced at once. */
      sessionData: string | null
    }
    result: LobbyWire
  }
  /** Answers the lobby's name, under which the service worker retains the value. */
  'lobby.setSessionData': {
    params: { lobby: string; data: string; owner: FrameOwner }
    result: { name: string }
  }
  'lobby.leave': { params: { lobby: string; owner: FrameOwner }; result: null }
  /** Answered once the lobby's outgoing queues are low again (the page's back-pressure). */
  'lobby.post': { params: PostParams & { owner: FrameOwner }; result: null }
  'lobby.handle': { params: HandleParams & { owner: FrameOwner }; result: null }
  /** The lobbies the documents of one tab are in (the popup shows them). */
  'lobbies.ofTab': { params: { tabId: number }; result: TabLobby[] }
  'session.host': {
    params: HostParams & {
      identity: string
      trackers: string[]
      owner: FrameOwner
      /** Heartbeat interval of session.json, ms (the user's setting). */
      heartbeat: number
    }
    result: LobbyWire
  }
  /**
   * The friends of `identity`, with the sessions hosted on the calling
   * origin (`all`: on every site, for the extension's own pages).
   */
  'friends.list': { params: FriendsParams & { all?: boolean }; result: FriendWire[] }
  'friends.createInvite': { params: FriendsParams; result: string }
  'friends.acceptInvite': { params: FriendsParams & { token: string }; result: FriendWire }
  /** A document went away (tab closed, navigated, port gone): its lobbies close. */
  'frames.gone': { params: GoneFrames; result: null }
}

/** What every friends call carries: whose friends, where to find them, how fresh a session must be. */
export interface FriendsParams {
  identity: string
  trackers: string[]
  heartbeat: number
}

/** The document a lobby handle belongs to, as the browser reports the caller. */
export interface FrameOwner {
  tabId: number
  frameId: number
  /** Chrome's documentId of the frame's current document, when known. */
  documentId?: string
}

/** Documents that went away (a tab, a frame of it, or one document of a frame). */
export type GoneFrames = Partial<FrameOwner> & { tabId: number }

/** Whether two owners are the same document (an unknown documentId matches any). */
export function sameOwner(a: FrameOwner, b: FrameOwner): boolean {
  if (a.tabId !== b.tabId || a.frameId !== b.frameId) return false
  return a.documentId === undefined || b.documentId === undefined || a.documentId === b.documentId
}

/** Whether `owner` is among the documents `gone` names. */
export function isGone(owner: FrameOwner, gone: GoneFrames): boolean {
  if (owner.tabId !== gone.tabId) return false
  if (gone.frameId !== undefined && owner.frameId !== gone.frameId) return false
  return gone.documentId === undefined || owner.documentId === gone.documentId
}

/**
 * Engine → service worker, outside request/response: an event for the pages
 * of `origin` in the document `to` (`t: 'evt'`), or a session-data value to
 * retain for the origin (`t: 'retain'`).
 */
export type EngineNotice =
  | {
      t: 'evt'
      name: string
      data: unknown
      lobby: string
      seq: number
      origin: string
      to: FrameOwner
    }
  | { t: 'retain'; origin: string; name: string; identity: string; data: string }
  /** The origin's own value, set over a lobby lane (src/protocol/lane.ts). */
  | { t: 'retain-own'; origin: string; name: string; data: string }
  /** The friends of `identity` changed (online, profile, sessions): `friendschange` for its sites. */
  | { t: 'friends'; identity: string }
export type EngineMethod = keyof EngineMethods

export interface Request<M extends string = string> {
  t: 'req'
  id: number
  method: M
  params?: unknown
  /**
   * Set by the content bridge, never by the page: whether the page had a
   * transient user activation (a click or key press) when it made the call.
   * The bridge reads it in its isolated world, where the page cannot fake it.
   */
  gesture?: boolean
}

export interface EngineRequest extends Request<EngineMethod> {
  /** The page origin on whose behalf the service worker asks. */
  origin: string
}

export type Response =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: WireError }

/** Events pushed to a page (e.g. `permissionchange`). */
export interface PageEvents {
  permissionchange: { state: PermissionState }
  friendschange: Record<string, never>
  /** Addition: the identity the site was granted was renamed. */
  identitychange: { identity: Identity }
}
export type PageEventName = keyof PageEvents

export interface EventMessage<N extends string = string> {
  t: 'evt'
  name: N
  data?: unknown
  /** Lobby events name their lobby handle and are numbered per handle. */
  lobby?: string
  seq?: number
}

export type Message = Request | Response | EventMessage

export const PORT_PAGE = 'porchlight:page'
/** The extension's own pages (popup, prompt, options) to the service worker. */
export const PORT_ADMIN = 'porchlight:admin'
export const PORT_ENGINE = 'porchlight:engine'

/** Control messages between the service worker and the engine outside ports. */
export const ENGINE_CONNECT = 'porchlight:engine-connect'
/**
 * An event the service worker sends each page's content bridge when the
 * engine document went away (crash, reload): every lobby in it is gone, and
 * the bridge closes the page's lobbies. Not passed on to the page.
 */
export const ENGINE_LOST = 'porchlight:engine-lost'

/** Biggest request a page may send, in bytes of JSON. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** Biggest `lobby.post` (a batch of lobby messages, ./lobby-messages.ts), in bytes of JSON. */
export const MAX_POST_BYTES = 1024 * 1024 + 2048 * 256

/** Biggest params a request for `method` may carry, in bytes of JSON. */
export function maxRequestBytes(method: string): number {
  return method === 'lobby.post' ? MAX_POST_BYTES : MAX_REQUEST_BYTES
}
/** Longest method name a request may carry. */
export const MAX_METHOD_LENGTH = 64
