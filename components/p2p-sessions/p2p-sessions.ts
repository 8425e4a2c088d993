/** Defines `<p2p-sessions>`. */
import { defineElement } from '../shared/define.js'
import {
  P2PSessions,
  type P2PRequestJoinDetail,
  type P2PSessionJoinDetail,
} from './p2p-sessions.component.js'

export * from './p2p-sessions.component.js'

defineElement('p2p-sessions', P2PSessions)

declare global {
  interface HTMLElementTagNameMap {
    'p2p-sessions': P2PSessions
  }
  interface GlobalEventHandlersEventMap {
    'p2p-request-join': CustomEvent<P2PRequestJoinDetail>
    'p2p-session-join': CustomEvent<P2PSessionJoinDetail>
    'p2p-session-leave': CustomEvent<P2PSessionJoinDetail>
  }
}
