/**
 * The service worker's part in lobby lanes (src/protocol/lane.ts): it hands a
 * granted document a one-time token, and passes the port that the lane frame
 * brings with that token on to the engine, bound to the document and origin
 * the token was made for. Nothing the frame says names either.
 */
import { bytesToHex, randomBytes } from '@noble/curves/utils.js'
import { isGrantableOrigin, senderOrigin } from '../../src/permissions/origin.js'
import { LANE, LANE_OPEN, LANE_PAGE, LaneTokens, type LaneTicket } from '../../src/protocol/lane.js'
import { isRecord, own } from '../../src/protocol/validate.js'
import { ENGINE_PATH } from './engine-link.js'
import { grantFor } from './grants.js'
import { frameOwnerOf } from './page-ports.js'

const tokens = new LaneTokens()

/** The parts of the worker's Clients API used here (the DOM lib has no worker types). */
interface WorkerClient {
  url: string
  postMessage(message: unknown, transfer: Transferable[]): void
}
interface WorkerScope {
  clients: {
    matchAll(opts: { includeUncontrolled: boolean; type: 'window' }): Promise<WorkerClient[]>
  }
}
/** A `message` event of the worker: from one of its clients, with ports, kept alive by waitUntil. */
export interface WorkerMessageEvent {
  data: unknown
  source: unknown
  ports: readonly MessagePort[]
  waitUntil(promise: Promise<unknown>): void
}

/**
 * `runtime.onMessage` listener: a relay asks for its document's lane. Answers
 * a LaneTicket, or null when the document may not have one; ignores anything
 * else.
 */
export function onLaneOpen(
  message: unknown,
  sender: chrome.runtime.MessageSender,
  respond: (ticket: LaneTicket | null) => void,
): boolean {
  if (message !== LANE_OPEN || sender.id !== chrome.runtime.id) return false
  const origin = senderOrigin(sender)
  const owner = frameOwnerOf(sender)
  // A lane follows one document: without its id a later document in the frame could inherit it.
  if (!owner?.documentId || !origin || !isGrantableOrigin(origin)) {
    respond(null)
    return false
  }
  grantFor(origin).then(
    (grant) => {
      if (!grant) return respond(null)
      const token = tokens.mint({ origin, owner }, bytesToHex(randomBytes(16)))
      respond({ token, url: chrome.runtime.getURL(LANE_PAGE) })
    },
    () => respond(null),
  )
  return true
}

/** The engine document among the worker's clients (offscreen documents are clients too). */
async function engineClient(): Promise<WorkerClient | undefined> {
  const url = chrome.runtime.getURL(ENGINE_PATH)
  const scope = globalThis as unknown as WorkerScope
  const all = await scope.clients.matchAll({ includeUncontrolled: true, type: 'window' })
  return all.find((c) => c.url === url)
}

function isLaneFrame(source: unknown): boolean {
  // Only documents of this extension are clients of its worker; of those, only the lane page.
  // (A Client's url is an accessor on its prototype, not an own property.)
  const url = typeof source === 'object' && source !== null ? Reflect.get(source, 'url') : null
  if (typeof url !== 'string') return false
  try {
    return new URL(url).pathname === `/${LANE_PAGE}`
  } catch {
    return false
  }
}

/** The worker's `message` listener: a lane frame brings a port and its token. */
export function onLaneMessage(event: WorkerMessageEvent): void {
  const data: unknown = event.data
  if (!isRecord(data) || own(data, 't') !== LANE || !isLaneFrame(event.source)) return
  const port = event.ports[0]
  const binding = tokens.take(own(data, 'token'))
  if (!port || !binding) return port?.close()
  event.waitUntil(
    engineClient().then((engine) => {
      // No engine (it was closed meanwhile): the page keeps using the long way.
      if (!engine) return port.close()
      engine.postMessage({ t: LANE, origin: binding.origin, owner: binding.owner }, [port])
    }),
  )
}
