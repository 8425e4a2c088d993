import { html, nothing, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { HostOptions, Lobby, LobbyState, Peer } from '../../src/index.js'
import { avatarStackStyles, renderAvatarStack } from '../shared/avatar-stack.js'
import { CopyController } from '../shared/copy-controller.js'
import { errorMessage } from '../shared/errors.js'
import { emit } from '../shared/events.js'
import { LobbyWatcher } from '../shared/lobby-watcher.js'
import { P2PPresenceElement } from '../shared/p2p-element.js'
import { displayName, shortUrl } from '../shared/people.js'
import type { PresenceStatus } from '../shared/presence-controller.js'
import { renderStatus, type Tone } from '../shared/status-pill.js'
import { hostStyles } from './p2p-host.styles.js'

/** What `<p2p-host>` shows; reflected as its `state` attribute. */
export type P2PHostState =
  'idle' | 'unavailable' | 'needs-permission' | 'ready' | 'starting' | 'hosting'

/** `detail` of `p2p-request-host` (cancelable: cancel it to stop the element from hosting). */
export interface P2PRequestHostDetail {
  options: HostOptions
}

/** `detail` of `p2p-host-start` and `p2p-host-stop`. */
export interface P2PHostEventDetail {
  lobby: Lobby
}

/** Bounds of the "Max people" field. */
export const MIN_PEERS = 2
export const MAX_PEERS = 64
const MAX_NAME = 64

type Field = 'name' | 'maxPeers'

const PILLS: Record<P2PHostState, [Tone, string]> = {
  idle: ['neutral', 'Starting'],
  unavailable: ['neutral', 'Unavailable'],
  'needs-permission': ['neutral', 'Presence off'],
  ready: ['neutral', 'Not hosting'],
  starting: ['progress', 'Starting'],
  hosting: ['success', 'Hosting'],
}

/**
 * @tagname p2p-host
 * @summary Start hosting a session: name it, cap it, optionally protect it
 * with a password; then see who joined, share the link, and stop.
 *
 * @description Calls `p2p.host({ name, maxPeers, password })`, which
 * publishes the session to your friends while it is open. The form checks
 * its fields inline; errors are tied to their fields and announced.
 *
 * @slot heading - The title; defaults to "Host a session" (the session name while hosting).
 *
 * @fires {CustomEvent<P2PRequestHostDetail>} p2p-request-host - Start was pressed with valid fields; cancelable.
 * @fires {CustomEvent<P2PHostEventDetail>} p2p-host-start - The session is open.
 * @fires {CustomEvent<P2PHostEventDetail>} p2p-host-stop - The session closed (Stop, or it ended).
 *
 * @csspart header - The title row.
 * @csspart title - The title and the summary under it.
 * @csspart status - The status pill.
 * @csspart body - Everything under the header.
 * @csspart form - The hosting form.
 * @csspart input - Every field.
 * @csspart name-input - The session name field.
 * @csspart max-peers-input - The "Max people" field.
 * @csspart password-input - The optional password field.
 * @csspart field-error - A field's error.
 * @csspart form-error - Why hosting failed.
 * @csspart stack - The guests' avatars while hosting.
 * @csspart overflow - The "+N" counter past eight guests.
 * @csspart link - The session link row.
 * @csspart start-button - "Start hosting".
 * @csspart stop-button - "Stop hosting".
 * @csspart copy-button - Copies the session link.
 */
export class P2PHost extends P2PPresenceElement {
  static override styles = [P2PPresenceElement.styles, avatarStackStyles, hostStyles]

  /** The session name the form starts with. */
  @property({ reflect: true }) name = ''

  /** The "Max people" the form starts with. */
  @property({ type: Number, attribute: 'max-peers', reflect: true }) maxPeers = 8

  /** Read-only: what the element shows, reflected for styling. */
  @property({ reflect: true }) state: P2PHostState = 'idle'

  @state() private errors: Partial<Record<Field, string>> = {}
  @state() private failure: string | null = null

  readonly #copy = new CopyController(this, this.announcer)
  readonly #watcher = new LobbyWatcher(this, {
    join: (peer, first) => first && this.announcer.announce(`${this.#nameOf(peer)} joined.`),
    leave: (peer, last) => last && this.announcer.announce(`${this.#nameOf(peer)} left.`),
    state: (lobbyState) => this.#lobbyStateChanged(lobbyState),
  })
  /** What the form last held, so that stopping gives the same form back. */
  #draft: { name: string; maxPeers: string; password: string } | null = null
  /** What the open session was started with. */
  #hosted: HostOptions | null = null
  #seq = 0

  /** The hosted session's lobby, or null. */
  get lobby(): Lobby | null {
    return this.#watcher.lobby
  }

  /** Stops hosting. */
  async stop(): Promise<void> {
    const lobby = this.lobby
    if (!lobby) return
    this.#watcher.watch(null)
    this.state = 'ready'
    this.announcer.announce(`Stopped hosting ${lobby.name}.`)
    emit<P2PHostEventDetail>(this, 'p2p-host-stop', { lobby })
    await lobby.leave().catch(() => undefined)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    queueMicrotask(() => {
      if (!this.isConnected) void this.stop()
    })
  }

  protected override presenceChanged(status: PresenceStatus): void {
    if (status === 'granted') {
      if (this.state !== 'hosting' && this.state !== 'starting') this.state = 'ready'
    } else if (status === 'needs-permission' || status === 'unavailable') {
      this.#seq++
      void this.stop()
      this.state = status
    }
  }

  #nameOf(peer: Peer): string {
    return displayName(peer.identity)
  }

  #lobbyStateChanged(next: LobbyState): void {
    if (next !== 'closed') return
    const lobby = this.lobby
    if (!lobby) return
    this.#watcher.watch(null)
    this.state = 'ready'
    this.failure = 'The session ended.'
    this.announcer.announce('The session ended.')
    emit<P2PHostEventDetail>(this, 'p2p-host-stop', { lobby })
  }

  /** Checks the form; returns the options, or null after showing what is wrong. */
  #read(form: HTMLFormElement): HostOptions | null {
    const data = new FormData(form)
    const name = String(data.get('name') ?? '').trim()
    const max = String(data.get('maxPeers') ?? '').trim()
    const password = String(data.get('password') ?? '')
    this.#draft = { name, maxPeers: max, password }
    const errors: Partial<Record<Field, string>> = {}
    if (!name) errors.name = 'Give the session a name.'
    else if (name.length > MAX_NAME) errors.name = `Keep the name under ${MAX_NAME} characters.`
    const maxPeers = Number(max)
    if (!Number.isInteger(maxPeers) || maxPeers < MIN_PEERS || maxPeers > MAX_PEERS)
      errors.maxPeers = `Choose a number from ${MIN_PEERS} to ${MAX_PEERS}.`
    this.errors = errors
    const first = (Object.keys(errors) as Field[])[0]
    if (first) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus(),
      )
      this.announcer.announce(errors[first] ?? '')
      return null
    }
    const options: HostOptions = { name, maxPeers }
    if (password) options.password = password
    return options
  }

  readonly #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault()
    if (this.state !== 'ready') return
    const provider = this.presence.provider
    const options = this.#read(event.currentTarget as HTMLFormElement)
    if (!provider || !options) return
    const allowed = emit<P2PRequestHostDetail>(
      this,
      'p2p-request-host',
      { options },
      { cancelable: true },
    )
    if (!allowed) return
    const seq = ++this.#seq
    this.failure = null
    this.state = 'starting'
    try {
      const lobby = await provider.host(options)
      if (seq !== this.#seq) {
        lobby.leave().catch(() => undefined)
        return
      }
      this.#hosted = options
      this.#watcher.watch(lobby)
      this.state = 'hosting'
      this.announcer.announce(`Hosting ${lobby.name}.`)
      emit<P2PHostEventDetail>(this, 'p2p-host-start', { lobby })
    } catch (err) {
      if (seq !== this.#seq || this.presence.lost(err)) return
      this.state = 'ready'
      this.failure = errorMessage(err)
      this.announcer.announce(this.failure)
    }
  }

  readonly #stop = (): void => {
    void this.stop()
  }

  readonly #copyLink = (): void => {
    if (this.lobby) void this.#copy.copy(this.lobby.url, 'Session link')
  }

  override render(): TemplateResult {
    const [tone, label] = PILLS[this.state]
    const lobby = this.lobby
    return html`<div part="base" class="card" role="group" aria-labelledby="title">
      <div part="header" class="card-header">
        <div part="title" class="card-title" id="title">
          <slot name="heading">${lobby ? lobby.name : 'Host a session'}</slot>
          <span class="card-subtitle">${this.#summary()}</span>
        </div>
        ${renderStatus(tone, label)}
      </div>
      <div part="body" class="card-body">${this.#body()}</div>
      ${this.announcer.render()}
    </div>`
  }

  #summary(): string {
    if (!this.lobby) return 'Your friends see it and can join'
    const here = this.#watcher.people(true).length
    return `${here} of ${this.#hosted?.maxPeers ?? this.maxPeers} here, you included`
  }

  #body(): TemplateResult {
    const gate = this.renderGate(
      this.state,
      'Show your presence to host a session your friends can join.',
    )
    return gate ?? (this.state === 'hosting' ? this.#live() : this.#form())
  }

  #field(
    field: Field,
    label: string,
    input: (describedBy: string | undefined) => TemplateResult,
    hint?: string,
  ): TemplateResult {
    const error = this.errors[field]
    const ids = [hint ? `${field}-hint` : '', error ? `${field}-error` : '']
      .filter(Boolean)
      .join(' ')
    return html`<div class="field">
      <label for=${field}>${label}</label>
      ${input(ids || undefined)}
      ${hint ? html`<span class="hint" id=${`${field}-hint`}>${hint}</span>` : nothing}
      ${
        error
          ? html`<span part="field-error" class="error" id=${`${field}-error`}>${error}</span>`
          : nothing
      }
    </div>`
  }

  #form(): TemplateResult {
    const draft = this.#draft
    const busy = this.state === 'starting'
    return html`<form part="form" novalidate @submit=${this.#submit}>
      ${this.#field(
        'name',
        'Session name',
        (describedBy) =>
          html`<input
            part="input name-input"
            class="input"
            id="name"
            name="name"
            type="text"
            autocomplete="off"
            maxlength=${MAX_NAME + 1}
            .value=${draft?.name ?? this.name}
            aria-invalid=${this.errors.name ? 'true' : 'false'}
            aria-describedby=${describedBy ?? nothing}
          />`,
      )}
      <div class="row-fields">
        ${this.#field(
          'maxPeers',
          'Max people',
          (describedBy) =>
            html`<input
              part="input max-peers-input"
              class="input"
              id="maxPeers"
              name="maxPeers"
              type="number"
              inputmode="numeric"
              min=${MIN_PEERS}
              max=${MAX_PEERS}
              .value=${draft?.maxPeers ?? String(this.maxPeers)}
              aria-invalid=${this.errors.maxPeers ? 'true' : 'false'}
              aria-describedby=${describedBy ?? nothing}
            />`,
        )}
        <div class="field">
          <label for="password">Password</label>
          <input
            part="input password-input"
            class="input"
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            aria-describedby="password-hint"
            .value=${draft?.password ?? ''}
          />
          <span class="hint" id="password-hint">Optional. Friends need it to join.</span>
        </div>
      </div>
      ${this.failure ? html`<p part="form-error" class="form-error">${this.failure}</p>` : nothing}
      <button
        part="button start-button"
        class="button"
        type="submit"
        aria-disabled=${busy ? 'true' : 'false'}
      >
        ${busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
        ${busy ? 'Starting…' : 'Start hosting'}
      </button>
    </form>`
  }

  #live(): TemplateResult {
    const lobby = this.lobby
    if (!lobby) return html`${nothing}`
    const guests = this.#watcher.people(false)
    const count = `${guests.length} ${guests.length === 1 ? 'guest' : 'guests'}`
    const stack =
      guests.length > 0
        ? html`${renderAvatarStack(guests, { max: 8, label: `Guests in ${lobby.name}` })}
            <span class="count" aria-hidden="true">${count}</span>`
        : html`<span class="count">Nobody has joined yet.</span>`
    return html`<div class="live">
      <div class="guests">${stack}</div>
      <div part="link" class="link">
        <span class="link-text" title=${lobby.url}>${shortUrl(lobby.url)}</span>
        ${this.#copy.renderButton('Copy session link', this.#copyLink)}
      </div>
      <div class="actions">
        <button part="button stop-button" class="button danger" type="button" @click=${this.#stop}>
          Stop hosting
        </button>
      </div>
    </div>`
  }
}
