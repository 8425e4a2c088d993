/**
 * Base classes of the `<p2p-*>` elements: the shared `theme` attribute, and
 * for the elements that talk to the page API, the `provider` property and the
 * {@link PresenceController}.
 */
import { LitElement, type CSSResultGroup, type PropertyValues, type TemplateResult } from 'lit'
import { property } from 'lit/decorators.js'
import type { P2PProvider } from '../../src/index.js'
import { Announcer } from './announcer.js'
import { avatarStyles } from './avatar.js'
import { buttonStyles } from './button.styles.js'
import { errorMessage } from './errors.js'
import { FocusKeeper } from './focus-keeper.js'
import { PresenceController, type PresenceStatus } from './presence-controller.js'
import {
  presenceViewStyles,
  renderPresencePrompt,
  renderRetry,
  renderSkeleton,
  renderUnavailable,
} from './presence-views.js'
import { statusStyles } from './status-pill.js'
import { cardStyles, themeStyles } from './theme.styles.js'

/**
 * What every `<p2p-*>` element shares: the palette (light and dark, from
 * `prefers-color-scheme` unless `theme` is set) and the avatar.
 *
 * @csspart avatar - An avatar: initials on the identity's colour.
 *
 * @cssproperty [--p2p-background=#ffffff] - Surfaces (dark: #1c1b19); also the ring around stacked avatars.
 * @cssproperty [--p2p-subtle-background=#f6f4f1] - Quiet surfaces: pills, hovered rows, placeholders, "+N" (dark: #252320).
 * @cssproperty [--p2p-border-color=#e4dfd8] - Borders (dark: #3a3631).
 * @cssproperty [--p2p-text-color=#1c1a17] - Text (dark: #f2eee8).
 * @cssproperty [--p2p-muted-color=#625b52] - Secondary text (dark: #b0a89d).
 * @cssproperty [--p2p-font-family=system-ui] - Font.
 * @cssproperty [--p2p-font-size=14px] - Base font size; everything scales with it.
 * @cssproperty [--p2p-avatar-size=36px] - Avatar diameter.
 */
export class P2PElement extends LitElement {
  /** Subclasses add theirs: `static override styles = [P2PElement.styles, mine]`. */
  static override styles: CSSResultGroup = [themeStyles, avatarStyles]

  /** `light` or `dark` forces that palette; without it the element follows the system setting. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined
}

/**
 * An element that talks to the page API: it finds the provider, follows the
 * site's permission, and shows "Show my presence" until it is granted.
 *
 * @csspart base - The card around everything.
 * @csspart message - An explanation: why to show presence, why Porchlight is unavailable, what went wrong.
 * @csspart button - Every button.
 * @csspart presence-button - The "Show my presence" button.
 * @csspart announcer - The visually hidden live region.
 *
 * @cssproperty [--p2p-accent=#9a4d08] - Primary buttons and focus rings (dark: #f2b34a).
 * @cssproperty [--p2p-on-accent=#ffffff] - Text on accent-coloured buttons (dark: #1c1b19).
 * @cssproperty [--p2p-accent-soft=#fbefd9] - Soft accent background, e.g. the "You" tag (dark: #3a2e1a).
 * @cssproperty [--p2p-success-color=#1f7a4d] - "Connected", "Hosting", "Joined" (dark: #5fcf94).
 * @cssproperty [--p2p-warning-color=#a35a00] - Work under way, "Full" (dark: #f2b34a).
 * @cssproperty [--p2p-danger-color=#b3261e] - Errors and Stop (dark: #ff8a80).
 * @cssproperty [--p2p-focus-color=var(--p2p-accent)] - Focus rings.
 * @cssproperty [--p2p-radius=12px] - Corner radius of the card; controls use two thirds of it.
 * @cssproperty [--p2p-spacing=12px] - Gap between header items.
 */
export class P2PPresenceElement extends P2PElement {
  static override styles: CSSResultGroup = [
    P2PElement.styles,
    cardStyles,
    buttonStyles,
    statusStyles,
    presenceViewStyles,
  ]

  /**
   * The page API to use. Without it the element uses `window.p2p`, or the
   * provider announced through `p2p:announceProvider`, whenever it arrives.
   */
  @property({ attribute: false }) provider: P2PProvider | null = null

  /** The element's polite live region; render it once with `announcer.render()`. */
  protected readonly announcer = new Announcer(this)

  /** Provider discovery and this site's permission. */
  protected readonly presence = new PresenceController(
    this,
    (status) => this.presenceChanged(status),
    (text) => this.announcer.announce(text),
  )

  constructor() {
    super()
    // Keeps focus in the element when the focused control goes away.
    new FocusKeeper(this)
  }

  /** Called when presence changes status; elements start or stop their work here. */
  protected presenceChanged(_status: PresenceStatus): void {}

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    // Only an explicit provider (or taking one away) overrides discovery.
    const set = this.provider ?? changed.get('provider')
    if (
      changed.has('provider') &&
      set &&
      this.isConnected &&
      this.provider !== this.presence.provider
    )
      this.presence.use(this.provider)
  }

  /** The "Show my presence" button's handler: asks for permission (presenceChanged follows). */
  protected readonly showPresence = (): void => {
    void this.presence.request()
  }

  readonly #checkAgain = (): void => {
    void this.presence.check()
  }

  /**
   * The body for the states every presence element shares (`idle`,
   * `unavailable`, `needs-permission`), or null for the element's own states.
   * `explanation` says what showing presence gives the user here.
   */
  protected renderGate(state: string, explanation: string, rows = 2): TemplateResult | null {
    switch (state) {
      case 'idle':
        return renderSkeleton(rows)
      case 'unavailable':
        return this.presence.failure
          ? renderRetry(errorMessage(this.presence.failure), 'Try again', this.#checkAgain)
          : renderUnavailable()
      case 'needs-permission':
        return renderPresencePrompt(this.presence, explanation, this.showPresence)
      default:
        return null
    }
  }
}
