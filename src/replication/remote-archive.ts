/**
 * A peer's identity archive as we replicate it: an IdentityArchive opened on
 * a read-only copy of its hypercore, re-read whenever the copy grows, with
 * its current profile.json and session.json and an event when either changes.
 *
 * Blocks come from a peer: a damaged one (the head not a valid block, no
 * readable profile) makes the profile unavailable with a `protocol-error`
 * until a later valid head repairs it. Nothing here throws at the owner.
 */
import type Hypercore from 'hypercore'
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import { IdentityArchive } from '../identity/archive.js'
import { hyperUrl } from '../identity/hyper-url.js'
import { SESSION, type Profile, type Session } from '../identity/records.js'

export interface RemoteArchiveEvents {
  /** The profile became readable or changed. */
  profile: { profile: Profile }
  /** session.json changed; null when it was deleted. */
  session: { session: Session | null }
  /** The archive could not be read (`protocol-error`); the profile is unavailable. */
  error: { error: P2PError }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export class RemoteArchive extends Emitter<RemoteArchiveEvents> {
  readonly core: Hypercore
  readonly #device: string
  #archive: IdentityArchive | null = null
  #profile: Profile | null = null
  #session: Session | null = null
  #error: P2PError | null = null
  #closed: P2PError | null = null
  #refreshing: Promise<void> = Promise.resolve()
  readonly #waiters = new Set<(error: P2PError) => void>()
  readonly #onGrow = () => this.#refresh()

  /** Starts reading `core` (a replica); `device` is only for IdentityArchive (never writes). */
  constructor(core: Hypercore, device: string) {
    super()
    this.core = core
    this.#device = device
    core.on('append', this.#onGrow)
    core.on('truncate', this.#onGrow)
    this.#refresh()
  }

  /** `hyper://<64 hex>` of the archive. */
  get url(): string {
    return this.core.key ? hyperUrl(this.core.key) : 'an identity archive'
  }

  /** The current profile; null until readable, and while the archive is damaged. */
  get profile(): Profile | null {
    return this.#error ? null : this.#profile
  }

  /** The current session.json, or null. */
  get session(): Session | null {
    return this.#error ? null : this.#session
  }

  /** Why the profile is unavailable, if it is. */
  get error(): P2PError | null {
    return this.#error
  }

  /** Resolves with the profile once readable; rejects with the archive's error or `timeout`. */
  whenProfile(timeout: number): Promise<Profile> {
    const ready = this.profile
    if (ready) return Promise.resolve(ready)
    if (this.#error) return Promise.reject(this.#error)
    if (this.#closed) return Promise.reject(this.#closed)
    return new Promise<Profile>((resolve, reject) => {
      const stops: Array<() => void> = []
      const settle = (fn: () => void) => {
        clearTimeout(timer)
        for (const stop of stops) stop()
        fn()
      }
      const timer = setTimeout(
        () => settle(() => reject(P2PError.TIMEOUT(`the profile of ${this.url}`, timeout))),
        timeout,
      )
      const onClose = (error: P2PError) => settle(() => reject(error))
      this.#waiters.add(onClose)
      stops.push(
        this.on('profile', ({ profile }) => settle(() => resolve(profile))),
        this.on('error', ({ error }) => settle(() => reject(error))),
        () => this.#waiters.delete(onClose),
      )
    })
  }

  /** Stops reading; a pending `whenProfile` rejects with `error` (default `not-connected`). */
  close(error: P2PError = P2PError.NOT_CONNECTED('the peer is gone')): void {
    if (this.#closed) return
    this.#closed = error
    this.core.off('append', this.#onGrow)
    this.core.off('truncate', this.#onGrow)
    for (const reject of [...this.#waiters]) reject(error)
  }

  #refresh(): void {
    this.#refreshing = this.#refreshing.then(() => this.#load()).catch(() => undefined)
  }

  async #load(): Promise<void> {
    if (this.#closed) return
    try {
      if (!this.#archive) {
        await this.core.ready()
        if (this.core.length === 0 || this.#closed) return
        this.#archive = await IdentityArchive.open(this.core, { device: this.#device })
      } else {
        await this.#archive.refresh()
      }
    } catch (err) {
      // IdentityArchive names the archive and the damaged block.
      if (!this.#closed) this.#fail(err instanceof Error ? err.message : String(err))
      return
    }
    if (this.#closed) return
    const profile = this.#archive.profile
    if (!profile) {
      this.#fail(`identity archive ${this.url} has no readable profile.json`)
      return
    }
    const session = this.#archive.get(SESSION)
    const wasUnavailable = this.profile === null
    this.#error = null
    if (wasUnavailable || !same(profile, this.#profile)) {
      this.#profile = profile
      this.emit('profile', { profile })
    }
    if (!same(session, this.#session)) {
      this.#session = session
      this.emit('session', { session })
    }
  }

  #fail(detail: string): void {
    const error = P2PError.PROTOCOL_ERROR('peer', detail.replace(/^internal: /, ''))
    const first = this.#error === null
    this.#error = error
    if (first) this.emit('error', { error })
  }
}
