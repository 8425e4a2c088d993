/**
 * "Join" pressed in the extension's popup: the service worker opens the
 * session's site in a new tab and keeps an intent for that tab; the page
 * there (its `<p2p-sessions>`, or its own code through `p2p.joinIntent()`)
 * takes it once and joins, asking for the password of a protected session.
 *
 * Only the extension's own pages make intents (the admin port), so a page
 * cannot forge one; an intent is given only to a document of the session's
 * own origin in the tab the popup opened, once, within INTENT_TTL.
 */
import type { FriendWire } from '../protocol/sessions.js'
import { Serial } from '../serial.js'

/** How long an intent waits for its page, ms. */
export const INTENT_TTL = 5 * 60_000

export interface JoinIntent {
  tabId: number
  /** The session's site: only its documents may take the intent. */
  origin: string
  /** The friend hosting, with the session to join. */
  friend: FriendWire
  expires: number
}

/** Where the intents are kept (storage.session in the service worker). */
export interface IntentStore {
  load(): Promise<JoinIntent[]>
  save(intents: JoinIntent[]): Promise<void>
}

/** The intents of open tabs: one per tab, the newest wins. */
export class JoinIntents {
  readonly #store: IntentStore
  readonly #now: () => number
  /** Loads and saves one step at a time: two takes must not both get the intent. */
  readonly #steps = new Serial()

  constructor(store: IntentStore, now: () => number = Date.now) {
    this.#store = store
    this.#now = now
  }

  /** Keeps `friend`'s session for tab `tabId` (replacing the tab's earlier intent). */
  put(tabId: number, origin: string, friend: FriendWire): Promise<void> {
    return this.#steps.run(async () => {
      const now = this.#now()
      const kept = (await this.#store.load()).filter((i) => i.tabId !== tabId && i.expires > now)
      kept.push({ tabId, origin, friend, expires: now + INTENT_TTL })
      await this.#store.save(kept)
    })
  }

  /**
   * The intent of `tabId` for a document of `origin`, taken (given once);
   * null when there is none, it expired, or it is for another site (that
   * one stays for its own site's page).
   */
  take(tabId: number, origin: string): Promise<FriendWire | null> {
    return this.#steps.run(async () => {
      const now = this.#now()
      const all = await this.#store.load()
      const live = all.filter((i) => i.expires > now)
      const mine = live.find((i) => i.tabId === tabId && i.origin === origin)
      const rest = mine ? live.filter((i) => i !== mine) : live
      if (rest.length !== all.length) await this.#store.save(rest)
      return mine?.friend ?? null
    })
  }
}
