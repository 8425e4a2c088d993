/**
 * Follows one Lobby for an element: re-renders on joins, leaves, session-data
 * and state, and tells the element when a *person* (not just a connection)
 * arrives or goes, so that announcements and avatars are one per identity,
 * and when the lobby reports trouble (`error`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type {
  Lobby,
  LobbyErrorEventDetail,
  LobbyState,
  Peer,
  PeerEventDetail,
  StateEventDetail,
} from '../../src/index.js'
import { listen } from './events.js'
import { groupByIdentity, personKey, type Person } from './people.js'

export interface LobbyWatcherEvents {
  /** A connection arrived; `firstOfPerson` when its identity was not here before. */
  join?(peer: Peer, firstOfPerson: boolean): void
  /** A connection went; `lastOfPerson` when its identity has no connection left. */
  leave?(peer: Peer, lastOfPerson: boolean): void
  state?(state: LobbyState): void
  /** The lobby reported trouble (`error` event): e.g. no tracker reachable, a connection failed. */
  error?(error: unknown): void
}

/** The state of a lobby that does not (yet) report one: connected once anyone is here. */
export function currentState(lobby: Lobby): LobbyState {
  return lobby.state ?? (lobby.peers.length > 0 ? 'connected' : 'discovering')
}

export class LobbyWatcher implements ReactiveController {
  #lobby: Lobby | null = null
  #state: LobbyState | null = null
  #life: AbortController | null = null
  readonly #host: ReactiveControllerHost
  readonly #events: LobbyWatcherEvents

  constructor(host: ReactiveControllerHost, events: LobbyWatcherEvents = {}) {
    this.#host = host
    this.#events = events
    host.addController(this)
  }

  get lobby(): Lobby | null {
    return this.#lobby
  }

  /** The last state reported, or inferred when the lobby was handed over. */
  get state(): LobbyState | null {
    return this.#state
  }

  hostConnected(): void {
    if (this.#lobby && !this.#life) this.#subscribe(this.#lobby)
  }

  hostDisconnected(): void {
    this.#life?.abort()
    this.#life = null
  }

  /** Starts following `lobby` (null: none), dropping the previous one's listeners. */
  watch(lobby: Lobby | null): void {
    if (lobby === this.#lobby) return
    this.#life?.abort()
    this.#life = null
    this.#lobby = lobby
    this.#state = lobby ? currentState(lobby) : null
    if (lobby) this.#subscribe(lobby)
    this.#host.requestUpdate()
  }

  /** Everyone here, one entry per identity; with `withSelf`, the page's own identity first. */
  people(withSelf: boolean): Person[] {
    const lobby = this.#lobby
    if (!lobby) return []
    const people = groupByIdentity(lobby.peers, lobby.self)
    return withSelf ? people : people.filter((p) => !p.isSelf)
  }

  #subscribe(lobby: Lobby): void {
    const life = new AbortController()
    this.#life = life
    const { signal } = life
    /** Whether another connection (or the page itself) has the identity of `peer`. */
    const othersOf = (peer: Peer): boolean => {
      const key = personKey(peer)
      if (personKey(lobby.self) === key) return true
      return lobby.peers.some((p) => p.id !== peer.id && personKey(p) === key)
    }
    listen<PeerEventDetail>(
      lobby,
      'peer-join',
      (detail) => {
        if (!detail?.peer) return
        this.#events.join?.(detail.peer, !othersOf(detail.peer))
        // A lobby that reports no state is connected once someone is here.
        if (lobby.state === undefined && this.#state !== 'full' && this.#state !== 'closed')
          this.#setState(currentState(lobby))
        this.#host.requestUpdate()
      },
      signal,
    )
    listen<PeerEventDetail>(
      lobby,
      'peer-leave',
      (detail) => {
        if (!detail?.peer) return
        this.#events.leave?.(detail.peer, !othersOf(detail.peer))
        this.#host.requestUpdate()
      },
      signal,
    )
    listen(lobby, 'session-data', () => this.#host.requestUpdate(), signal)
    // Addition to API.md: a peer's identity became known or changed (a rename).
    listen(lobby, 'peer-update', () => this.#host.requestUpdate(), signal)
    listen<StateEventDetail>(
      lobby,
      'state',
      (detail) => {
        if (detail?.state) this.#setState(detail.state)
      },
      signal,
    )
    // Addition to API.md: trouble the lobby keeps trying to get past.
    listen<LobbyErrorEventDetail>(
      lobby,
      'error',
      (detail) => {
        if (detail?.error) this.#events.error?.(detail.error)
      },
      signal,
    )
  }

  #setState(state: LobbyState): void {
    if (state === this.#state) return
    this.#state = state
    this.#events.state?.(state)
    this.#host.requestUpdate()
  }
}
