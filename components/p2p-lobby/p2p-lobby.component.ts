import { html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import { P2PError } from '../../src/errors.js'
import type { JoinOptions, Lobby, LobbyState, Peer } from '../../src/index.js'
import { renderAvatar } from '../shared/avatar.js'
import { errorCode, errorData, errorMessage } from '../shared/errors.js'
import { emit } from '../shared/events.js'
import { LobbyWatcher } from '../shared/lobby-watcher.js'
import { P2PPresenceElement } from '../shared/p2p-element.js'
import { displayName, type Person } from '../shared/people.js'
import type { PresenceStatus } from '../shared/presence-controller.js'
import { renderRetry, renderSkeleton } from '../shared/presence-views.js'
import { statusOf, type SessionDataFormatter } from '../shared/session-data.js'
import { renderStatus } from '../shared/status-pill.js'
import { LOBBY_LABELS, lobbySummary, type P2PLobbyState } from './lobby-summary.js'
import { lobbyStyles } from './p2p-lobby.styles.js'

export type { P2PLobbyState } from './lobby-summary.js'

/** `detail` of `p2p-lobby-state`. */
export interface P2PLobbyStateDetail {
  state: P2PLobbyState
  /** The joined lobby, or null when there is none (yet). */
  lobby: Lobby | null
  /** Why the element is in `error` or `full` without a lobby; null otherwise. */
  error: { code: string; message: string } | null
}

/** `detail` of `p2p-peer-join` and `p2p-peer-leave`: one connection. */
export interface P2PPeerEventDetail {
  peer: Peer
  lobby: Lobby
}

/**
 * @tagname p2p-lobby
 * @summary A lobby on this page: joins it, and shows you and everyone else
 * who is here, with their status.
 *
 * @description Without a grant for the site it shows a "Show my presence"
 * button that asks for permission and then joins. People are listed once per
 * identity, however many browsers they are in; their status line is their
 * session-data. Joins and leaves are announced to screen readers.
 *
 * @slot heading - The title; defaults to the lobby name.
 * @slot empty - Shown while nobody else is here.
 * @slot actions - Controls of the page's own, under the list.
 *
 * @fires {CustomEvent<P2PLobbyStateDetail>} p2p-lobby-state - The element's `state` changed.
 * @fires {CustomEvent<P2PPeerEventDetail>} p2p-peer-join - A connection joined the lobby.
 * @fires {CustomEvent<P2PPeerEventDetail>} p2p-peer-leave - A connection left the lobby.
 *
 * @csspart header - The title row.
 * @csspart title - The lobby name and the summary line under it.
 * @csspart status - The status pill.
 * @csspart progress - The thin bar under the header, moving while connecting.
 * @csspart body - Everything under the header.
 * @csspart peers - The list of people.
 * @csspart peer - One person (one identity, any number of connections).
 * @csspart self - The person that is you (also has part `peer`).
 * @csspart self-avatar - Your avatar (also has part `avatar`).
 * @csspart name - A person's name.
 * @csspart peer-status - A person's status line (their session-data).
 * @csspart empty - The note shown while nobody else is here.
 * @csspart retry-button - The button that joins again after an error, a full lobby or leaving.
 * @csspart footer - Holds the `actions` slot.
 */
export class P2PLobby extends P2PPresenceElement {
  static override styles = [P2PPresenceElement.styles, lobbyStyles]

  /** The lobby to join; lobbies are per site, so the same name on another site is another lobby. */
  @property({ reflect: true }) name = ''

  /** Most peers the lobby takes (passed to `joinLobby`); unset leaves it to the lobby. */
  @property({ type: Number, attribute: 'max-peers', reflect: true }) maxPeers: number | null = null

  /** Password of a protected lobby. Never reflected, never shown. */
  @property() password: string | null = null

  /** Read-only: what the element is doing, reflected for styling (`p2p-lobby[state='full']`). */
  @property({ reflect: true }) state: P2PLobbyState = 'idle'

  /** Turns a peer's session-data into its status line; the default shows text and hides binary. */
  @property({ attribute: false }) sessionDataFormatter: SessionDataFormatter | null = null

  @state() private error: unknown = null
  @state() private hasActions = false

  readonly #watcher = new LobbyWatcher(this, {
    join: (peer, first) => this.#peerJoined(peer, first),
    leave: (peer, last) => this.#peerLeft(peer, last),
    state: (lobbyState) => this.#lobbyStateChanged(lobbyState),
    error: (err) => this.#lobbyFailed(err),
  })
  /** Increases with every join and leave, so a late answer of an old join is dropped. */
  #seq = 0
  /** The name and options of the current lobby (or pending join). */
  #joinedWith: string | null = null

  /** The joined lobby (the page API object), or null. */
  get lobby(): Lobby | null {
    return this.#watcher.lobby
  }

  /** Joins again (after an error, a full lobby or leaving); a no-op while joined. */
  async rejoin(): Promise<void> {
    if (this.lobby && this.state !== 'closed') return
    await this.#join(true)
  }

  /** Leaves the lobby; the element shows "Join again". */
  async leave(): Promise<void> {
    const lobby = this.lobby
    this.#drop()
    this.#setState('closed')
    await lobby?.leave()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    // Moving the element in the DOM disconnects and reconnects it at once; only leave for real.
    queueMicrotask(() => {
      if (!this.isConnected) this.#drop()
    })
  }

  protected override presenceChanged(status: PresenceStatus): void {
    if (status === 'granted') {
      void this.#join()
    } else if (status === 'needs-permission' || status === 'unavailable') {
      this.#drop()
      this.#setState(status)
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    const options = changed.has('name') || changed.has('maxPeers') || changed.has('password')
    if (options && this.presence.status === 'granted' && this.#key() !== this.#joinedWith)
      void this.#join()
  }

  #key(): string {
    return JSON.stringify([this.name, this.maxPeers, this.password])
  }

  async #join(force = false): Promise<void> {
    const provider = this.presence.provider
    if (!provider || this.presence.status !== 'granted') return
    if (!this.name) {
      this.#drop()
      this.#setState('idle')
      return
    }
    const key = this.#key()
    if (!force && key === this.#joinedWith) return
    this.#drop()
    this.#joinedWith = key
    const seq = ++this.#seq
    this.error = null
    this.#setState('discovering')
    const opts: JoinOptions = {}
    if (this.maxPeers && this.maxPeers > 0) opts.maxPeers = this.maxPeers
    if (this.password) opts.password = this.password
    try {
      const lobby = await provider.joinLobby(this.name, opts)
      if (seq !== this.#seq) {
        lobby.leave().catch(() => undefined)
        return
      }
      this.#watcher.watch(lobby)
      // Always tell: even when the state is unchanged, `detail.lobby` is new.
      this.#setState(this.#watcher.state ?? 'connected', true)
    } catch (err) {
      if (seq !== this.#seq) return
      if (this.presence.lost(err)) return
      this.error = err
      this.#setState(errorCode(err) === 'lobby-full' ? 'full' : 'error')
    }
  }

  /** Forgets the current lobby (leaving it) and any join in flight. */
  #drop(): void {
    this.#seq++
    this.#joinedWith = null
    const lobby = this.#watcher.lobby
    this.#watcher.watch(null)
    lobby?.leave().catch(() => undefined)
  }

  #setState(next: P2PLobbyState, always = false): void {
    if (next === this.state && !always) return
    this.state = next
    const lobby = this.lobby
    const label = this.name || 'the lobby'
    if (next === 'connected') this.announcer.announce(`Connected to ${label}.`)
    if (next === 'full') this.announcer.announce(`${label} is full.`)
    if (next === 'error') this.announcer.announce(errorMessage(this.error))
    if (next === 'closed') this.announcer.announce(`You left ${label}.`)
    emit<P2PLobbyStateDetail>(this, 'p2p-lobby-state', {
      state: next,
      lobby,
      error: this.error && (next === 'error' || next === 'full') ? errorData(this.error) : null,
    })
  }

  #peerJoined(peer: Peer, first: boolean): void {
    const lobby = this.lobby
    if (!lobby) return
    if (first) this.announcer.announce(`${displayName(peer.identity)} joined.`)
    // Someone got through after all: the trouble reported earlier is over.
    if (this.state === 'error')
      this.#setState(this.#watcher.state === 'full' ? 'full' : 'connected')
    emit<P2PPeerEventDetail>(this, 'p2p-peer-join', { peer, lobby })
  }

  #peerLeft(peer: Peer, last: boolean): void {
    const lobby = this.lobby
    if (!lobby) return
    if (last) this.announcer.announce(`${displayName(peer.identity)} left.`)
    emit<P2PPeerEventDetail>(this, 'p2p-peer-leave', { peer, lobby })
  }

  #lobbyStateChanged(next: LobbyState): void {
    if (next === 'closed') {
      // leave() stops watching before the lobby closes, so this close came from
      // the extension (its engine went away, or the grant was revoked).
      this.#drop()
      this.error = P2PError.NOT_CONNECTED('the lobby was closed by Porchlight')
      // Already in `error` (e.g. no tracker)? This is news all the same.
      this.#setState('error', true)
      // A revoked grant shows "Show my presence" instead, once the check answers.
      void this.presence.check()
    } else {
      this.#setState(next)
    }
  }

  /**
   * The lobby reported trouble it keeps trying to get past. Alone in the
   * lobby the user should know (it would read "Looking" for ever); with
   * people here, the lobby works.
   */
  #lobbyFailed(err: unknown): void {
    if (!this.lobby || this.#watcher.people(false).length > 0) return
    if (this.state !== 'discovering' && this.state !== 'connecting' && this.state !== 'connected')
      return
    this.error = err
    this.#setState('error')
  }

  readonly #retry = (): void => {
    void this.#join(true)
  }

  readonly #slotChanged = (event: Event): void => {
    const slot = event.target as HTMLSlotElement
    this.hasActions = slot.assignedNodes({ flatten: true }).length > 0
  }

  override render(): TemplateResult {
    const [tone, label] = LOBBY_LABELS[this.state]
    const busy = this.state === 'discovering' || this.state === 'connecting'
    return html`<div part="base" class="card" role="group" aria-labelledby="title">
      <div part="header" class="card-header">
        <div part="title" class="card-title" id="title">
          <slot name="heading">${this.name || 'Lobby'}</slot>
          <span class="card-subtitle">${this.#summary()}</span>
        </div>
        ${renderStatus(tone, label)}
      </div>
      <div
        part="progress"
        class="progress-bar ${busy ? '' : 'idle'}"
        role=${busy ? 'progressbar' : nothing}
        aria-label=${busy ? `${label} for people in ${this.name || 'the lobby'}` : nothing}
        aria-hidden=${busy ? nothing : 'true'}
      ></div>
      <div part="body" class="card-body">
        ${this.#body()}
        <div part="footer" class="footer ${this.hasActions ? 'has-actions' : ''}">
          <slot name="actions" @slotchange=${this.#slotChanged}></slot>
        </div>
      </div>
      ${this.announcer.render()}
    </div>`
  }

  #summary(): string {
    return lobbySummary(this.state, {
      name: this.name,
      maxPeers: this.maxPeers,
      people: this.#watcher.people(true).length,
      joined: this.lobby !== null,
      errorCode: errorCode(this.error),
    })
  }

  #body(): TemplateResult {
    const gate = this.renderGate(
      this.state,
      'Show the people in this lobby that you are here, and see who else is.',
    )
    if (gate) return gate
    switch (this.state) {
      case 'error':
        return renderRetry(errorMessage(this.error), 'Try again', this.#retry)
      case 'closed':
        return renderRetry('You are no longer in this lobby.', 'Join again', this.#retry)
      default:
        if (this.lobby) return this.#people()
        return this.state === 'full'
          ? renderRetry(
              `Every place in ${this.name} is taken. Try again when someone leaves.`,
              'Try again',
              this.#retry,
            )
          : renderSkeleton(2)
    }
  }

  #people(): TemplateResult {
    const people = this.#watcher.people(true)
    const others = people.length - 1
    return html`<ul part="peers" class="people" aria-label=${`People in ${this.name}`}>
        ${people.map((person) => this.#person(person))}
      </ul>
      ${
        others === 0
          ? html`<slot name="empty" part="empty" class="empty"
              >Nobody else is here yet. People appear as they arrive.</slot
            >`
          : nothing
      }`
  }

  #person(person: Person): TemplateResult {
    const name = displayName(person.identity)
    const status = this.#statusOf(person)
    const devices = person.peers.length
    const detail = devices > 1 ? `In ${devices} browsers` : ''
    return html`<li part="peer ${person.isSelf ? 'self' : ''}" class="person">
      ${renderAvatar(person.identity, { parts: person.isSelf ? 'self-avatar' : '' })}
      <div class="who">
        <span class="name-line">
          <span part="name" class="name">${name}</span>
          ${person.isSelf ? html`<span class="tag">You</span>` : nothing}
        </span>
        <span part="peer-status" class="peer-status"
          >${[status, detail].filter(Boolean).join(' · ')}</span
        >
      </div>
    </li>`
  }

  #statusOf(person: Person): string {
    const format = this.sessionDataFormatter ?? undefined
    for (const peer of [...person.peers].reverse()) {
      const text = statusOf(peer, format)
      if (text) return text
    }
    if (person.isSelf) {
      const own = this.lobby?.getSessionData()
      if (own && own.byteLength > 0 && this.lobby)
        return statusOf({ ...this.lobby.self, sessionData: own }, format)
    }
    return ''
  }
}
