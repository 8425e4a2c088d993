/**
 * Bench page: round trips of page API calls through Porchlight's
 * `window.p2p`, and of the same shape of path through the echo extension
 * (page ⇄ content script ⇄ service worker, nothing else), one call at a time.
 */
import { ECHO_HANDSHAKE } from '../echo-extension/protocol.js'
import { now } from './peers.js'

/** Page API calls the bench times: `status` reaches the engine, `permission` stays in the SW. */
export type TimedCall = 'status' | 'permission'

let echoPort: MessagePort | null = null

function echoConnect(): Promise<MessagePort> {
  if (echoPort) return Promise.resolve(echoPort)
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as Record<string, unknown> | null
      if (event.source !== window || data?.[ECHO_HANDSHAKE] !== 'port' || !event.ports[0]) return
      window.removeEventListener('message', onMessage)
      echoPort = event.ports[0]
      resolve(echoPort)
    }
    window.addEventListener('message', onMessage)
    window.postMessage(ECHO_HANDSHAKE, '*')
  })
}

/** Round trips (ms) of `count` echoes, one at a time. */
async function echoRtts(count: number): Promise<number[]> {
  const port = await echoConnect()
  const rtts: number[] = []
  for (let i = 0; i < count; i++) {
    const start = now()
    await new Promise<void>((resolve) => {
      port.onmessage = () => resolve()
      port.postMessage({ t: 'req', id: i, method: 'echo' })
    })
    rtts.push(now() - start)
  }
  return rtts
}

/** Round trips (ms) of `count` calls of `p2p[method]()`, one at a time. */
async function callRtts(method: TimedCall, count: number): Promise<number[]> {
  const rtts: number[] = []
  for (let i = 0; i < count; i++) {
    const start = now()
    await window.p2p[method]()
    rtts.push(now() - start)
  }
  return rtts
}

const api = { echoRtts, callRtts }

declare global {
  interface Window {
    benchApi: typeof api
  }
}

window.benchApi = api
