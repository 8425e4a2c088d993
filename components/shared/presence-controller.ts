/**
 * The part every element shares before it can do anything: find the
 * provider, learn whether this site may show presence, follow
 * `permissionchange`, and ask for permission when the user clicks "Show my
 * presence". A Lit ReactiveController, so the element re-renders on change.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { P2PProvider, PermissionChangeDetail, PermissionState } from '../../src/index.js'
import { errorCode, errorMessage } from './errors.js'
import { listen } from './events.js'
import { DEFAULT_WAIT_MS, findProvider, onProvider } from './provider.js'

/**
 * Where presence stands for the element:
 * - `resolving`: looking for the provider or asking it for the permission state;
 * - `unavailable`: no provider answered (Porchlight not installed or not reachable),
 *   or asking it for the permission failed (`failure` says why; the element
 *   offers to try again);
 * - `needs-permission`: the site has no grant; the element shows "Show my presence";
 * - `granted`: the element may join, host and read the identity.
 */
export type PresenceStatus = 'resolving' | 'unavailable' | 'needs-permission' | 'granted'

/** An element using the controller; its `provider` property, when set, wins over discovery. */
export interface PresenceHost extends ReactiveControllerHost, HTMLElement {
  provider: P2PProvider | null
}

export class PresenceController implements ReactiveController {
  status: PresenceStatus = 'resolving'
  /** The provider in use, once found. */
  provider: P2PProvider | null = null
  /** The user refused the prompt, or the site's state is `denied`. */
  denied = false
  /** A requestPermission() call is pending. */
  asking = false
  /**
   * Why the last permission check or prompt failed (a timeout, an unreachable
   * extension), other than "no grant" or a refusal; null once one worked.
   */
  failure: unknown = null

  readonly #host: PresenceHost
  readonly #onChange: (status: PresenceStatus) => void
  readonly #announce: (text: string) => void
  #life: AbortController | null = null
  #providerLife: AbortController | null = null
  /** Increases on every check, so a slow answer cannot overwrite a newer one. */
  #seq = 0

  /**
   * `onChange` runs after every status change, before the host re-renders;
   * `announce` tells screen readers of a refusal or failure.
   */
  constructor(
    host: PresenceHost,
    onChange: (status: PresenceStatus) => void,
    announce: (text: string) => void = () => undefined,
  ) {
    this.#host = host
    this.#onChange = onChange
    this.#announce = announce
    host.addController(this)
  }

  hostConnected(): void {
    this.#life = new AbortController()
    const signal = this.#life.signal
    const provider = this.#host.provider ?? findProvider()
    if (provider) {
      this.use(provider)
      return
    }
    // Not here yet: the page script may still be loading. Keep listening.
    onProvider((p) => {
      if (!this.provider) this.use(p)
    }, signal)
    const timer = setTimeout(() => {
      if (!this.provider) this.#set('unavailable')
    }, DEFAULT_WAIT_MS)
    signal.addEventListener('abort', () => clearTimeout(timer))
  }

  hostDisconnected(): void {
    this.#life?.abort()
    this.#providerLife?.abort()
    this.#life = this.#providerLife = null
    this.provider = null
    this.#seq++
    this.status = 'resolving'
  }

  /** Switches to `provider` (null: discover again) and checks the permission with it. */
  use(provider: P2PProvider | null): void {
    if (provider === this.provider) return
    this.#providerLife?.abort()
    this.provider = provider
    if (!provider) {
      if (this.#host.isConnected) {
        this.hostDisconnected()
        this.hostConnected()
      }
      return
    }
    this.#providerLife = new AbortController()
    listen<PermissionChangeDetail>(
      provider,
      'permissionchange',
      (detail) => {
        if (detail?.state) this.#apply(detail.state)
        else void this.check()
      },
      this.#providerLife.signal,
    )
    void this.check()
  }

  /** Asks the provider for the permission state again. */
  async check(): Promise<void> {
    const provider = this.provider
    if (!provider) return
    const seq = ++this.#seq
    try {
      const state = await provider.permission()
      if (seq === this.#seq && provider === this.provider) this.#apply(state)
    } catch (err) {
      if (seq !== this.#seq || provider !== this.provider) return
      if (errorCode(err) === 'permission-required') {
        this.failure = null
        this.#set('needs-permission')
        return
      }
      this.failure = err
      this.#announce(errorMessage(err))
      this.#set('unavailable')
    }
  }

  /**
   * For a call that failed: true when `err` says the site lost its grant
   * (`permission-required`); the permission is then checked again, and the
   * element's presenceChanged follows.
   */
  lost(err: unknown): boolean {
    if (errorCode(err) !== 'permission-required') return false
    void this.check()
    return true
  }

  /**
   * Opens the extension's prompt. Resolves true once granted; false when the
   * user said no (then `denied` is set) or the prompt failed (then `failure`
   * is set). Either is announced.
   */
  async request(): Promise<boolean> {
    const provider = this.provider
    if (!provider || this.asking) return false
    this.asking = true
    this.#host.requestUpdate()
    try {
      await provider.requestPermission()
      this.#seq++
      this.denied = false
      this.failure = null
      this.#set('granted')
      return true
    } catch (err) {
      const code = errorCode(err)
      this.#announce(errorMessage(err))
      if (code === 'permission-denied') {
        this.denied = true
        this.failure = null
      } else {
        this.failure = err
        if (code === 'extension-unavailable') this.#set('unavailable')
      }
      return false
    } finally {
      this.asking = false
      this.#host.requestUpdate()
    }
  }

  #apply(state: PermissionState): void {
    this.denied = state === 'denied'
    this.failure = null
    this.#set(state === 'granted' ? 'granted' : 'needs-permission')
  }

  #set(status: PresenceStatus): void {
    if (status === this.status) {
      this.#host.requestUpdate()
      return
    }
    this.status = status
    this.#onChange(status)
    this.#host.requestUpdate()
  }
}
