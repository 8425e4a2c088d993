/**
 * The echo extension's service worker: answers every message on a port with
 * the same message. The bare floor under the page API's round trip.
 */
chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener((message: unknown) => port.postMessage(message))
})
