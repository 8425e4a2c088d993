/**
 * The page API of API.md as TypeScript: what `window.p2p` is to a page, to the
 * `<p2p-*>` elements and to the MAIN-world provider that implements it.
 *
 * Types only: nothing here exists at run time. Names follow API.md exactly;
 * the few additions are marked "Addition" and are optional, so a provider
 * written against API.md alone still satisfies these interfaces.
 */
import type { P2PError } from '../errors.js'
import type { LobbyState, PathCounts, PeerPath, SignalPath } from '../protocol/lobby.js'
import type { Identity, PermissionState } from '../protocol/messages.js'

/** What a lobby is doing, as its `state` event reports it. */
export type { Identity, LobbyState, PathCounts, PeerPath, PermissionState, SignalPath }

/** One connection in a lobby. Several peers may share one identity (one per browser). */
export interface Peer {
  /** Per-origin alias, stable while connected. */
  readonly id: string
  /** Authenticated by the connection's key; null while unknown. */
  readonly identity: Identity | null
  /** The peer's latest DEP-0006 session-data (≤256 bytes), or null before any. */
  readonly sessionData: Uint8Array | null
  /**
   * Addition: how the connection to it was signaled (`tracker`, `relay`,
   * `lobby-log`), or `mesh` when we are not connected and its presence
   * reaches us through other members; null for self.
   */
  readonly path?: PeerPath | null
}

/** `session.json` of a hosting identity, as friends see it. */
export interface SessionInfo {
  name: string
  url: string
  /** Milliseconds since the epoch of the host's last heartbeat. */
  lastUpdate: number
  peers: number
  maxPeers: number
  protected: boolean
}

export interface Friend {
  identity: Identity
  online: boolean
  session?: SessionInfo
}

export interface JoinOptions {
  password?: string
  maxPeers?: number
}

export interface HostOptions {
  name: string
  maxPeers?: number
  password?: string
}

/** One answer to {@link Lobby.request}. */
export interface RequestResult {
  peer: Peer
  result?: unknown
  error?: P2PError
}

export interface PeerEventDetail {
  peer: Peer
}
export interface SessionDataEventDetail {
  peer: Peer
  data: Uint8Array | null
}
export interface MessageEventDetail {
  peer: Peer
  data: unknown
}
export interface StateEventDetail {
  state: LobbyState
}
/** Addition: `detail` of a lobby's `error` event (e.g. `signaling-failed`, `not-connected`). */
export interface LobbyErrorEventDetail {
  error: P2PError
}

/** Events a {@link Lobby} dispatches. */
export interface LobbyEventMap {
  'peer-join': CustomEvent<PeerEventDetail>
  'peer-leave': CustomEvent<PeerEventDetail>
  'session-data': CustomEvent<SessionDataEventDetail>
  message: CustomEvent<MessageEventDetail>
  state: CustomEvent<StateEventDetail>
  /** Addition: trouble the lobby keeps trying to get past, e.g. unreachable trackers. */
  error: CustomEvent<LobbyErrorEventDetail>
}

export interface Lobby extends EventTarget {
  readonly name: string
  /** Shareable, e.g. `hyper://<key>?lobby=<name>`. */
  readonly url: string
  readonly self: Peer
  /** Everyone else currently connected. */
  readonly peers: Peer[]
  /** Addition: how many peers each signaling path (tracker, relay, lobby log) connected. */
  readonly paths?: PathCounts
  /**
   * Addition: the state the last `state` event reported, so that a listener
   * added after joining knows where the lobby is. Optional until every
   * provider has it; elements fall back to inferring it from `peers`.
   */
  readonly state?: LobbyState
  /** ≤256 bytes, else rejects with `payload-too-large`. */
  setSessionData(data: Uint8Array | string): Promise<void>
  getSessionData(): Uint8Array | null
  /**
   * JSON plus Uint8Array, ≤ 16 MiB encoded. Addition: returns a promise that
   * resolves once the extension took the message (later while peers are slow).
   */
  broadcast(data: unknown): void | Promise<void>
  send(peerId: string, data: unknown): void | Promise<void>
  /**
   * Addition: `fn` null stops answering `module`; returns a promise that
   * resolves once the extension registered the module (await it before
   * peers are told to ask).
   */
  handle(module: string, fn: ((data: unknown, from: Peer) => unknown) | null): void | Promise<void>
  /** `selector`: `*`, an identity URL or a peer id. Addition: `opts.timeout` (ms, default 10 s). */
  request(
    selector: string,
    module: string,
    data: unknown,
    opts?: { timeout?: number },
  ): Promise<RequestResult[]>
  leave(): Promise<void>
}

export interface PermissionChangeDetail {
  state: PermissionState
}
/** Addition: `detail` of `identitychange`. */
export interface IdentityChangeDetail {
  identity: Identity
}

/** Events `window.p2p` dispatches. */
export interface P2PProviderEventMap {
  permissionchange: CustomEvent<PermissionChangeDetail>
  friendschange: Event
  /** Addition: the site's identity was renamed (in the options page). */
  identitychange: CustomEvent<IdentityChangeDetail>
}

/** `window.p2p`. */
export interface P2PProvider extends EventTarget {
  permission(): Promise<PermissionState>
  /** Opens the extension's prompt; a second call while one is pending joins the same prompt. */
  requestPermission(): Promise<Identity>
  revokePermission(): Promise<void>
  /** The identity this site was granted. */
  identity(): Promise<Identity>
  joinLobby(name: string, opts?: JoinOptions): Promise<Lobby>
  /** Publishes session.json in the identity archive while the lobby is open. */
  host(opts: HostOptions): Promise<Lobby>
  friends(): Promise<Friend[]>
  /** A token to hand to someone (seed 004 tokens). */
  createInvite(): Promise<string>
  acceptInvite(token: string): Promise<Friend>
  /**
   * Addition to API.md: the friend's session the user chose with Join in the
   * extension's popup, which opened this tab; given once, then null.
   * `<p2p-sessions>` takes it and joins (asking for a password if needed).
   */
  joinIntent(): Promise<Friend | null>
}

/** `detail.info` of `p2p:announceProvider`. */
export interface ProviderInfo {
  name: string
  version: string
  uuid: string
  /** A `data:` URI. */
  icon: string
}

export interface AnnounceProviderDetail {
  info: ProviderInfo
  provider: P2PProvider
}
