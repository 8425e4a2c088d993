// `window.p2p` as pages (and the tests, which act as pages) see it.
import type { Porchlight } from '../extension/page/provider.js'

declare global {
  interface Window {
    p2p: Porchlight
  }
}
