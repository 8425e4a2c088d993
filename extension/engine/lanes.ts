/**
 * The engine's lobby lanes (src/protocol/lane.ts): ports straight to pages,
 * each bound by the service worker to one document of one granted origin.
 *
 * A lane is as untrusted as the page at its other end. Its calls are limited
 * to LANE_METHODS, rate-limited and checked like the gatekeeper's, and reach
 * only the lobby handles of its own document, which that document got through
 * the gatekeeper. The document's lobby events then go over its lane. A lane
 * closes with its document (`frames.gone`) or with the engine.
 */
import { P2PError } from '../../src/errors.js'
import { PageBudgets } from '../../src/permissions/rate-limit.js'
import {
  LANE,
  LANE_ALIVE,
  LANE_METHODS,
  LANE_PROBE,
  LANE_READY,
  type LaneBinding,
} from '../../src/protocol/lane.js'
import {
  isGone,
  sameOwner,
  type EngineNotice,
  type FrameOwner,
  type GoneFrames,
  type PageMethods,
} from '../../src/protocol/messages.js'
import { checkParams, isPageMethod } from '../../src/protocol/params.js'
import { serve } from '../../src/protocol/serve.js'
import { isRecord, own, parseFrameOwner } from '../../src/protocol/validate.js'

/** What the lanes need of the rest of the engine. */
export interface LaneDeps {
  setSessionData(
    origin: string,
    p: PageMethods['lobby.setSessionData']['params'] & { owner: FrameOwner },
  ): Promise<{ name: string }>
  post(
    origin: string,
    p: PageMethods['lobby.post']['params'] & { owner: FrameOwner },
  ): Promise<null>
  /** Tells the service worker (values to retain). */
  notify(notice: EngineNotice): void
}

interface Lane extends LaneBinding {
  port: MessagePort
}

/** Most lanes at once; past it the oldest closes (its page falls back to the long way). */
const MAX_LANES = 512

const lanes = new Set<Lane>()
const budgets = new PageBudgets()

function close(lane: Lane): void {
  lanes.delete(lane)
  lane.port.close()
}

async function dispatch(deps: LaneDeps, lane: Lane, method: string, params: unknown) {
  if (!isPageMethod(method) || !LANE_METHODS.has(method)) {
    throw P2PError.INVALID_ARGUMENT(`"${method.slice(0, 64)}" is not a lane call`)
  }
  if (!budgets.take(method, lane.origin)) throw P2PError.RATE_LIMITED()
  const { origin, owner } = lane
  if (method === 'lobby.post') {
    return deps.post(origin, { ...checkParams('lobby.post', params), owner })
  }
  const checked = checkParams('lobby.setSessionData', params)
  const { name } = await deps.setSessionData(origin, { ...checked, owner })
  retainSoon(deps, { t: 'retain-own', origin, name, data: checked.data })
  return null
}

/**
 * How long a lane's session-data waits before the service worker is told to
 * retain it, ms. Telling it wakes the browser process and the worker; done at
 * once, that work took the machine's cores from the update still on its way
 * to the peers. Within the wait the latest value per lobby wins.
 */
const RETAIN_DELAY_MS = 100
const toRetain = new Map<string, EngineNotice>()
let retainTimer: ReturnType<typeof setTimeout> | undefined

function retainSoon(deps: LaneDeps, notice: Extract<EngineNotice, { t: 'retain-own' }>): void {
  const key = `${notice.origin}\n${notice.name}`
  toRetain.delete(key)
  toRetain.set(key, notice)
  retainTimer ??= setTimeout(() => {
    retainTimer = undefined
    const due = [...toRetain.values()]
    toRetain.clear()
    for (const n of due) deps.notify(n)
  }, RETAIN_DELAY_MS)
}

function accept(deps: LaneDeps, binding: LaneBinding, port: MessagePort): void {
  for (const old of lanes) {
    // A document asks again after its lane was lost: the newest one serves it.
    if (old.origin === binding.origin && sameOwner(old.owner, binding.owner)) close(old)
  }
  if (lanes.size >= MAX_LANES) {
    const oldest = lanes.values().next().value
    if (oldest) close(oldest)
  }
  const lane: Lane = { ...binding, port }
  lanes.add(lane)
  serve(
    {
      postMessage: (message) => port.postMessage(message),
      onMessage: {
        addListener: (fn) => port.addEventListener('message', (e: MessageEvent) => fn(e.data)),
      },
    },
    ({ method, params }) => dispatch(deps, lane, method, params),
  )
  // The page's "still there?" (LaneWatch), answered at once, whatever else is going on.
  port.addEventListener('message', (e: MessageEvent) => {
    if (isRecord(e.data) && own(e.data, 't') === LANE_PROBE) port.postMessage({ t: LANE_ALIVE })
  })
  port.start()
  port.postMessage({ t: LANE_READY })
}

/** Takes the lanes the service worker passes on (call once, at load). */
export function acceptLanes(deps: LaneDeps): void {
  const container = navigator.serviceWorker
  container.addEventListener('message', (event: MessageEvent) => {
    // Only this extension's worker reaches its documents this way.
    if (!(event.source instanceof ServiceWorker)) return
    const data: unknown = event.data
    const port = event.ports[0]
    if (!isRecord(data) || own(data, 't') !== LANE || !port) return
    const origin = own(data, 'origin')
    const owner = parseFrameOwner(own(data, 'owner'))
    if (typeof origin !== 'string' || !owner) return port.close()
    accept(deps, { origin, owner }, port)
  })
  container.startMessages()
}

/**
 * Sends a page event over its document's lane, if it has one; false when it
 * must go the long way (through the service worker).
 */
export function sendByLane(notice: Extract<EngineNotice, { t: 'evt' }>): boolean {
  for (const lane of lanes) {
    if (lane.origin !== notice.origin || !sameOwner(lane.owner, notice.to)) continue
    const { t, name, data, lobby, seq, origin } = notice
    lane.port.postMessage({ t, name, data, lobby, seq, origin })
    return true
  }
  return false
}

/** The documents went away: their lanes close. */
export function lanesGone(gone: GoneFrames): void {
  for (const lane of [...lanes]) if (isGone(lane.owner, gone)) close(lane)
}
