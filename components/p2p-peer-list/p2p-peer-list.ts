/** Defines `<p2p-peer-list>`. */
import { defineElement } from '../shared/define.js'
import { P2PPeerList } from './p2p-peer-list.component.js'

export * from './p2p-peer-list.component.js'

defineElement('p2p-peer-list', P2PPeerList)

declare global {
  interface HTMLElementTagNameMap {
    'p2p-peer-list': P2PPeerList
  }
}
