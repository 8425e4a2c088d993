/**
 * The lane frame (src/protocol/lane.ts): a hidden, short-lived frame of the
 * extension that a content relay puts in its page. It takes a port and a
 * token from its parent once, and hands both to the service worker, which a
 * web page cannot reach; then it says so on the parent's reply port, and the
 * relay removes the frame.
 */
import { LANE } from '../../src/protocol/lane.js'
import { isRecord, own } from '../../src/protocol/validate.js'

function onMessage(event: MessageEvent): void {
  const token = isRecord(event.data) ? own(event.data, 'token') : undefined
  const [port, reply] = event.ports
  if (event.source !== parent || typeof token !== 'string' || !port || !reply) return
  removeEventListener('message', onMessage)
  navigator.serviceWorker.ready.then(
    (registration) => {
      registration.active?.postMessage({ t: LANE, token }, [port])
      reply.postMessage(registration.active ? 'sent' : 'failed')
    },
    () => reply.postMessage('failed'),
  )
}

addEventListener('message', onMessage)
