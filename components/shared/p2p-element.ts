/**
 * Base classes of the `<p2p-*>` elements: the shared `theme` attribute, and
 * for the elements that talk to the page API, the `provider` property and the
 * {@link PresenceController}.
 */
import { LitElement, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import type { P2PProvider } from '../../src/index.js'
import { PresenceController, type PresenceStatus } from './presence-controller.js'

export class P2PElement extends LitElement {
  /** `light` or `dark` forces that palette; without it the element follows the system setting. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined
}

export class P2PPresenceElement extends P2PElement {
  /**
   * The page API to use. Without it the element uses `window.p2p`, or the
   * provider announced through `p2p:announceProvider`, whenever it arrives.
   */
  @property({ attribute: false }) provider: P2PProvider | null = null

  /** Provider discovery and this site's permission. */
  protected readonly presence = new PresenceController(this, (status) =>
    this.presenceChanged(status),
  )

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
}
