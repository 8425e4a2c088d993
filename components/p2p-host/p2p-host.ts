/** Defines `<p2p-host>`. */
import { defineElement } from '../shared/define.js'
import {
  P2PHost,
  type P2PHostEventDetail,
  type P2PRequestHostDetail,
} from './p2p-host.component.js'

export * from './p2p-host.component.js'

defineElement('p2p-host', P2PHost)

declare global {
  interface HTMLElementTagNameMap {
    'p2p-host': P2PHost
  }
  interface GlobalEventHandlersEventMap {
    'p2p-request-host': CustomEvent<P2PRequestHostDetail>
    'p2p-host-start': CustomEvent<P2PHostEventDetail>
    'p2p-host-stop': CustomEvent<P2PHostEventDetail>
  }
}
