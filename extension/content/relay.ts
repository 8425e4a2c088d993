/**
 * ISOLATED-world content bridge, the relay: injected into a document by the
 * service worker when the loader (bridge.ts) sees the page's first request,
 * it takes over the page's MessagePort and relays between it and one
 * runtime.Port to the service worker. It adds nothing and trusts nothing:
 * requests are re-built from their known fields (anything else is dropped),
 * and the service worker validates them again and takes the origin from
 * `port.sender`.
 *
 * The runtime.Port is opened on the first request and re-opened after the
 * service worker is stopped. A request that was in flight when the port broke
 * is sent again when it is idempotent, otherwise it fails with
 * `extension-unavailable`: a call never hangs.
 *
 * Events for the page (permission changes, lobby events) come from the
 * service worker through `tabs.sendMessage`, so no port has to stay open, and
 * the service worker may sleep while the page is idle. While the page is in
 * a lobby, though, the port stays open (and is re-opened at once after the
 * worker restarts): its closing is how the extension learns that this
 * document is gone and its lobbies must close. Meanwhile the lobby events
 * come over that port, which is several times quicker than a
 * `tabs.sendMessage` per event; both are checked the same way.
 */
import { P2PError } from '../../src/errors.js'
import { RELAY_HANDOFF, type Handoff } from '../../src/protocol/handshake.js'
import {
  LANE_DELAY_MS,
  LANE_OPEN,
  LANE_TOKEN_MS,
  type LaneTicket,
} from '../../src/protocol/lane.js'
import {
  ENGINE_LOST,
  IDEMPOTENT,
  PORT_PAGE,
  type PageMethod,
  type Request,
} from '../../src/protocol/messages.js'
import {
  errorResponse,
  isHandle,
  isRequestId,
  isRecord,
  own,
  parseEvent,
  parseRequest,
  parseResponse,
} from '../../src/protocol/validate.js'

/** Requests a page may have in flight at once; more are refused at the bridge. */
const MAX_IN_FLIGHT = 256
/** How often an idempotent call is sent again after the port broke. */
const MAX_RETRIES = 2

let pagePort: MessagePort | null = null
let extPort: chrome.runtime.Port | null = null
interface Call {
  req: Request
  /** Times it was sent again after the port broke. */
  retries: number
}
const inFlight = new Map<number, Call>()
/**
 * The lobby handles this page holds (from joinLobby answers until leave or
 * close), each with the seq of the last event seen for it.
 */
const lobbies = new Map<string, number>()

/** The calls whose answer is a lobby handle for this document. */
const LOBBY_OPENERS: ReadonlySet<string> = new Set<PageMethod>(['joinLobby', 'host'])

/** The page's lobby lane (src/protocol/lane.ts): not asked for, asked for, or refused. */
let lane: 'none' | 'opening' | 'given' | 'refused' = 'none'
let laneTimer: ReturnType<typeof setTimeout> | undefined

function track(req: Request, result: unknown): void {
  if (!LOBBY_OPENERS.has(req.method) || !isRecord(result)) return
  const lobby = own(result, 'lobby')
  const seq = own(result, 'seq')
  if (!isHandle(lobby)) return
  lobbies.set(lobby, isRequestId(seq) ? seq : 0)
  if (lane !== 'none') return
  lane = 'opening'
  laneTimer = setTimeout(openLane, LANE_DELAY_MS)
}

/** The extension's own origin: lane frames answer to it (their URL's host is a dynamic id). */
const EXTENSION = new URL(chrome.runtime.getURL(''))

function parseTicket(raw: unknown): LaneTicket | null {
  if (!isRecord(raw)) return null
  const token = own(raw, 'token')
  const url = own(raw, 'url')
  if (typeof token !== 'string' || typeof url !== 'string') return null
  try {
    return new URL(url).protocol === EXTENSION.protocol ? { token, url } : null
  } catch {
    return null
  }
}

/**
 * Asks the worker for this document's lane, gives the page one end of a new
 * channel and, through a hidden lane frame, the worker the other. The page
 * uses its end once the engine says it is ready; until then, or if it never
 * does, everything goes the long way.
 */
function openLane(): void {
  chrome.runtime.sendMessage(LANE_OPEN).then(
    (answer: unknown) => {
      // The lobbies closed meanwhile (and maybe another ask is on its way).
      if (lane !== 'opening') return
      const ticket = parseTicket(answer)
      if (!ticket || !pagePort || lobbies.size === 0) {
        lane = ticket ? 'none' : 'refused'
        return
      }
      const channel = new MessageChannel()
      const reply = new MessageChannel()
      const frame = document.createElement('iframe')
      frame.src = ticket.url
      frame.hidden = true
      frame.tabIndex = -1
      frame.setAttribute('aria-hidden', 'true')
      frame.style.display = 'none'
      const done = () => {
        clearTimeout(timer)
        frame.remove()
        reply.port1.close()
      }
      // The frame removes itself once it handed the port over, or gives up.
      const timer = setTimeout(done, LANE_TOKEN_MS)
      reply.port1.onmessage = done
      frame.addEventListener(
        'load',
        () => {
          frame.contentWindow?.postMessage({ token: ticket.token }, EXTENSION.origin, [
            channel.port2,
            reply.port2,
          ])
        },
        { once: true },
      )
      document.documentElement.append(frame)
      pagePort.postMessage({ t: 'lane' }, [channel.port1])
      lane = 'given'
    },
    () => {
      if (lane === 'opening') lane = 'none'
    },
  )
}

