/**
 * Joining a friend's session from `<p2p-sessions>`: the page's veto
 * (`p2p-request-join`), the password of a protected session, the join itself,
 * what failed, and leaving. A ReactiveController, so the element re-renders on
 * every step; the element only draws what it holds.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Friend, Lobby, P2PProvider, SessionInfo, StateEventDetail } from '../../src/index.js'
import type { Announcer } from '../shared/announcer.js'
import { errorCode, errorMessage } from '../shared/errors.js'
import { emit, listen } from '../shared/events.js'

/** A friend who is hosting, and their session. */
export interface LiveSession {
  friend: Friend
  session: SessionInfo
}

/** `detail` of `p2p-request-join` (cancelable: cancel it to join your own way). */
export type P2PRequestJoinDetail = LiveSession

/** `detail` of `p2p-session-join` and `p2p-session-leave`. */
export interface P2PSessionJoinDetail extends LiveSession {
  lobby: Lobby
}

/** Why joining one session failed. */
export interface JoinFailure {
  code: string
  message: string
}

/** A session's key: its host's identity URL (one live session per identity). */
export function keyOf(live: LiveSession): string {
  return live.friend.identity.url
}

/**
 * True when a session URL is a web page other than `here` (this page): joining
 * it means going there. `hyper://` session URLs are joined in place.
 */
export function isPageElsewhere(
  url: string,
  here: { origin: string; pathname: string } = location,
): boolean {
  try {
    const target = new URL(url)
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return false
    return target.origin + target.pathname !== here.origin + here.pathname
  } catch {
    return false
  }
}

type Host = ReactiveControllerHost & HTMLElement

export class SessionJoiner implements ReactiveController {
  /** The session whose password form is open. */
  asking: string | null = null
  /** The session being joined right now. */
  joining: string | null = null
  /** The session joined here, and its lobby. */
  joined: { live: LiveSession; lobby: Lobby } | null = null
  #failures = new Map<string, JoinFailure>()
  /** Follows the joined lobby's `state`, to notice the session ending. */
  #watch: AbortController | null = null

  readonly #host: Host
  readonly #announcer: Announcer
  readonly #provider: () => P2PProvider | null

  constructor(host: Host, announcer: Announcer, provider: () => P2PProvider | null) {
    this.#host = host
    this.#announcer = announcer
    this.#provider = provider
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // Moving the element disconnects and reconnects it at once; only leave for real.
    queueMicrotask(() => {
      if (!this.#host.isConnected) void this.leave()
    })
  }

  failureOf(key: string): JoinFailure | undefined {
    return this.#failures.get(key)
  }

  /** Join pressed (no password yet) or the password form sent (with one). */
  async join(live: LiveSession, password?: string): Promise<void> {
    const key = keyOf(live)
    if (this.joining) return
    if (password === undefined) {
      if (this.asking === key) return this.#focus('input', key)
      const allowed = emit<P2PRequestJoinDetail>(this.#host, 'p2p-request-join', live, {
        cancelable: true,
      })
      if (!allowed) return
      if (isPageElsewhere(live.session.url)) return location.assign(live.session.url)
      if (live.session.protected) return this.openForm(key)
    } else if (!password) {
      this.#fail(key, { code: 'invalid-argument', message: 'Enter the password.' })
      return this.#focus('input', key)
    }
    const provider = this.#provider()
    if (!provider) return
    this.joining = key
    this.#fail(key, null)
    try {
      await this.leave()
      // A session is joined by its URL: the host's identity, the lobby and the site.
      const lobby = await provider.joinLobby(live.session.url, password ? { password } : {})
      this.joined = { live, lobby }
      this.#follow(live, lobby)
      this.asking = null
      this.#announcer.announce(`Joined ${live.session.name}.`)
      emit<P2PSessionJoinDetail>(this.#host, 'p2p-session-join', { ...live, lobby })
    } catch (err) {
      this.#fail(key, { code: errorCode(err), message: errorMessage(err) })
      this.#announcer.announce(errorMessage(err))
      if (errorCode(err) === 'wrong-password') this.#focus('input', key)
    } finally {
      this.joining = null
      this.#host.requestUpdate()
    }
  }

  /** Leaves the session joined here, if any. */
  async leave(): Promise<void> {
    const joined = this.#forget()
    if (!joined) return
    await joined.lobby.leave().catch(() => undefined)
    this.#left(joined, `Left ${joined.live.session.name}.`)
  }

  /** Notices the joined session ending (host stopped, engine lost, grant revoked). */
  #follow(live: LiveSession, lobby: Lobby): void {
    this.#watch = new AbortController()
    listen<StateEventDetail>(
      lobby,
      'state',
      (detail) => {
        if (detail?.state !== 'closed' || this.joined?.lobby !== lobby) return
        const joined = this.#forget()
        if (joined) this.#left(joined, `${live.session.name} ended.`)
      },
      this.#watch.signal,
    )
  }

  /** Drops the joined session (and its watch) without leaving it; returns what it was. */
  #forget(): { live: LiveSession; lobby: Lobby } | null {
    const joined = this.joined
    this.#watch?.abort()
    this.#watch = null
    this.joined = null
    if (joined) this.#host.requestUpdate()
    return joined
  }

  #left(joined: { live: LiveSession; lobby: Lobby }, said: string): void {
    this.#announcer.announce(said)
    emit<P2PSessionJoinDetail>(this.#host, 'p2p-session-leave', {
      ...joined.live,
      lobby: joined.lobby,
    })
  }

  openForm(key: string): void {
    this.asking = key
    this.#fail(key, null)
    this.#focus('input', key)
  }

  /** Closes the password form and gives focus back to the session's Join button. */
  closeForm(key: string): void {
    this.asking = null
    this.#fail(key, null)
    this.#focus('button', key)
  }

  #fail(key: string, failure: JoinFailure | null): void {
    if (failure) this.#failures.set(key, failure)
    else this.#failures.delete(key)
    this.#host.requestUpdate()
  }

  /** Focuses the password field (`input`) or the Join button (`button`) of a session once drawn. */
  #focus(what: 'input' | 'button', key: string): void {
    const selector =
      what === 'input'
        ? `input[data-key="${CSS.escape(key)}"]`
        : `button[data-join="${CSS.escape(key)}"]`
    void this.#host.updateComplete.then(() => {
      this.#host.shadowRoot?.querySelector<HTMLElement>(selector)?.focus()
    })
  }
}
