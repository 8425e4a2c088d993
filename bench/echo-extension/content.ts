/**
 * The echo extension's content script: the same shape as Porchlight's bridge
 * (a MessagePort to the page, a runtime.Port to the service worker, opened
 * on the first message), relaying without checking anything.
 */
import { ECHO_HANDSHAKE } from './protocol.js'

let extPort: chrome.runtime.Port | null = null

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window || event.data !== ECHO_HANDSHAKE) return
  const channel = new MessageChannel()
  const page = channel.port1
  page.onmessage = ({ data }: MessageEvent) => {
    if (!extPort) {
      extPort = chrome.runtime.connect({ name: 'echo' })
      extPort.onMessage.addListener((message: unknown) => page.postMessage(message))
      extPort.onDisconnect.addListener(() => (extPort = null))
    }
    extPort.postMessage(data)
  }
  window.postMessage({ [ECHO_HANDSHAKE]: 'port' }, '*', [channel.port2])
})