/**
 * The page's lobbies are gone on the extension's side: the engine went away
 * with them, or this document was put in the back/forward cache (its port
 * closed, so its lobbies closed) and is now shown again. Each closes.
 */
function closeAllLobbies(): void {
  for (const [lobby, seq] of lobbies) {
    toPage({ t: 'evt', name: 'state', lobby, seq: seq + 1, data: { state: 'closed' } })
  }
  lobbies.clear()
  // The lane went with them; the next lobby asks for a new one.
  if (lane === 'given') toPage({ t: 'lane-closed' })
  clearTimeout(laneTimer)
  if (lane !== 'refused') lane = 'none'
}

function toPage(message: unknown): void {
  pagePort?.postMessage(message)
}

function failAll(err: P2PError, which: (call: Call) => boolean = () => true): void {
  for (const [id, call] of inFlight) {
    if (!which(call)) continue
    inFlight.delete(id)
    toPage(errorResponse(id, err))
  }
}

function openExtPort(): chrome.runtime.Port | null {
  if (extPort) return extPort
  try {
    extPort = chrome.runtime.connect({ name: PORT_PAGE })
  } catch {
    // "Extension context invalidated": the extension was updated or removed.
    return null
  }
  extPort.onMessage.addListener((raw: unknown) => {
    // Only our own service worker is at the other end of this port.
    if (isRecord(raw) && own(raw, 't') === 'evt') return onEvent(raw)
    const res = parseResponse(raw)
    const call = res ? inFlight.get(res.id) : undefined
    if (!res || !call) return
    inFlight.delete(res.id)
    if (res.ok) track(call.req, res.result)
    toPage(res)
  })
  extPort.onDisconnect.addListener(() => {
    extPort = null
    // The service worker was stopped (or the extension reloaded). Calls that
    // are safe to repeat go again on a fresh port; the rest fail now.
    failAll(
      P2PError.EXTENSION_UNAVAILABLE('the extension restarted during this call; try again'),
      ({ req, retries }) => !IDEMPOTENT.has(req.method as PageMethod) || retries >= MAX_RETRIES,
    )
    if (inFlight.size > 0 || lobbies.size > 0) {
      const again = [...inFlight.values()]
      const p = openExtPort()
      if (!p) return failAll(P2PError.EXTENSION_UNAVAILABLE())
      for (const call of again) {
        call.retries++
        p.postMessage(call.req)
      }
    }
  })
  return extPort
}

function onPageMessage(data: unknown, gesture: boolean): void {
  const parsed = parseRequest(data)
  if (!parsed.ok) {
    if (parsed.id !== null) toPage(errorResponse(parsed.id, parsed.error))
    return
  }
  const req = parsed.value
  // Attested in the isolated world (here or by the loader), where the page cannot fake it.
  if (gesture) req.gesture = true
  else delete req.gesture
  if (inFlight.has(req.id)) {
    return toPage(errorResponse(req.id, P2PError.INVALID_ARGUMENT('request id already in flight')))
  }
  if (inFlight.size >= MAX_IN_FLIGHT) {
    return toPage(errorResponse(req.id, P2PError.RATE_LIMITED('requests in flight')))
  }
  const p = openExtPort()
  if (!p) return toPage(errorResponse(req.id, P2PError.EXTENSION_UNAVAILABLE()))
  if (req.method === 'lobby.leave' && isRecord(req.params)) lobbies.delete(String(req.params.lobby))
  inFlight.set(req.id, { req, retries: 0 })
  try {
    p.postMessage(req)
  } catch {
    inFlight.delete(req.id)
    toPage(errorResponse(req.id, P2PError.EXTENSION_UNAVAILABLE()))
  }
}

function onRuntimeMessage(raw: unknown, sender: chrome.runtime.MessageSender): void {
  // Only the extension itself (its service worker) pushes events.
  if (sender.id !== chrome.runtime.id || sender.tab) return
  onEvent(raw)
}

/** An event from the service worker (over the port or `tabs.sendMessage`), for the page. */
function onEvent(raw: unknown): void {
  // Each is for one origin: frames of other sites in this tab ignore it.
  if (!isRecord(raw) || own(raw, 'origin') !== location.origin) return
  const evt = parseEvent(raw)
  if (!evt) return
  if (!evt.lobby && evt.name === ENGINE_LOST) return closeAllLobbies()
  if (evt.lobby && lobbies.has(evt.lobby)) {
    const closed = evt.name === 'state' && isRecord(evt.data) && evt.data.state === 'closed'
    if (closed) lobbies.delete(evt.lobby)
    else lobbies.set(evt.lobby, Math.max(lobbies.get(evt.lobby) ?? 0, evt.seq ?? 0))
  }
  toPage(evt)
}

window.addEventListener('pageshow', (event) => {
  if (event.persisted) closeAllLobbies()
})

const take = (globalThis as { [RELAY_HANDOFF]?: () => Handoff | null })[RELAY_HANDOFF]
const handoff = take?.()
if (handoff) {
  pagePort = handoff.port
  pagePort.onmessage = (e) => onPageMessage(e.data, navigator.userActivation.isActive)
  chrome.runtime.onMessage.addListener(onRuntimeMessage)
  for (const a of handoff.arrivals) {
    if ('page' in a) onPageMessage(a.page, a.gesture)
    else onRuntimeMessage(a.ext, a.sender)
  }
}
