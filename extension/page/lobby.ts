/**
 * A lobby as a page holds it (API.md "Lobbies and peers"): built from the
 * extension's answer to joinLobby, kept current by the lobby's events, which
 * it re-dispatches as DOM events (`peer-join`, `peer-leave`, `peer-update`,
 * `session-data`, `state`, `error`).
 *
 * Events and the join's answer travel by different routes, so events carry a
 * per-lobby sequence number: those the snapshot already includes are skipped.
 * Everything that arrives is checked; a malformed event is dropped.
 */
import { fromBase64, toBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import type {
  Lobby,
  LobbyState,
  PathCounts,
  Peer,
  PeerPath,
  RequestResult,
} from '../../src/api/types.js'
import { sessionDataBytes } from '../../src/lobby/session-data.js'
import {
  isPeerAlias,
  isPeerPath,
  pathCountsOf,
  samePathCounts,
  type LobbyWire,
  type PeerWire,
} from '../../src/protocol/lobby.js'
import { EventOrder } from '../../src/protocol/event-order.js'
import type { EventMessage, Identity } from '../../src/protocol/messages.js'
import { isRecord, own } from '../../src/protocol/validate.js'
import { PageMessages } from './lobby-messages.js'

const STATES: readonly LobbyState[] = ['discovering', 'connecting', 'connected', 'full', 'closed']

/** Calls the page client makes on a lobby's behalf. */
export type LobbyCall = (method: string, params: unknown) => Promise<unknown>

function bytes(raw: unknown): Uint8Array | null {
  if (typeof raw !== 'string') return null
  try {
    return fromBase64(raw, 'session data')
  } catch {
    return null
  }
}

function identityOf(raw: unknown): Identity | null {
  if (!isRecord(raw)) return null
  const url = own(raw, 'url')
  const name = own(raw, 'name')
  const created = own(raw, 'created')
  if (typeof url !== 'string' || typeof name !== 'string' || typeof created !== 'number') {
    return null
  }
  return Object.freeze({ url, name, created })
}

/** A peer; the same object for as long as it is in the lobby, updated in place. */
export class PagePeer implements Peer {
  readonly id: string
  #path: PeerPath | null
  #identity: Identity | null
  #sessionData: Uint8Array | null

  constructor(
    id: string,
    identity: Identity | null,
    sessionData: Uint8Array | null,
    path: PeerPath | null = null,
  ) {
    this.id = id
    this.#path = path
    this.#identity = identity
    this.#sessionData = sessionData
  }

  /** How we reach this peer (`mesh`: through others, not connected); null for self. */
  get path(): PeerPath | null {
    return this.#path
  }

  get identity(): Identity | null {
    return this.#identity
  }

  /** A copy: a page cannot change what the lobby holds. */
  get sessionData(): Uint8Array | null {
    return this.#sessionData ? Uint8Array.from(this.#sessionData) : null
  }

  /** @internal */
  update(wire: PeerWire): void {
    this.#identity = identityOf(wire.identity) ?? this.#identity
    const data = bytes(wire.sessionData)
    if (data) this.#sessionData = data
    // A peer known through the mesh that we connected to (or the reverse).
    if (wire.path) this.#path = wire.path
  }

  /** @internal */
  setSessionData(data: Uint8Array | null): void {
    this.#sessionData = data
  }
}

function parsePeer(raw: unknown): PeerWire | null {
  if (!isRecord(raw)) return null
  const id = own(raw, 'id')
  if (!isPeerAlias(id)) return null
  const sessionData = own(raw, 'sessionData')
  const path = own(raw, 'path')
  return {
    id,
    identity: identityOf(own(raw, 'identity')),
    sessionData: typeof sessionData === 'string' ? sessionData : null,
    ...(isPeerPath(path) ? { path } : {}),
  }
}

function newPeer(wire: PeerWire): PagePeer {
  return new PagePeer(wire.id, wire.identity, bytes(wire.sessionData), wire.path ?? null)
}

/** Path counts from the extension, checked; null when absent or malformed. */
function pathsOf(raw: unknown): PathCounts | null {
  return isRecord(raw) ? pathCountsOf(raw) : null
}

export class PageLobby extends EventTarget implements Lobby {
  readonly id: string
  readonly name: string
  readonly url: string
  readonly maxPeers: number
  readonly self: PagePeer
  readonly #peers = new Map<string, PagePeer>()
  readonly #call: LobbyCall
  #state: LobbyState
  #paths: PathCounts = {}
  readonly #order: EventOrder
  readonly #messages: PageMessages

  constructor(wire: LobbyWire, call: LobbyCall) {
    super()
    this.id = wire.lobby
    this.name = wire.name
    this.url = wire.url
    this.maxPeers = wire.maxPeers
    this.#state = wire.state
    this.#order = new EventOrder({ seq: wire.seq, apply: (evt) => this.#apply(evt) })
    this.#paths = pathsOf(wire.paths) ?? {}
    this.#call = call
    const self = parsePeer(wire.self)
    if (!self) throw P2PError.PROTOCOL_ERROR('extension', 'a lobby without self')
    this.self = newPeer(self)
    for (const raw of wire.peers) {
      const peer = parsePeer(raw)
      if (peer) this.#peers.set(peer.id, newPeer(peer))
    }
    this.#messages = new PageMessages({
      lobby: this.id,
      call,
      peer: (alias) => this.#peers.get(alias) ?? new PagePeer(alias, null, null),
      has: (alias) => this.#peers.has(alias),
      open: () => {
        if (this.#state === 'closed') throw P2PError.NOT_CONNECTED(`left lobby "${this.name}"`)
      },
      emit: (type, detail) => this.#emit(type, detail),
    })
  }

  get peers(): Peer[] {
    return [...this.#peers.values()]
  }

  get state(): LobbyState {
    return this.#state
  }

  /** Addition: how many peers each signaling path connected (also in the `state` event). */
  get paths(): PathCounts {
    return { ...this.#paths }
  }

  async setSessionData(data: Uint8Array | string): Promise<void> {
    const value = sessionDataBytes(data)
    if (this.#state === 'closed') throw P2PError.NOT_CONNECTED(`left lobby "${this.name}"`)
    await this.#call('lobby.setSessionData', { lobby: this.id, data: toBase64(value) })
    this.self.setSessionData(value)
  }

  getSessionData(): Uint8Array | null {
    return this.self.sessionData
  }

  async leave(): Promise<void> {
    if (this.#state === 'closed') return
    this.#setState('closed')
    this.#peers.clear()
    await this.#call('lobby.leave', { lobby: this.id })
  }

  /** To every peer; resolves once the extension took it (see ./lobby-messages.ts). */
  broadcast(data: unknown): Promise<void> {
    return this.#messages.broadcast(data)
  }

  /** To one peer (its `id`). */
  send(peerId: string, data: unknown): Promise<void> {
    return this.#messages.send(peerId, data)
  }

  /** Answers requests for `module`; `fn(data, from)` returns (or resolves to) the answer. */
  handle(module: string, fn: ((data: unknown, from: Peer) => unknown) | null): Promise<void> {
    return this.#messages.handle(module, fn)
  }

  /** Asks `module` of the peers `selector` names; one result per peer (addition: `opts.timeout`). */
  request(
    selector: string,
    module: string,
    data: unknown,
    opts?: { timeout?: number },
  ): Promise<RequestResult[]> {
    return this.#messages.request(selector, module, data, opts)
  }

  /** Takes one event from the extension, applied in order (older than the snapshot: ignored). */
  receive(evt: EventMessage): void {
    if (this.#state !== 'closed') this.#order.push(evt)
  }

  #apply(evt: EventMessage): void {
    if (this.#state === 'closed') return
    const data = evt.data
    if (!isRecord(data)) return
    if (evt.name === 'state') {
      const state = own(data, 'state')
      const paths = pathsOf(own(data, 'paths'))
      if (STATES.includes(state as LobbyState)) this.#setState(state as LobbyState, paths)
      return
    }
    if (evt.name === 'error') {
      const error = P2PError.fromWire(own(data, 'error'))
      this.dispatchEvent(new CustomEvent('error', { detail: { error } }))
      return
    }
    if (this.#messages.receive(evt.name, data)) return
    const wire = parsePeer(own(data, 'peer'))
    if (!wire) return
    if (evt.name === 'peer-join') this.#join(wire)
    else if (evt.name === 'peer-leave') this.#leave(wire)
    else if (evt.name === 'peer-update') this.#update(wire)
    else if (evt.name === 'session-data') this.#sessionData(wire, own(data, 'data'))
  }

  #emit(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  #join(wire: PeerWire): void {
    if (this.#peers.has(wire.id)) return this.#update(wire)
    const peer = newPeer(wire)
    this.#peers.set(peer.id, peer)
    this.#emit('peer-join', { peer })
  }

  #leave(wire: PeerWire): void {
    const peer = this.#peers.get(wire.id)
    if (!peer) return
    this.#peers.delete(wire.id)
    this.#emit('peer-leave', { peer })
  }

  #update(wire: PeerWire): void {
    const peer = this.#peers.get(wire.id)
    if (!peer) return
    peer.update(wire)
    this.#emit('peer-update', { peer })
  }

  #sessionData(wire: PeerWire, raw: unknown): void {
    const peer = this.#peers.get(wire.id)
    const data = bytes(raw)
    if (!peer || !data) return
    peer.setSessionData(data)
    this.#emit('session-data', { peer, data: Uint8Array.from(data) })
  }

  #setState(state: LobbyState, paths: PathCounts | null = null): void {
    if (state === this.#state && (!paths || samePathCounts(paths, this.#paths))) return
    this.#state = state
    if (paths) this.#paths = paths
    if (state === 'closed') {
      this.#order.clear()
      this.#messages.close(P2PError.NOT_CONNECTED(`left lobby "${this.name}"`))
    }
    this.#emit('state', { state, paths: this.paths })
  }
}
