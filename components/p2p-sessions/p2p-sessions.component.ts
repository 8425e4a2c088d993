import { html, nothing, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { Friend, Lobby, SessionInfo } from '../../src/index.js'
import { renderAvatar } from '../shared/avatar.js'
import { errorMessage } from '../shared/errors.js'
import { listen } from '../shared/events.js'
import { lockIcon } from '../shared/icons.js'
import { P2PPresenceElement } from '../shared/p2p-element.js'
import { displayName } from '../shared/people.js'
import type { PresenceStatus } from '../shared/presence-controller.js'
import { renderRetry } from '../shared/presence-views.js'
import { renderStatus } from '../shared/status-pill.js'
import { timeAgo } from '../shared/time.js'
import { sessionsStyles } from './p2p-sessions.styles.js'
import { keyOf, SessionJoiner, type JoinFailure, type LiveSession } from './session-joiner.js'

export {
  isPageElsewhere,
  type LiveSession,
  type P2PRequestJoinDetail,
  type P2PSessionJoinDetail,
} from './session-joiner.js'

/** What `<p2p-sessions>` shows; reflected as its `state` attribute. */
export type P2PSessionsState = 'idle' | 'unavailable' | 'needs-permission' | 'ready' | 'error'

/** How often the "2 min ago" times are redrawn, in ms. */
const TICK_MS = 30_000

/**
 * @tagname p2p-sessions
 * @summary Your friends' live sessions, each with a Join button.
 *
 * @description Lists the friends (from `p2p.friends()`) who are online and
 * hosting, newest first, and refreshes on `friendschange`. Join fires the
 * cancelable `p2p-request-join`; unless a listener cancels it, the element
 * asks for the password of a protected session in an inline form, then calls
 * `joinLobby(session.url, { password })` — or, for a session whose URL is
 * another web page, goes there. When the user pressed Join in the
 * extension's popup, which opened this page, the element takes that choice
 * (`p2p.joinIntent()`) and joins it at once, asking for the password first
 * if the session has one.
 *
 * @slot heading - The title; defaults to "Friends' sessions".
 * @slot empty - Shown when no friend is hosting.
 *
 * @fires {CustomEvent<P2PRequestJoinDetail>} p2p-request-join - Join was pressed; cancelable.
 * @fires {CustomEvent<P2PSessionJoinDetail>} p2p-session-join - The element joined a session.
 * @fires {CustomEvent<P2PSessionJoinDetail>} p2p-session-leave - The element left the session it joined, or that session ended.
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

  readonly #joiner = new SessionJoiner(this, this.announcer, () => this.presence.provider)
  #seq = 0
  /** The session chosen in the extension's popup, shown even if friends() leaves it out. */
  #intent: LiveSession | null = null
  #life: AbortController | null = null
  #tick: ReturnType<typeof setInterval> | undefined

  /** The lobby of the session joined here, or null. */
  get lobby(): Lobby | null {
    return this.#joiner.joined?.lobby ?? null
  }

  /** Leaves the session joined here, if any. */
  async leave(): Promise<void> {
    await this.#joiner.leave()
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
      void this.#takeIntent()
    } else if (status === 'needs-permission' || status === 'unavailable') {
      this.#seq++
      void this.#joiner.leave()
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
      this.sessions = this.#withIntent(
        friends
          .filter((f): f is Friend & { session: SessionInfo } => f.online && !!f.session)
          .map((friend) => ({ friend, session: friend.session }))
          .sort((a, b) => b.session.lastUpdate - a.session.lastUpdate),
      )
      this.error = null
      this.state = 'ready'
    } catch (err) {
      if (seq !== this.#seq || this.presence.lost(err)) return
      if (this.#intent) {
        // A site that may not see friends still joins the one the user chose.
        this.sessions = this.#withIntent([])
        this.state = 'ready'
        return
      }
      this.error = err
      this.state = 'error'
    }
  }

  /** `sessions` with the popup's chosen session first when the list lacks it. */
  #withIntent(sessions: LiveSession[]): LiveSession[] {
    const intent = this.#intent
    if (!intent || sessions.some((s) => keyOf(s) === keyOf(intent))) return sessions
    return [intent, ...sessions]
  }

  /** Joins the session the user chose with Join in the extension's popup, if any. */
  async #takeIntent(): Promise<void> {
    const provider = this.presence.provider
    if (!provider) return
    let friend: Friend | null
    try {
      friend = await provider.joinIntent()
    } catch {
      return
    }
    if (!friend?.session) return
    const live: LiveSession = { friend, session: friend.session }
    this.#intent = live
    this.sessions = this.#withIntent(this.sessions)
    if (this.state !== 'ready') this.state = 'ready'
    await this.updateComplete
    await this.#joiner.join(live)
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
      ${this.announcer.render()}
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
    const joiner = this.#joiner
    const joined = joiner.joined !== null && keyOf(joiner.joined.live) === key
    const failure = joiner.failureOf(key)
    const busy = joiner.joining === key
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
      ${joiner.asking === key ? this.#passwordForm(live, failure) : nothing}
      ${
        failure && joiner.asking !== key
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
          @click=${() => void this.#joiner.leave()}
        >
          Leave
        </button>`
    }
    if (this.#joiner.asking === key) return html`${nothing}`
    return html`<button
      part="button join-button"
      class="button"
      type="button"
      data-join=${key}
      aria-label=${`Join ${name}`}
      aria-disabled=${busy ? 'true' : 'false'}
      @click=${() => void this.#joiner.join(live)}
    >
      ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing} Join
    </button>`
  }

  #passwordForm(live: LiveSession, failure: JoinFailure | undefined): TemplateResult {
    const key = keyOf(live)
    const id = `pw-${encodeURIComponent(key)}`
    const busy = this.#joiner.joining === key
    const submit = (event: SubmitEvent): void => {
      event.preventDefault()
      const input = (event.currentTarget as HTMLFormElement).elements.namedItem('password')
      void this.#joiner.join(live, input instanceof HTMLInputElement ? input.value : '')
    }
    const keydown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault()
        this.#joiner.closeForm(key)
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
          @click=${() => this.#joiner.closeForm(key)}
        >
          Cancel
        </button>
      </div>
    </form>`
  }
}
