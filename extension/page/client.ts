/**
 * The page client: the page API of API.md, running in the page's MAIN world.
 * It arrives with the element bundle on first use (see src/protocol/page.ts)
 * and talks to the content bridge over the port the page script holds.
 * Everything that comes back is parsed; errors are rebuilt as P2PError.
 */
import type { Friend, JoinOptions } from '../../src/api/types.js'
import { fromBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import { RpcClient } from '../../src/protocol/client.js'
import type { LobbyWire, RetainedSessionData } from '../../src/protocol/lobby.js'
import {
  LANE_ALIVE,
  LANE_METHODS,
  LANE_PROBE,
  LANE_READY,
  LaneWatch,
} from '../../src/protocol/lane.js'
import type {
  EngineStatus,
  EventMessage,
  Identity,
  PageMethod,
  PermissionState,
} from '../../src/protocol/messages.js'
import type { PageClient } from '../../src/protocol/page.js'
import { isRecord, objectParams, own, parseEvent } from '../../src/protocol/validate.js'
import { parseFriend, parseFriends } from './friends.js'
import { PageLobby } from './lobby.js'

/** Events for a lobby whose join answer has not arrived yet: kept this long, at most this many. */
const EARLY_EVENT_MS = 10_000
const MAX_EARLY_EVENTS = 256

/** What the extension kept of a lobby's session-data for this site. */
export interface Retained {
  self: Uint8Array | null
  peers: Array<{ identity: string; data: Uint8Array; at: number }>
}

export class Client implements PageClient {
  readonly #rpc = new RpcClient()
  readonly #port: MessagePort
  readonly #lobbies = new Map<string, PageLobby>()
  readonly #early: Array<{ evt: EventMessage; at: number }> = []

  /** The lobby lane (src/protocol/lane.ts), with its own calls; used once the engine is ready on it. */
  #lane: { port: MessagePort; rpc: RpcClient; ready: boolean; watch: LaneWatch } | null = null

  constructor(_provider: EventTarget, port: MessagePort) {
    this.#port = port
    port.addEventListener('message', (e: MessageEvent) => {
      if (this.#rpc.receive(e.data)) return
      const kind = isRecord(e.data) ? own(e.data, 't') : undefined
      if (kind === 'lane' && e.ports[0]) return this.#offerLane(e.ports[0])
      if (kind === 'lane-closed') return this.#dropLane()
      this.#event(e.data)
    })
    port.start()
  }

  #event(raw: unknown): void {
    const evt = parseEvent(raw)
    if (evt?.lobby) this.#lobbyEvent(evt)
  }

  /** The relay's new lane: used once the engine says it is ready on it. */
  #offerLane(port: MessagePort): void {
    this.#dropLane()
    const rpc = new RpcClient()
    const watch = new LaneWatch({
      waiting: () => rpc.waiting > 0,
      probe: () => port.postMessage({ t: LANE_PROBE }),
      dead: () => {
        if (this.#lane === lane) this.#dropLane()
      },
    })
    const lane = { port, rpc, ready: false, watch }
    this.#lane = lane
    port.onmessage = (e: MessageEvent) => {
      watch.heard()
      if (rpc.receive(e.data)) return
      const kind = isRecord(e.data) ? own(e.data, 't') : undefined
      if (kind === LANE_READY) lane.ready = true
      else if (kind !== LANE_ALIVE) this.#event(e.data)
    }
  }

  /** The lane's engine end is gone (the engine or this document's lobbies went away, or it went silent). */
  #dropLane(): void {
    this.#lane?.watch.stop()
    this.#lane?.rpc.failAll(P2PError.EXTENSION_UNAVAILABLE('the extension restarted; try again'))
    this.#lane?.port.close()
    this.#lane = null
  }

  #call<T>(method: string, params?: unknown): Promise<T> {
    const lane = this.#lane
    if (lane?.ready && LANE_METHODS.has(method as PageMethod)) {
      const answer = lane.rpc.call<T>((message) => lane.port.postMessage(message), method, params)
      lane.watch.sent()
      return answer
    }
    return this.#rpc.call((message) => this.#port.postMessage(message), method, params)
  }

  permission(): Promise<PermissionState> {
    return this.#call('permission')
  }

  /** Opens the extension's prompt; resolves with the identity the site may see. */
  requestPermission(): Promise<Identity> {
    return this.#call('requestPermission')
  }

  /** The page gives up its own grant. */
  async revokePermission(): Promise<void> {
    await this.#call('revokePermission')
  }

  /** The identity this site was granted. */
  identity(): Promise<Identity> {
    return this.#call('identity')
  }

  /** Addition to API.md: the extension's version and engine uptime. */
  status(): Promise<EngineStatus> {
    return this.#call('status')
  }

  /** Joins lobby `name` of this site: resolves once the extension announced it. */
  async joinLobby(name: unknown, opts: unknown = {}): Promise<PageLobby> {
    if (typeof name !== 'string') throw P2PError.INVALID_ARGUMENT('a lobby name must be a string')
    if (!isRecord(opts)) throw P2PError.INVALID_ARGUMENT('joinLobby options must be an object')
    // Checked again by the extension; here so that a typo fails where it was made.
    objectParams('joinLobby', opts, ['maxPeers', 'password'])
    const { maxPeers, password } = opts as JoinOptions
    const params = {
      name,
      ...(maxPeers !== undefined ? { maxPeers } : {}),
      ...(password !== undefined ? { password } : {}),
    }
    return this.#adopt(await this.#call<LobbyWire>('joinLobby', params))
  }

  /**
   * Hosts a session: a lobby of this site that friends see in their
   * `friends()` and join by its `url` (with the password, if any).
   */
  async host(opts: unknown): Promise<PageLobby> {
    if (!isRecord(opts)) throw P2PError.INVALID_ARGUMENT('host takes { name, maxPeers, password }')
    objectParams('host', opts, ['name', 'maxPeers', 'password'])
    return this.#adopt(await this.#call<LobbyWire>('host', { ...opts }))
  }

  /** The user's friends, online or not, with their live sessions on this site. */
  async friends(): Promise<Friend[]> {
    return parseFriends(await this.#call('friends'))
  }

  /** A token to hand to someone: whoever accepts it becomes a friend (once, within a day). */
  createInvite(): Promise<string> {
    return this.#call('createInvite')
  }

  /** Accepts a friend's invite token; both are friends once it resolves. */
  async acceptInvite(token: unknown): Promise<Friend> {
    if (typeof token !== 'string') throw P2PError.INVALID_ARGUMENT('an invite token is a string')
    const friend = parseFriend(await this.#call('acceptInvite', { token }))
    if (!friend) throw P2PError.from(new Error('malformed answer to acceptInvite'))
    return friend
  }

  /** The session the user chose to join from the extension's popup (this tab), once. */
  async joinIntent(): Promise<Friend | null> {
    const raw = await this.#call('joinIntent')
    return raw === null ? null : parseFriend(raw)
  }

  #adopt(wire: LobbyWire): PageLobby {
    const lobby = new PageLobby(wire, (method, p) => this.#call(method, p))
    this.#lobbies.set(lobby.id, lobby)
    lobby.addEventListener('state', () => {
      if (lobby.state === 'closed') this.#lobbies.delete(lobby.id)
    })
    const mine: EventMessage[] = []
    for (const early of this.#early.splice(0)) {
      if (early.evt.lobby === lobby.id) mine.push(early.evt)
      else if (performance.now() - early.at < EARLY_EVENT_MS) this.#early.push(early)
    }
    // Events that came before the answer fire once the caller has the lobby
    // and could listen (later ones wait for them: the lobby orders by seq).
    if (mine.length > 0) setTimeout(() => mine.forEach((evt) => lobby.receive(evt)), 0)
    return lobby
  }

  /** Addition to API.md: the session-data the extension kept for lobby `name` of this site. */
  async retainedSessionData(name: unknown): Promise<Retained> {
    if (typeof name !== 'string') throw P2PError.INVALID_ARGUMENT('a lobby name must be a string')
    const raw = await this.#call<RetainedSessionData | null>('retainedSessionData', { name })
    const self = isRecord(raw) ? own(raw, 'self') : null
    const peers = isRecord(raw) ? own(raw, 'peers') : null
    return {
      self: typeof self === 'string' ? fromBase64(self, 'session data') : null,
      peers: (Array.isArray(peers) ? peers : []).flatMap((p: unknown) => {
        const identity = isRecord(p) ? own(p, 'identity') : undefined
        const data = isRecord(p) ? own(p, 'data') : undefined
        const at = isRecord(p) ? own(p, 'at') : undefined
        if (typeof identity !== 'string' || typeof data !== 'string' || typeof at !== 'number') {
          return []
        }
        return [{ identity, data: fromBase64(data, 'session data'), at }]
      }),
    }
  }

  #lobbyEvent(evt: EventMessage): void {
    const lobby = this.#lobbies.get(evt.lobby ?? '')
    if (lobby) return lobby.receive(evt)
    // Its join answer is still on its way.
    if (this.#early.length >= MAX_EARLY_EVENTS) this.#early.shift()
    this.#early.push({ evt, at: performance.now() })
  }
}

export { P2PError }
