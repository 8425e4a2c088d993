import { html, nothing, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { Friend, Lobby, SessionInfo } from '../../src/index.js'
import { Announcer } from '../shared/announcer.js'
import { renderAvatar } from '../shared/avatar.js'
import { errorCode, errorMessage } from '../shared/errors.js'
import { emit, listen } from '../shared/events.js'
import { lockIcon } from '../shared/icons.js'
import { P2PPresenceElement } from '../shared/p2p-element.js'
import { displayName } from '../shared/people.js'
import type { PresenceStatus } from '../shared/presence-controller.js'
import { renderRetry } from '../shared/presence-views.js'
import { renderStatus } from '../shared/status-pill.js'
import { timeAgo } from '../shared/time.js'
import { sessionsStyles } from './p2p-sessions.styles.js'

/** What `<p2p-sessions>` shows; reflected as its `state` attribute. */
export type P2PSessionsState = 'idle' | 'unavailable' | 'needs-permission' | 'ready' | 'error'

/** A friend who is hosting, and their session. */
export interface LiveSession {
  friend: Friend
  session: SessionInfo
}

/** `detail` of `p2p-request-join` (cancelable: cancel it to join your own way). */
export type P2PRequestJoinDetail = LiveSession

/** `detail` of `p2p-session-join` and `p2p-session-leave`. */
export interface P2PSessionJoinDetail extends LiveSession {
  lobby: Lobby
}

/** How often the "2 min ago" times are redrawn, in ms. */
const TICK_MS = 30_000

function keyOf(live: LiveSession): string {
  return live.friend.identity.url
}

/**
 * True when a session URL is a web page other than `here` (this page): joining
 * it means going there. `hyper://` session URLs are joined in place.
 */
export function isPageElsewhere(
  url: string,
  here: { origin: string; pathname: string } = location,
): boolean {
  try {
    const target = new URL(url)
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return false
    return target.origin + target.pathname !== here.origin + here.pathname
  } catch {
    return false
  }
}

/**
 * @tagname p2p-sessions
 * @summary Your friends' live sessions, each with a Join button.
 *
 * @description Lists the friends (from `p2p.friends()`) who are online and
 * hosting, newest first, and refreshes on `friendschange`. Join fires the
 * cancelable `p2p-request-join`; unless a listener cancels it, the element
 * asks for the password of a protected session in an inline form, then calls
 * `joinLobby(session.name, { password })` — or, for a session whose URL is
 * another web page, goes there.
 *
 * @slot heading - The title; defaults to "Friends' sessions".
 * @slot empty - Shown when no friend is hosting.
 *
 * @fires {CustomEvent<P2PRequestJoinDetail>} p2p-request-join - Join was pressed; cancelable.
 * @fires {CustomEvent<P2PSessionJoinDetail>} p2p-session-join - The element joined a session.
 * @fires {CustomEvent<P2PSessionJoinDetail>} p2p-session-leave - The element left the session it joined.
 *
 * @csspart header - The title row.
 * @csspart title - The title and the summary under it.
 * @csspart status - The "Joined" pill of the joined session.
 * @csspart body - Everything under the header.
 * @csspart sessions - The list of sessions.
 * @csspart session - One session.
 * @csspart session-name - The session's name.
 * @csspart meta - Host, places taken and last update.
 * @csspart password-form - The inline password form of a protected session.
 * @csspart password-input - Its password field.
 * @csspart session-error - Why joining a session failed.
 * @csspart empty - The note shown when nobody is hosting.
 * @csspart join-button - A session's Join button.
 * @csspart leave-button - Leaves the joined session.
 * @csspart retry-button - Loads the list again after an error.
 */
export class P2PSessions extends P2PPresenceElement {
  static override styles = [P2PPresenceElement.styles, sessionsStyles]

  /** Read-only: what the element shows, reflected for styling. */
  @property({ reflect: true }) state: P2PSessionsState = 'idle'

  /** The live sessions shown, newest first. */
  @state() sessions: LiveSession[] = []

  @state() private error: unknown = null
  /** The session whose password form is open. */
  @state() private asking: string | null = null
  /** The session being joined right now. */
  @state() private joining: string | null = null
  /** Why joining a session failed, by session. */
  @state() private failures = new Map<string, { code: string; message: string }>()
  @state() private joined: { key: string; lobby: Lobby } | null = null

  readonly #announcer = new Announcer(this)
  #seq = 0
  #life: AbortController | null = null
  #tick: ReturnType<typeof setInterval> | undefined

  /** The lobby of the session joined here, or null. */
  get lobby(): Lobby | null {
    return this.joined?.lobby ?? null
  }

  /** Leaves the session joined here, if any. */
  async leave(): Promise<void> {
    await this.#leaveJoined()
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.#tick = setInterval(() => this.requestUpdate(), TICK_MS)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    clearInterval(this.#tick)
    this.#life?.abort()
    this.#life = null
  }

  protected override presenceChanged(status: PresenceStatus): void {
    this.#life?.abort()
    this.#life = null
    if (status === 'granted') {
      const provider = this.presence.provider
      if (!provider) return
      this.#life = new AbortController()
      listen(provider, 'friendschange', () => void this.refresh(), this.#life.signal)
      void this.refresh()
    } else if (status === 'needs-permission' || status === 'unavailable') {
      this.#seq++
      this.sessions = []
      this.state = status
    }
  }

  /** Reads the friends again. */
  async refresh(): Promise<void> {
    const provider = this.presence.provider
    if (!provider) return
    const seq = ++this.#seq
    try {
      const friends = await provider.friends()
      if (seq !== this.#seq) return
      this.sessions = friends
        .filter((f): f is Friend & { session: SessionInfo } => f.online && !!f.session)
        .map((friend) => ({ friend, session: friend.session }))
        .sort((a, b) => b.session.lastUpdate - a.session.lastUpdate)
      this.error = null
      this.state = 'ready'
    } catch (err) {
      if (seq !== this.#seq || this.presence.lost(err)) return
      this.error = err
      this.state = 'error'
    }
  }

  /** Join pressed: ask the page, then the password if needed, then join. */
  async #join(live: LiveSession, password?: string): Promise<void> {
    const key = keyOf(live)
    if (this.joining) return
    if (password === undefined) {
      if (this.asking === key) {
        this.#focusPassword(key)
        return
      }
      const allowed = emit<P2PRequestJoinDetail>(this, 'p2p-request-join', live, {
        cancelable: true,
      })
      if (!allowed) return
      if (isPageElsewhere(live.session.url)) {
        location.assign(live.session.url)
        return
      }
      if (live.session.protected) {
        this.#openForm(key)
        return
      }
    }
    const provider = this.presence.provider
    if (!provider) return
    this.joining = key
    this.#setFailure(key, null)
    try {
      await this.#leaveJoined()
      const lobby = await provider.joinLobby(live.session.name, password ? { password } : {})
      this.joined = { key, lobby }
      this.asking = null
      this.#announcer.announce(`Joined ${live.session.name}.`)
      emit<P2PSessionJoinDetail>(this, 'p2p-session-join', { ...live, lobby })
    } catch (err) {
      this.#setFailure(key, { code: errorCode(err), message: errorMessage(err) })
      this.#announcer.announce(errorMessage(err))
      if (errorCode(err) === 'wrong-password') this.#focusPassword(key)
    } finally {
      this.joining = null
    }
  }

  async #leaveJoined(): Promise<void> {
    const joined = this.joined
    if (!joined) return
    this.joined = null
    const live = this.sessions.find((s) => keyOf(s) === joined.key)
    await joined.lobby.leave().catch(() => undefined)
    if (live) {
      this.#announcer.announce(`Left ${live.session.name}.`)
      emit<P2PSessionJoinDetail>(this, 'p2p-session-leave', { ...live, lobby: joined.lobby })
    }
  }

  #setFailure(key: string, failure: { code: string; message: string } | null): void {
    const next = new Map(this.failures)
    if (failure) next.set(key, failure)
    else next.delete(key)
    this.failures = next
  }

  #openForm(key: string): void {
    this.asking = key
    this.#setFailure(key, null)
    this.#focusPassword(key)
  }

  #focusPassword(key: string): void {
    void this.updateComplete.then(() => {
      this.renderRoot
        .querySelector<HTMLInputElement>(`input[data-key="${CSS.escape(key)}"]`)
        ?.focus()
    })
  }

  #closeForm(key: string): void {
    this.asking = null
    this.#setFailure(key, null)
    void this.updateComplete.then(() => {
      this.renderRoot
        .querySelector<HTMLButtonElement>(`button[data-join="${CSS.escape(key)}"]`)
        ?.focus()
    })
  }

  readonly #retry = (): void => {
    void this.refresh()
  }

  override render(): TemplateResult {
    const n = this.sessions.length
    const summary =
      this.state === 'ready' ? (n === 0 ? 'Nobody is hosting' : `${n} live now`) : 'Live sessions'
    return html`<div part="base" class="card" role="group" aria-labelledby="title">
      <div part="header" class="card-header">
        <div part="title" class="card-title" id="title">
          <slot name="heading">Friends' sessions</slot>
          <span class="card-subtitle">${summary}</span>
        </div>
      </div>
      <div part="body" class="card-body">${this.#body()}</div>
      ${this.#announcer.render()}
    </div>`
  }

  #body(): TemplateResult {
    const gate = this.renderGate(
      this.state,
      'Show your presence to see which of your friends are hosting, and join them.',
    )
    if (gate) return gate
    if (this.state === 'error')
      return renderRetry(errorMessage(this.error), 'Try again', this.#retry)
    return this.sessions.length === 0
      ? html`<slot name="empty"
          ><p part="empty" class="empty">None of your friends is hosting right now.</p></slot
        >`
      : html`<ul part="sessions" class="sessions" aria-label="Live sessions">
          ${this.sessions.map((live) => this.#session(live))}
        </ul>`
  }

  #session(live: LiveSession): TemplateResult {
    const { friend, session } = live
    const key = keyOf(live)
    const joined = this.joined?.key === key
    const failure = this.failures.get(key)
    const busy = this.joining === key
    return html`<li part="session" class="session ${joined ? 'joined' : ''}">
      <div class="row">
        ${renderAvatar(friend.identity)}
        <div class="who">
          <span part="session-name" class="session-name"
            ><span>${session.name}</span>${
              session.protected
                ? html`<span class="visually-hidden">(password protected)</span>${lockIcon}`
                : nothing
            }</span
          >
          <span part="meta" class="meta"
            >${displayName(friend.identity)} · ${session.peers} of ${session.maxPeers} here ·
            ${timeAgo(session.lastUpdate)}</span
          >
        </div>
        ${this.#action(live, joined, busy)}
      </div>
      ${this.asking === key ? this.#passwordForm(live, failure) : nothing}
      ${
        failure && this.asking !== key
          ? html`<p part="session-error" class="session-error">${failure.message}</p>`
          : nothing
      }
    </li>`
  }

  /** The row's button: Join, or Joined and Leave; none while the password form is open. */
  #action(live: LiveSession, joined: boolean, busy: boolean): TemplateResult {
    const key = keyOf(live)
    const name = live.session.name
    if (joined) {
      return html`${renderStatus('success', 'Joined')}
        <button
          part="button leave-button"
          class="button secondary"
          type="button"
          aria-label=${`Leave ${name}`}
          @click=${() => void this.#leaveJoined()}
        >
          Leave
        </button>`
    }
    if (this.asking === key) return html`${nothing}`
    return html`<button
      part="button join-button"
      class="button"
      type="button"
      data-join=${key}
      aria-label=${`Join ${name}`}
      aria-disabled=${busy ? 'true' : 'false'}
      @click=${() => void this.#join(live)}
    >
      ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing} Join
    </button>`
  }

  #passwordForm(
    live: LiveSession,
    failure: { code: string; message: string } | undefined,
  ): TemplateResult {
    const key = keyOf(live)
    const id = `pw-${encodeURIComponent(key)}`
    const busy = this.joining === key
    const submit = (event: SubmitEvent): void => {
      event.preventDefault()
      const input = (event.currentTarget as HTMLFormElement).elements.namedItem('password')
      const password = input instanceof HTMLInputElement ? input.value : ''
      if (!password) {
        this.#setFailure(key, { code: 'invalid-argument', message: 'Enter the password.' })
        this.#focusPassword(key)
        return
      }
      void this.#join(live, password)
    }
    const keydown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault()
        this.#closeForm(key)
      }
    }
    return html`<form part="password-form" class="password-form" @submit=${submit}>
      <div class="field">
        <label for=${id}>Password for ${live.session.name}</label>
        <input
          part="password-input"
          class="input"
          id=${id}
          name="password"
          type="password"
          autocomplete="off"
          data-key=${key}
          aria-invalid=${failure ? 'true' : 'false'}
          aria-describedby=${failure ? `${id}-error` : nothing}
          @keydown=${keydown}
        />
        ${
          failure
            ? html`<span part="session-error" class="error" id=${`${id}-error`}
                >${failure.message}</span
              >`
            : nothing
        }
      </div>
      <div class="actions">
        <button
          part="button join-button"
          class="button"
          type="submit"
          aria-disabled=${busy ? 'true' : 'false'}
        >
          ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing} Join
        </button>
        <button
          part="button"
          class="button quiet"
          type="button"
          @click=${() => this.#closeForm(key)}
        >
          Cancel
        </button>
      </div>
    </form>`
  }
}
