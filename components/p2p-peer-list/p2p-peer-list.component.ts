import { html, type PropertyValues, type TemplateResult } from 'lit'
import { property } from 'lit/decorators.js'
import type { Lobby, Peer } from '../../src/index.js'
import { Announcer } from '../shared/announcer.js'
import { avatarStackStyles, renderAvatarStack } from '../shared/avatar-stack.js'
import { LobbyWatcher } from '../shared/lobby-watcher.js'
import { P2PElement } from '../shared/p2p-element.js'
import { displayName } from '../shared/people.js'
import { peerListStyles } from './p2p-peer-list.styles.js'

/** An element that holds a lobby, like `<p2p-lobby>`: it has `.lobby` and fires `p2p-lobby-state`. */
interface LobbySource extends Element {
  readonly lobby: Lobby | null
}

function isLobbySource(el: Element | null): el is LobbySource {
  return el !== null && 'lobby' in el
}

/** Events on a lobby source after which its `.lobby` or its peers may have changed. */
const SOURCE_EVENTS = ['p2p-lobby-state', 'p2p-peer-join', 'p2p-peer-leave']

/**
 * @tagname p2p-peer-list
 * @summary The people in a lobby as a row of avatars: one per identity, with
 * "+N" for the rest.
 *
 * @description Point `for` at a `<p2p-lobby>` (its `id`, or its `name`), or
 * set the `lobby` property to a Lobby from the page API. Someone in several
 * browsers is one avatar. The list is named for screen readers ("3 people in
 * hall") and every avatar carries the person's name; "+N" names the people it
 * stands for. Joins and leaves are announced in a polite live region, except
 * when the list follows a `<p2p-lobby>` (which announces them itself) or has
 * the `quiet` attribute.
 *
 * @slot empty - Shown while nobody is there; defaults to "Nobody here yet" in the page's text colour.
 *
 * @csspart base - The wrapper.
 * @csspart stack - The list of avatars.
 * @csspart self-avatar - Your avatar, with `include-self` (also has part `avatar`).
 * @csspart overflow - The "+N" counter.
 * @csspart empty - The default text of the `empty` slot.
 * @csspart announcer - The visually hidden live region.
 */
export class P2PPeerList extends P2PElement {
  static override styles = [P2PElement.styles, avatarStackStyles, peerListStyles]

  /** The `id` of a `<p2p-lobby>` (or another element with `.lobby`), or the `name` of a `<p2p-lobby>`. */
  @property({ reflect: true }) for = ''

  /** Most avatars drawn, the "+N" counter included. */
  @property({ type: Number, reflect: true }) max = 5

  /** Also show yourself (first). */
  @property({ type: Boolean, attribute: 'include-self', reflect: true }) includeSelf = false

  /** Avatar size. */
  @property({ reflect: true }) size: 'small' | 'medium' | 'large' = 'medium'

  /** A Lobby from the page API to show; when set, `for` is ignored. */
  @property({ attribute: false }) lobby: Lobby | null = null

  /**
   * Do not announce joins and leaves, e.g. beside an element that announces
   * them already. Following a `<p2p-lobby>` (with `for`) is quiet anyway.
   */
  @property({ type: Boolean, reflect: true }) quiet = false

  readonly #announcer = new Announcer(this)
  readonly #watcher = new LobbyWatcher(this, {
    join: (peer, first) => first && this.#announce(peer, 'joined'),
    leave: (peer, last) => last && this.#announce(peer, 'left'),
  })
  #source: LobbySource | null = null
  #sourceLife: AbortController | null = null
  #observer: MutationObserver | null = null

  /** The element `for` points at, once found. */
  get source(): Element | null {
    return this.#source
  }

  override connectedCallback(): void {
    super.connectedCallback()
    const root = this.getRootNode()
    if (root instanceof Document || root instanceof ShadowRoot) {
      // The lobby element may come later, or be replaced: look again when the tree changes.
      this.#observer = new MutationObserver(() => this.#resolve())
      this.#observer.observe(root, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['id', 'name'],
      })
    }
    this.#resolve()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#observer?.disconnect()
    this.#observer = null
    this.#follow(null)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    if (changed.has('for') || changed.has('lobby')) this.#resolve()
  }

  #find(): LobbySource | null {
    if (!this.for) return null
    const root = this.getRootNode()
    if (!(root instanceof Document || root instanceof ShadowRoot)) return null
    const byId = root.getElementById(this.for)
    if (isLobbySource(byId)) return byId
    const byName = root.querySelector(`p2p-lobby[name="${CSS.escape(this.for)}"]`)
    return isLobbySource(byName) ? byName : null
  }

  #resolve(): void {
    if (!this.isConnected) return
    const source = this.lobby ? null : this.#find()
    if (source !== this.#source) this.#follow(source)
    this.#watcher.watch(this.lobby ?? source?.lobby ?? null)
  }

  #announce(peer: Peer, what: 'joined' | 'left'): void {
    if (this.quiet || this.#source?.localName === 'p2p-lobby') return
    const where = this.#watcher.lobby?.name
    this.#announcer.announce(`${displayName(peer.identity)} ${what}${where ? ` ${where}` : ''}.`)
  }

  #follow(source: LobbySource | null): void {
    this.#sourceLife?.abort()
    this.#sourceLife = null
    this.#source = source
    if (!source) return
    this.#sourceLife = new AbortController()
    for (const type of SOURCE_EVENTS) {
      source.addEventListener(type, () => this.#resolve(), { signal: this.#sourceLife.signal })
    }
  }

  override render(): TemplateResult {
    const people = this.#watcher.people(this.includeSelf)
    const lobby = this.#watcher.lobby
    const count = `${people.length} ${people.length === 1 ? 'person' : 'people'}`
    return html`<div part="base" class="base">
      ${
        people.length > 0
          ? renderAvatarStack(people, {
              max: this.max,
              size: this.size,
              label: lobby ? `${count} in ${lobby.name}` : count,
            })
          : html`<slot name="empty"><span part="empty" class="empty">Nobody here yet</span></slot>`
      }
      ${this.#announcer.render()}
    </div>`
  }
}
