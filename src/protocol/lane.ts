/**
 * The lobby lane: a MessagePort straight from a page to the engine document,
 * for the calls and events that are a lobby's traffic (session-data,
 * messages). Every other call still goes page → content relay → service
 * worker → engine; the lane leaves out the four hops between extension
 * contexts in the middle (0.35–0.85 ms each, see README "Performance").
 *
 * The service worker stays the gatekeeper: it hands out the lane, and only to
 * a document of a granted origin.
 *
 *   relay → worker     LANE_OPEN (runtime message; the browser attests the document)
 *   worker → relay     { token, url }: a one-time token bound to that origin and document
 *   relay              makes a MessageChannel, gives one end to the page and
 *                      the other, with the token, to a hidden frame of the
 *                      extension's lane page (LANE_PAGE, web-accessible)
 *   lane frame → worker   { t: LANE, token } + the port (navigator.serviceWorker)
 *   worker → engine    { t: LANE, origin, owner } + the port (Clients.postMessage)
 *   engine → page      { t: 'lane-ready' } on the port, then answers and events
 *
 * On the lane the engine answers only LANE_METHODS, checks them as the
 * gatekeeper does (same params checks and budgets), and only for lobby
 * handles that document holds, which it got through the gatekeeper. Events
 * for that document then come over the lane; the page puts them in order by
 * their per-lobby number, since the first may overtake the last ones sent the
 * long way. A lane that never comes up costs nothing: the long way works.
 */
import { realClock, type Clock } from '../clock.js'
import type { FrameOwner, PageMethod } from './messages.js'

/** The extension's lane page, relative to its root. */
export const LANE_PAGE = 'extension/lane/lane.html'
/** Type of the lane's handoff messages (relay ⇄ worker ⇄ engine). */
export const LANE = 'porchlight/lane'
/** The relay's runtime message asking the worker for a lane. */
export const LANE_OPEN = 'porchlight:lane-open'
/** A lane token is good once, for this long. */
export const LANE_TOKEN_MS = 10_000
/**
 * A document asks for its lane this long after its first lobby answer, not
 * at once: making the lane frame (a document of the extension, like the
 * engine) while the lobby's first connections are being made slowed them
 * down, from about 40 ms to 130 ms for the first peer here. Until then the
 * lobby's traffic goes the long way.
 */
export const LANE_DELAY_MS = 1_000
/** The engine's first message on a lane it took. */
export const LANE_READY = 'lane-ready'
/** The page asks whether the engine is still at the lane's other end; the engine answers LANE_ALIVE. */
export const LANE_PROBE = 'lane-probe'
export const LANE_ALIVE = 'lane-alive'
/** Calls waiting this long with nothing heard on the lane: the page probes it. */
export const LANE_QUIET_MS = 3_000
/** A probe unanswered this long: the lane is dead. */
export const LANE_ANSWER_MS = 2_000

/** The calls a page makes over its lane. */
export const LANE_METHODS: ReadonlySet<PageMethod> = new Set<PageMethod>([
  'lobby.setSessionData',
  'lobby.post',
])

/** What the worker answers LANE_OPEN with. */
export interface LaneTicket {
  token: string
  url: string
}

/** Whom a lane serves: fixed by the worker from what the browser attested. */
export interface LaneBinding {
  origin: string
  owner: FrameOwner
}

/** The worker's outstanding lane tokens: each good once, until it expires. */
export class LaneTokens {
  readonly #tokens = new Map<string, LaneBinding & { expires: number }>()
  readonly #now: () => number
  readonly #max: number

  constructor(opts: { now?: () => number; max?: number } = {}) {
    this.#now = opts.now ?? Date.now
    this.#max = opts.max ?? 256
  }

  /** A new token for `binding`. */
  mint(binding: LaneBinding, token: string): string {
    this.#sweep()
    // A flood of asks forgets the oldest: their lanes just never come up.
    while (this.#tokens.size >= this.#max) {
      const oldest = this.#tokens.keys().next().value
      if (oldest === undefined) break
      this.#tokens.delete(oldest)
    }
    this.#tokens.set(token, { ...binding, expires: this.#now() + LANE_TOKEN_MS })
    return token
  }

  /** The binding of `token`, once; null when unknown, used or expired. */
  take(token: unknown): LaneBinding | null {
    if (typeof token !== 'string') return null
    const entry = this.#tokens.get(token)
    if (!entry) return null
    this.#tokens.delete(token)
    if (entry.expires <= this.#now()) return null
    return { origin: entry.origin, owner: entry.owner }
  }

  #sweep(): void {
    const now = this.#now()
    for (const [token, entry] of this.#tokens) {
      if (entry.expires <= now) this.#tokens.delete(token)
    }
  }
}

export interface LaneWatchOptions {
  /** Whether calls on the lane are waiting for answers. */
  waiting(): boolean
  /** Sends LANE_PROBE on the lane. */
  probe(): void
  /** The engine's end is gone: fail what waits, stop using the lane. */
  dead(): void
  clock?: Clock
}

/**
 * Notices a lane whose engine end went away without a word. A MessagePort
 * says nothing when its other end's document dies (no close event in
 * Chromium), so a call sent just as the engine went down would wait forever.
 * While calls wait and the lane has been quiet for LANE_QUIET_MS, the page
 * probes; an engine that is there answers at once, even in the middle of a
 * long send; no answer in LANE_ANSWER_MS and the lane is dead.
 */
export class LaneWatch {
  readonly #opts: LaneWatchOptions
  readonly #clock: Clock
  #timer: unknown = null
  /** Since when the lane has been quiet (no word from the engine). */
  #quietFrom = 0
  /** Words heard from the engine; and how many when the probe went out (null: no probe out). */
  #heard = 0
  #probedAt: number | null = null

  constructor(opts: LaneWatchOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? realClock
  }

  /** A call went out on the lane. */
  sent(): void {
    if (this.#timer !== null) return
    this.#quietFrom = this.#clock.now()
    this.#arm(LANE_QUIET_MS)
  }

  /** Something came from the engine on the lane. */
  heard(): void {
    this.#heard++
    this.#quietFrom = this.#clock.now()
  }

  stop(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer)
    this.#timer = null
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#check(), ms)
  }

  #check(): void {
    this.#timer = null
    const answered = this.#probedAt === null || this.#heard > this.#probedAt
    if (!answered) {
      this.#opts.dead()
      return
    }
    this.#probedAt = null
    if (!this.#opts.waiting()) return
    const quiet = this.#clock.now() - this.#quietFrom
    if (quiet < LANE_QUIET_MS) {
      this.#arm(LANE_QUIET_MS - quiet)
      return
    }
    this.#probedAt = this.#heard
    this.#opts.probe()
    this.#arm(LANE_ANSWER_MS)
  }
}
