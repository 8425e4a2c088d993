/** Defines `<p2p-identity>`. */
import { defineElement } from '../shared/define.js'
import { P2PIdentity, type P2PIdentityChangeDetail } from './p2p-identity.component.js'

export * from './p2p-identity.component.js'

defineElement('p2p-identity', P2PIdentity)

declare global {
  interface HTMLElementTagNameMap {
    'p2p-identity': P2PIdentity
  }
  interface GlobalEventHandlersEventMap {
    'p2p-identity-change': CustomEvent<P2PIdentityChangeDetail>
  }
}
