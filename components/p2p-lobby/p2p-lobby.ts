/** Defines `<p2p-lobby>`. */
import { defineElement } from '../shared/define.js'
import {
  P2PLobby,
  type P2PLobbyStateDetail,
  type P2PPeerEventDetail,
} from './p2p-lobby.component.js'

export * from './p2p-lobby.component.js'

defineElement('p2p-lobby', P2PLobby)

declare global {
  interface HTMLElementTagNameMap {
    'p2p-lobby': P2PLobby
  }
  interface GlobalEventHandlersEventMap {
    'p2p-lobby-state': CustomEvent<P2PLobbyStateDetail>
    'p2p-peer-join': CustomEvent<P2PPeerEventDetail>
    'p2p-peer-leave': CustomEvent<P2PPeerEventDetail>
  }
}
