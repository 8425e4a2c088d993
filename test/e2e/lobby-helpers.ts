/**
 * Lobby fixtures for e2e tests: a page joins a lobby the way a site's own
 * script would, and records every lobby event (with the page's clock) in
 * `window.lobbyLog`, which the tests poll.
 */
import { after, before } from 'node:test'
import type { Page } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'
import type { StaticServer } from '../../scripts/lib/static-server.js'
import {
  startTracker,
  type RunningTracker,
  type TrackerOptions,
} from '../../scripts/lib/tracker.js'
import type { JoinOptions, Lobby } from '../../src/api/types.js'
import {
  allow,
  fixtureServer,
  nameIdentity,
  openPage,
  profile,
  useTrackers,
  within,
} from './harness.js'

/** Someone in a test: a browser profile with the extension, on the site, allowed. */
export interface Person {
  profile: Profile
  page: Page
  identity: { url: string; name: string; created: number }
}

export interface PersonOptions {
  /** Tick "see my friends" in the prompt. */
  friends?: boolean
  /** Runs on the fresh profile before the site's page opens (e.g. admin settings). */
  configure?: (p: Profile) => Promise<void>
}

/** What a suite of lobby tests shares: the site, the tracker, and the people it launched. */
export interface LobbyWorld {
  site: StaticServer
  tracker: RunningTracker
  /** Everyone launched and still open; closed after the suite. */
  people: Person[]
  /** Starts another tracker, closed after the suite (a test may close it earlier). */
  startTracker(opts?: TrackerOptions): Promise<RunningTracker>
}

/**
 * Registers the suite's hooks: before it, a fixture site on 127.0.0.1 and a
 * tracker; after it, every person in `people`, the site and every tracker
 * the world started are closed. Call it in a `describe` body; read the fields inside tests.
 */
export function lobbyWorld(): LobbyWorld {
  const trackers: RunningTracker[] = []
  const world = {
    people: [] as Person[],
    startTracker: async (opts?: TrackerOptions) => {
      const t = await startTracker(opts)
      trackers.push(t)
      return t
    },
  } as LobbyWorld
  before(async () => {
    world.site = await fixtureServer('127.0.0.1')
    world.tracker = await world.startTracker()
  })
  after(async () => {
    await Promise.all(world.people.map((p) => p.profile.close()))
    await world.site?.close()
    await Promise.all(trackers.map((t) => t.close()))
  })
  return world
}

/**
 * Launches `name`'s browser: its identity named `name`, its lobbies on
 * `trackers`, the site at `origin` open and allowed to see the main identity.
 */
export async function person(
  name: string,
  trackers: string[],
  origin: string,
  opts: PersonOptions = {},
): Promise<Person> {
  const p = await profile(name)
  await useTrackers(p, trackers)
  await nameIdentity(p, name)
  await opts.configure?.(p)
  const page = await openPage(p, `${origin}/index.html`)
  const identity = await allow(p, page, 'main', { friends: opts.friends ?? false })
  return { profile: p, page, identity }
}

export interface Logged {
  lobby: string
  type: string
  at: number
  peer?: string
  identity?: { url: string; name: string; created: number } | null
  /** How the peer is reached when the event fired (`mesh`: not connected). */
  path?: string | null
  data?: string
  state?: string
}

declare global {
  interface Window {
    lobbies: Record<string, Lobby>
    lobbyLog: Logged[]
  }
}

const EVENTS = ['peer-join', 'peer-leave', 'peer-update', 'session-data', 'state', 'error']

/** Joins lobby `name` in `page` and starts logging its events; resolves with the lobby's state. */
export function joinIn(page: Page, name: string, opts: JoinOptions = {}): Promise<string> {
  return page.evaluate(
    async ([name, opts, events]) => {
      window.lobbies ??= {}
      window.lobbyLog ??= []
      const lobby = await window.p2p.joinLobby(name, opts)
      window.lobbies[name] = lobby
      for (const type of events) {
        lobby.addEventListener(type, (e) => {
          const d = (e as CustomEvent).detail as {
            peer?: { id: string; identity: Logged['identity']; path?: string | null }
            data?: Uint8Array | null
            state?: string
          }
          window.lobbyLog.push({
            lobby: name,
            type,
            at: Date.now(),
            ...(d.peer
              ? { peer: d.peer.id, identity: d.peer.identity ?? null, path: d.peer.path ?? null }
              : {}),
            ...(d.data ? { data: new TextDecoder().decode(d.data) } : {}),
            ...(d.state ? { state: d.state } : {}),
          })
        })
      }
      return lobby.state ?? 'unknown'
    },
    [name, opts, EVENTS] as const,
  )
}

export function logOf(page: Page): Promise<Logged[]> {
  return page.evaluate(() => window.lobbyLog ?? [])
}

/** Waits until `page` logged `count` events of `type` (or matching it) in `lobby`; returns them. */
export async function waitForLog(
  page: Page,
  lobby: string,
  type: string | ((e: Logged) => boolean),
  count: number,
  ms: number,
): Promise<Logged[]> {
  const match = typeof type === 'string' ? (e: Logged) => e.type === type : type
  return within(ms, `${count} × ${String(type)} in ${lobby}`, async () => {
    for (;;) {
      const found = (await logOf(page)).filter((e) => e.lobby === lobby && match(e))
      if (found.length >= count) return found
      await new Promise((r) => setTimeout(r, 100))
    }
  })
}
