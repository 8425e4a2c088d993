/**
 * Lobbies for pages. A page's join gets a handle; the handles of every
 * document of one origin in the same lobby (same identity, same name) share
 * one Lobby of the core, so two tabs of a site are one peer to the others.
 *
 * What a page sees of a peer (./lobby-peers.ts) is a per-origin alias (not
 * the swarm peer id), the peer's identity once its profile is known, and its
 * session-data. Events go to the documents holding handles, numbered per
 * handle. A run of `not-connected` errors reaches pages once, until a peer
 * connects again (src/lobby/connect-problem.ts).
 * A lobby closes with its last handle: when the pages leave, when their
 * documents go away, or when the origin loses its grant.
 */
import { bytesToHex, randomBytes } from '@noble/curves/utils.js'
import { fromBase64, toBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import { ConnectProblem } from '../../src/lobby/connect-problem.js'
import { Lobby } from '../../src/lobby/lobby.js'
import type { JoinParams, LobbyEventsWire, LobbyWire, TabLobby } from '../../src/protocol/lobby.js'
import type { IceServer } from '../../src/protocol/ice.js'
import {
  isGone,
  sameOwner,
  type EngineNotice,
  type FrameOwner,
  type GoneFrames,
  type Identity,
} from '../../src/protocol/messages.js'
import { normalizeLobbyName } from '../../src/signaling/topic.js'
import { routeOf } from '../../src/swarm/route.js'
import type { MessageEventsWire, PostParams } from '../../src/protocol/lobby-messages.js'
import { LobbyMessages, messagePeers } from './lobby-messages.js'
import { identityOf, peerAlias, peerWire, PeerViews } from './lobby-peers.js'
import type { SwarmLease, SwarmPool } from './swarms.js'

export interface HubOptions {
  swarms: SwarmPool
  /** Sends a notice to the service worker. */
  notify(notice: EngineNotice): void
  /** The public facts of one of this browser's identities. */
  identity(url: string): Promise<Identity>
}

export type JoinRequest = JoinParams & {
  identity: string
  trackers: string[]
  /** STUN/TURN servers (none: host candidates only). */
  ice?: IceServer[]
  owner: FrameOwner
  sessionData: string | null
}

/**
 * A lobby opened another way than by (origin, name): a hosted session or a
 * joined one (./sessions.ts). `open` makes the core Lobby on the lease's
 * swarm (and may wait, e.g. for the host to admit us); `url` is what pages see.
 */
export interface CustomLobby {
  /** Shares one Lobby between the handles of the same key. */
  key: string
  name: string
  url: string
  open(lease: SwarmLease): Promise<Lobby>
}

interface Handle {
  id: string
  origin: string
  owner: FrameOwner
  shared: Shared
  seq: number
}

interface Shared {
  key: string
  origin: string
  name: string
  identity: Identity
  lobby: Lobby
  lease: SwarmLease
  selfAlias: string
  handles: Map<string, Handle>
  peers: PeerViews
  url: string
  messages: LobbyMessages
  /** `not-connected` errors (no path to a peer) since a peer last connected. */
  problem: ConnectProblem
}

type EventsWire = LobbyEventsWire & MessageEventsWire

export class LobbyHub {
  readonly #opts: HubOptions
  readonly #shared = new Map<string, Promise<Shared>>()
  readonly #handles = new Map<string, Handle>()
  /** Aliases are keyed with this engine's secret: stable while connected, unlinkable across origins. */
  readonly #aliasKey = randomBytes(32)

  constructor(opts: HubOptions) {
    this.#opts = opts
  }

  /** Joins (or shares) the lobby and returns the page's view of it. */
  async join(origin: string, req: JoinRequest, custom?: CustomLobby): Promise<LobbyWire> {
    if (req.password !== undefined && !custom) {
      throw P2PError.NOT_SUPPORTED('a password on a plain lobby (host() or join a session url)')
    }
    const name = custom ? custom.name : normalizeLobbyName(req.name)
    const key = JSON.stringify([req.identity, origin, custom ? custom.key : name])
    let pending = this.#shared.get(key)
    if (!pending) {
      pending = this.#open(key, origin, name, req, custom)
      this.#shared.set(key, pending)
      pending.catch(() => this.#shared.get(key) === pending && this.#shared.delete(key))
    }
    const shared = await pending
    if (req.sessionData !== null) shared.lobby.setSessionData(fromBase64(req.sessionData, 'data'))
    const handle: Handle = {
      id: bytesToHex(randomBytes(16)),
      origin,
      owner: req.owner,
      shared,
      seq: 0,
    }
    shared.handles.set(handle.id, handle)
    shared.messages.addHandle(handle.id)
    this.#handles.set(handle.id, handle)
    const wire = this.#snapshot(handle)
    // Trouble reported before this page listened (no tracker reachable): it hears it next.
    const trouble = shared.lobby.trouble
    if (trouble) this.#send(handle, 'error', { error: trouble.toWire() })
    return wire
  }

  /** Sets the origin's session-data in the lobby; returns the lobby's name (for retention). */
  setSessionData(
    origin: string,
    p: { lobby: string; data: string; owner: FrameOwner },
  ): { name: string } {
    const { shared } = this.#handle(origin, p.lobby, p.owner)
    shared.lobby.setSessionData(fromBase64(p.data, 'data'))
    return { name: shared.name }
  }

  leave(origin: string, p: { lobby: string; owner: FrameOwner }): void {
    this.#drop(this.#handle(origin, p.lobby, p.owner))
  }

  /** A page's batch of messages, requests and answers (see ./lobby-messages.ts). */
  post(origin: string, p: PostParams & { owner: FrameOwner }): Promise<void> {
    const handle = this.#handle(origin, p.lobby, p.owner)
    return handle.shared.messages.post(handle.id, p.items)
  }

  /** The page answers `module` from now on (or no more). */
  handleModule(
    origin: string,
    p: { lobby: string; module: string; on: boolean; owner: FrameOwner },
  ) {
    const handle = this.#handle(origin, p.lobby, p.owner)
    handle.shared.messages.setModule(handle.id, p.module, p.on)
  }

  /** Closes the handles of documents that went away. */
  framesGone(gone: GoneFrames): void {
    for (const handle of [...this.#handles.values()]) {
      if (isGone(handle.owner, gone)) this.#drop(handle)
    }
  }

  /**
   * The user renamed identity `identity.url`: its lobbies share the new name
   * with members they reach only through the mesh (connected peers read it
   * from the replicated archive).
   */
  renamed(identity: Identity): void {
    for (const { shared } of this.#handles.values()) {
      // Handles share lobbies: each lobby once (the first of its handles updates it).
      if (shared.identity.url !== identity.url || shared.identity === identity) continue
      shared.identity = identity
      shared.lobby.setProfile({ name: identity.name, created: identity.created })
    }
  }

  /** The origin lost its grant: every lobby of it closes, and its pages are told. */
  forgetOrigin(origin: string): void {
    for (const handle of [...this.#handles.values()]) {
      if (handle.origin !== origin) continue
      this.#send(handle, 'state', { state: 'closed' })
      this.#drop(handle)
    }
  }

  /** The lobbies the documents of tab `tabId` hold, each once, with each peer's route. */
  async ofTab(tabId: number): Promise<TabLobby[]> {
    const shared = new Set<Shared>()
    for (const handle of this.#handles.values()) {
      if (handle.owner.tabId === tabId) shared.add(handle.shared)
    }
    const route = (s: Shared, peerId: string) => {
      const conn = s.lease.swarm.peer(peerId)?.primary
      return conn ? routeOf(conn.rtc).catch(() => null) : Promise.resolve(null)
    }
    return Promise.all(
      [...shared].map(async (s) => {
        const problem = s.problem.latest
        return {
          origin: s.origin,
          name: s.name,
          state: s.lobby.state,
          peers: await Promise.all(
            s.peers.announced().map(async ([peerId, v]) => ({
              identity: v.identity,
              path: v.path,
              route: await route(s, peerId),
            })),
          ),
          ...(problem ? { problem } : {}),
        }
      }),
    )
  }

  /** Open handles (status, tests). */
  get size(): number {
    return this.#handles.size
  }

  async #open(
    key: string,
    origin: string,
    name: string,
    req: JoinRequest,
    custom?: CustomLobby,
  ): Promise<Shared> {
    const identity = await this.#opts.identity(req.identity)
    const lease = await this.#opts.swarms.lease(req.identity, req.trackers, req.ice)
    let lobby: Lobby
    try {
      lobby = custom
        ? await custom.open(lease)
        : await Lobby.join({
            swarm: lease.swarm,
            origin,
            name,
            ...(req.maxPeers !== undefined ? { maxPeers: req.maxPeers } : {}),
          })
    } catch (err) {
      lease.release()
      throw err
    }
    const shared: Shared = {
      key,
      origin,
      name,
      identity,
      lobby,
      lease,
      selfAlias: await peerAlias(this.#aliasKey, origin, lease.swarm.peerId),
      handles: new Map(),
      peers: new PeerViews({
        origin,
        name,
        aliasKey: this.#aliasKey,
        replicator: lease.replicator,
        toAll: (event, data) => this.#toAll(shared, event, data as EventsWire[typeof event]),
        notify: (notice) => this.#opts.notify(notice),
      }),
      problem: new ConnectProblem(),
      url: custom?.url ?? `${identity.url}?lobby=${encodeURIComponent(name)}`,
      messages: new LobbyMessages({
        lobby,
        announced: () => messagePeers(lobby, shared.peers.announced()),
        after: (peerId, step) => shared.peers.after(peerId, step),
        toOne: (id, name, data) => {
          const handle = shared.handles.get(id)
          if (handle) this.#send(handle, name, data as EventsWire[typeof name])
        },
        toAll: (name, data) => this.#toAll(shared, name, data as EventsWire[typeof name]),
      }),
    }
    const peers = shared.peers
    // Members we are not connected to learn our name from our presence records.
    lobby.setProfile({ name: identity.name, created: identity.created })
    lobby.on('peer-join', ({ peer }) => peers.joined(peer))
    lobby.on('peer-leave', ({ peer }) => peers.left(peer))
    lobby.on('session-data', ({ peer, data }) => peers.sessionData(peer, data))
    lobby.on('peer-profile', ({ peer }) => {
      if (peer.profile) peers.renamed(peer.peerId, identityOf(peer.identityUrl, peer.profile))
    })
    lobby.on('state', ({ state, paths }) => this.#toAll(shared, 'state', { state, paths }))
    lobby.on('error', ({ error }) => {
      if (shared.problem.report(error)) this.#toAll(shared, 'error', { error: error.toWire() })
    })
    lobby.on('peer-join', ({ peer }) => peer.path !== 'mesh' && shared.problem.connected())
    const stop = lease.replicator?.on('profile', ({ peer, profile }) =>
      peers.renamed(peer.peerId, identityOf(peer.identityUrl, profile)),
    )
    lobby.on('state', ({ state }) => state === 'closed' && stop?.())
    // A custom lobby may have admitted peers before we listened.
    for (const peer of lobby.peers.values()) peers.joined(peer)
    return shared
  }

  #handle(origin: string, id: string, owner: FrameOwner): Handle {
    const handle = this.#handles.get(id)
    // The same answer for a lobby that never was and one of another page.
    if (!handle || handle.origin !== origin || !sameOwner(handle.owner, owner)) {
      throw P2PError.NOT_CONNECTED('this lobby was left or closed')
    }
    return handle
  }

  #drop(handle: Handle): void {
    if (!this.#handles.delete(handle.id)) return
    const shared = handle.shared
    shared.handles.delete(handle.id)
    shared.messages.dropHandle(handle.id)
    if (shared.handles.size > 0) return
    this.#shared.delete(shared.key)
    shared.messages.close()
    shared.lobby.leave()
    shared.lease.release()
  }

  #snapshot(handle: Handle): LobbyWire {
    const { shared } = handle
    const own = shared.lobby.getSessionData()
    return {
      lobby: handle.id,
      name: shared.name,
      url: shared.url,
      state: shared.lobby.state,
      maxPeers: shared.lobby.maxPeers,
      paths: shared.lobby.paths,
      self: {
        id: shared.selfAlias,
        identity: shared.identity,
        sessionData: own ? toBase64(own) : null,
      },
      peers: shared.peers.announced().map(([, v]) => peerWire(v)),
      seq: handle.seq,
    }
  }

  #toAll<N extends keyof EventsWire>(shared: Shared, name: N, data: EventsWire[N]) {
    // Messages that arrived before this event go first.
    if (name !== 'message') shared.messages.flush()
    for (const handle of shared.handles.values()) this.#send(handle, name, data)
  }

  #send<N extends keyof EventsWire>(handle: Handle, name: N, data: EventsWire[N]) {
    this.#opts.notify({
      t: 'evt',
      name,
      data,
      lobby: handle.id,
      seq: ++handle.seq,
      origin: handle.origin,
      to: handle.owner,
    })
  }
}
