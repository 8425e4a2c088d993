import { html, nothing, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { Identity, IdentityChangeDetail } from '../../src/index.js'
import { renderAvatar } from '../shared/avatar.js'
import { CopyController } from '../shared/copy-controller.js'
import { errorMessage } from '../shared/errors.js'
import { emit, listen } from '../shared/events.js'
import { P2PPresenceElement } from '../shared/p2p-element.js'
import { displayName, shortUrl } from '../shared/people.js'
import type { PresenceStatus } from '../shared/presence-controller.js'
import { DENIED_NOTE, renderPresenceButton, renderRetry } from '../shared/presence-views.js'
import { identityStyles } from './p2p-identity.styles.js'

/** What `<p2p-identity>` shows; reflected as its `state` attribute. */
export type P2PIdentityState = 'idle' | 'unavailable' | 'needs-permission' | 'granted' | 'error'

/** `detail` of `p2p-identity-change`. */
export interface P2PIdentityChangeDetail {
  /** The identity this site sees now, or null when it sees none. */
  identity: Identity | null
}

/**
 * @tagname p2p-identity
 * @summary The identity this site sees: your avatar, name and identity link
 * with a copy button — or "Show my presence" when the site has no grant.
 *
 * @description Follows `permissionchange`: when the user revokes the site in
 * the extension, the element goes back to the button. Follows
 * `identitychange` too: a rename in the extension's options shows at once.
 *
 * @fires {CustomEvent<P2PIdentityChangeDetail>} p2p-identity-change - The identity shown changed (null: none).
 *
 * @csspart name - Your name.
 * @csspart url - The shortened identity link (the full one is its title).
 * @csspart copy-button - Copies the identity link.
 * @csspart retry-button - Reads the identity again after an error.
 */
export class P2PIdentity extends P2PPresenceElement {
  static override styles = [P2PPresenceElement.styles, identityStyles]

  /** Read-only: what the element shows, reflected for styling. */
  @property({ reflect: true }) state: P2PIdentityState = 'idle'

  /** The identity shown, once known. */
  @state() identity: Identity | null = null

  @state() private error: unknown = null

  readonly #copy = new CopyController(this, this.announcer)
  #seq = 0
  /** Listens to the provider's `identitychange` while granted. */
  #renames: AbortController | null = null

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#renames?.abort()
    this.#renames = null
  }

  protected override presenceChanged(status: PresenceStatus): void {
    this.#renames?.abort()
    this.#renames = null
    const provider = this.presence.provider
    if (status === 'granted' && provider) {
      this.#renames = new AbortController()
      listen<IdentityChangeDetail>(
        provider,
        'identitychange',
        (detail) => {
          const renamed = detail?.identity
          if (renamed && renamed.url === this.identity?.url) this.#show('granted', renamed)
          else void this.#load()
        },
        this.#renames.signal,
      )
    }
    if (status === 'granted') void this.#load()
    else if (status === 'needs-permission' || status === 'unavailable') {
      this.#seq++
      this.#show(status, null)
    }
  }

  /** Reads the identity from the provider again. */
  async refresh(): Promise<void> {
    await this.#load()
  }

  async #load(): Promise<void> {
    const provider = this.presence.provider
    if (!provider) return
    const seq = ++this.#seq
    try {
      const identity = await provider.identity()
      if (seq === this.#seq) this.#show('granted', identity)
    } catch (err) {
      if (seq !== this.#seq || this.presence.lost(err)) return
      this.error = err
      this.#show('error', null)
    }
  }

  #show(next: P2PIdentityState, identity: Identity | null): void {
    this.state = next
    const changed = identity?.url !== this.identity?.url || identity?.name !== this.identity?.name
    this.identity = identity
    if (changed) emit<P2PIdentityChangeDetail>(this, 'p2p-identity-change', { identity })
  }

  readonly #copyUrl = (): void => {
    if (this.identity) void this.#copy.copy(this.identity.url, 'Identity link')
  }

  readonly #retry = (): void => {
    void this.#load()
  }

  override render(): TemplateResult {
    return html`<div
        part="base"
        class="card base ${this.state === 'needs-permission' ? 'prompt' : ''}"
        role="group"
        aria-label="Your Porchlight identity"
      >
        ${this.#body()}
      </div>
      ${this.announcer.render()}`
  }

  #body(): TemplateResult {
    if (this.state === 'needs-permission') return this.#prompt()
    const gate = this.renderGate(this.state, '', 1)
    if (gate) return gate
    return this.state === 'error'
      ? renderRetry(errorMessage(this.error), 'Try again', this.#retry)
      : this.#granted()
  }

  /** The compact "Show my presence": where the identity would be, why, and the button. */
  #prompt(): TemplateResult {
    return html`${renderAvatar(null, { size: 'large' })}
      <div class="who">
        <span part="name" class="name">Not shown here</span>
        <span part="message" class="line"
          >${this.presence.denied ? DENIED_NOTE : 'Let this site see who you are.'}</span
        >
      </div>
      ${renderPresenceButton(this.presence, this.showPresence)}`
  }

  #granted(): TemplateResult {
    const identity = this.identity
    if (!identity) return html`${nothing}`
    return html`${renderAvatar(identity, { size: 'large' })}
      <div class="who">
        <span part="name" class="name">${displayName(identity)}</span>
        <span part="url" class="url" title=${identity.url}>${shortUrl(identity.url)}</span>
      </div>
      ${this.#copy.renderButton('Copy identity link', this.#copyUrl)}`
  }
}
