/**
 * An in-memory provider with the API.md shape, for the elements' unit tests
 * and the screenshots. It does no networking: a test drives it (grant, add a
 * peer, fail the next join…) and checks what the element does.
 */
import type {
  Friend,
  HostOptions,
  Identity,
  JoinOptions,
  Lobby,
  LobbyState,
  P2PProvider,
  Peer,
  PermissionState,
  RequestResult,
} from '../../src/index.js'
import { P2PError } from '../../src/errors.js'

/** A promise with its resolve and reject at hand. */
export interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(err: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A stable fake `hyper://` URL (64 hex) for a name. */
export function fakeUrl(seed: string): string {
  let hex = ''
  let h = 0x811c9dc5
  for (let round = 0; hex.length < 64; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193)
    hex += (h >>> 0).toString(16).padStart(8, '0')
  }
  return `hyper://${hex.slice(0, 64)}`
}

export function fakeIdentity(name: string, seed = name): Identity {
  return { url: fakeUrl(seed), name, created: Date.UTC(2025, 0, 1) }
}

let nextPeer = 1

/** A connection of `identity`, optionally with text session-data. */
export function fakePeer(identity: Identity | null, status?: string, id?: string): Peer {
  return {
    id: id ?? `peer-${nextPeer++}`,
    identity,
    sessionData: status === undefined ? null : new TextEncoder().encode(status),
  }
}

function lobbyUrl(host: Identity, name: string): string {
  return `${host.url}?lobby=${encodeURIComponent(name)}`
}

export class FakeLobby extends EventTarget implements Lobby {
  readonly name: string
  readonly url: string
  readonly self: Peer
  readonly options: JoinOptions
  peers: Peer[] = []
  state: LobbyState = 'connected'
  left = false
  broadcasts: unknown[] = []
  #own: Uint8Array | null = null

  constructor(name: string, self: Peer, options: JoinOptions = {}, url?: string) {
    super()
    this.name = name
    this.self = self
    this.options = options
    this.url = url ?? lobbyUrl(self.identity ?? fakeIdentity('host'), name)
  }

  /** A connection arrives: `peer-join`. */
  addPeer(peer: Peer): Peer {
    this.peers = [...this.peers, peer]
    this.dispatchEvent(new CustomEvent('peer-join', { detail: { peer } }))
    return peer
  }

  /** A connection goes: `peer-leave`. */
  removePeer(id: string): void {
    const peer = this.peers.find((p) => p.id === id)
    if (!peer) return
    this.peers = this.peers.filter((p) => p !== peer)
    this.dispatchEvent(new CustomEvent('peer-leave', { detail: { peer } }))
  }

  /** A peer's session-data changes: `session-data`. */
  setPeerStatus(id: string, status: string | Uint8Array): void {
    const data = typeof status === 'string' ? new TextEncoder().encode(status) : status
    this.peers = this.peers.map((p) => (p.id === id ? { ...p, sessionData: data } : p))
    const peer = this.peers.find((p) => p.id === id)
    this.dispatchEvent(new CustomEvent('session-data', { detail: { peer, data } }))
  }

  setState(state: LobbyState): void {
    this.state = state
    this.dispatchEvent(new CustomEvent('state', { detail: { state } }))
  }

  /** The lobby reports trouble it keeps trying to get past: `error`. */
  fail(error: P2PError): void {
    this.dispatchEvent(new CustomEvent('error', { detail: { error } }))
  }

  /** Closed by the extension, not by the page (engine lost, grant revoked): `state: closed`. */
  lose(): void {
    this.setState('closed')
  }

  async setSessionData(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    if (bytes.byteLength > 256) throw P2PError.PAYLOAD_TOO_LARGE(bytes.byteLength, 256)
    this.#own = bytes
  }

  getSessionData(): Uint8Array | null {
    return this.#own
  }

  broadcast(data: unknown): void {
    this.broadcasts.push(data)
  }

  send(_peerId: string, _data: unknown): void {}

  handle(_module: string, _fn: (data: unknown, from: Peer) => unknown): void {}

  async request(_selector: string, _module: string, _data: unknown): Promise<RequestResult[]> {
    return []
  }

  async leave(): Promise<void> {
    if (this.left) return
    this.left = true
    this.setState('closed')
  }
}

/** What `requestPermission()` does: grant, refuse, or wait for the test to settle {@link FakeProvider.prompt}. */
export type PromptBehaviour = 'grant' | 'deny' | 'wait'

export class FakeProvider extends EventTarget implements P2PProvider {
  me: Identity
  permissionState: PermissionState
  onPrompt: PromptBehaviour = 'grant'
  /** The pending prompt when `onPrompt` is `wait`. */
  prompt: Deferred<Identity> | null = null
  /** While set, permission() rejects with it (a timeout, an unreachable extension). */
  failPermission: P2PError | null = null
  /** The next joinLobby() or host() rejects with this, once. */
  failNextJoin: P2PError | null = null
  /** While set, joinLobby() and host() wait for it. */
  joinGate: Promise<void> | null = null
  /** Runs on every new lobby, e.g. to fill it with peers. */
  setupLobby: ((lobby: FakeLobby) => void) | null = null
  /** Every lobby opened, last one last. */
  lobbies: FakeLobby[] = []
  friendList: Friend[] = []
  calls: Array<{ method: string; args: unknown[] }> = []

  constructor(opts: { me?: Identity; permission?: PermissionState } = {}) {
    super()
    this.me = opts.me ?? fakeIdentity('Ada Lovelace')
    this.permissionState = opts.permission ?? 'granted'
  }

  get lastLobby(): FakeLobby | undefined {
    return this.lobbies[this.lobbies.length - 1]
  }

  #log(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args })
  }

  #need(): void {
    if (this.permissionState !== 'granted') throw P2PError.PERMISSION_REQUIRED()
  }

  /** Changes the permission as the extension would, with `permissionchange`. */
  setPermission(state: PermissionState): void {
    this.permissionState = state
    this.dispatchEvent(new CustomEvent('permissionchange', { detail: { state } }))
  }

  async permission(): Promise<PermissionState> {
    this.#log('permission')
    if (this.failPermission) throw this.failPermission
    return this.permissionState
  }

  async requestPermission(): Promise<Identity> {
    this.#log('requestPermission')
    if (this.permissionState === 'granted') return this.me
    if (this.onPrompt === 'deny') throw P2PError.PERMISSION_DENIED()
    if (this.onPrompt === 'wait') {
      this.prompt ??= deferred<Identity>()
      const identity = await this.prompt.promise
      this.prompt = null
      this.setPermission('granted')
      return identity
    }
    this.setPermission('granted')
    return this.me
  }

  /** Renames the identity as the options page would, with `identitychange`. */
  rename(name: string): void {
    this.me = { ...this.me, name }
    this.dispatchEvent(new CustomEvent('identitychange', { detail: { identity: this.me } }))
  }

  async revokePermission(): Promise<void> {
    this.#log('revokePermission')
    this.setPermission('prompt')
  }

  async identity(): Promise<Identity> {
    this.#log('identity')
    this.#need()
    return this.me
  }

  /** Like the extension: a friend's session URL joins that session (a lobby of its name). */
  async joinLobby(name: string, opts: JoinOptions = {}): Promise<Lobby> {
    this.#log('joinLobby', name, opts)
    const session = this.friendList.find((f) => f.session?.url === name)?.session
    return this.#open(session?.name ?? name, opts)
  }

  async host(opts: HostOptions): Promise<Lobby> {
    this.#log('host', opts)
    const { name, ...rest } = opts
    return this.#open(name, rest)
  }

  async #open(name: string, opts: JoinOptions): Promise<FakeLobby> {
    this.#need()
    if (typeof name !== 'string' || !name) throw P2PError.INVALID_ARGUMENT('a lobby needs a name')
    if (this.joinGate) await this.joinGate
    const failure = this.failNextJoin
    if (failure) {
      this.failNextJoin = null
      throw failure
    }
    const lobby = new FakeLobby(name, fakePeer(this.me, undefined, 'self'), opts)
    this.lobbies.push(lobby)
    this.setupLobby?.(lobby)
    return lobby
  }

  async friends(): Promise<Friend[]> {
    this.#log('friends')
    this.#need()
    return this.friendList
  }

  /** Replaces the friend list, with `friendschange`. */
  setFriends(list: Friend[]): void {
    this.friendList = list
    this.dispatchEvent(new Event('friendschange'))
  }

  async createInvite(): Promise<string> {
    this.#need()
    return 'invite-token'
  }

  async acceptInvite(token: string): Promise<Friend> {
    this.#need()
    return { identity: fakeIdentity(token), online: false }
  }

  /** What `joinIntent()` gives next (once): the popup's Join. */
  intent: Friend | null = null

  async joinIntent(): Promise<Friend | null> {
    this.#log('joinIntent')
    this.#need()
    const intent = this.intent
    this.intent = null
    return intent
  }
}

/**
 * Makes `provider` the page's `window.p2p` and answers `p2p:requestProvider`
 * as the real page script does. Returns the undo.
 */
export function installProvider(provider: P2PProvider | null): () => void {
  const controller = new AbortController()
  Object.defineProperty(window, 'p2p', { value: provider, configurable: true, writable: true })
  if (provider) {
    const info = { name: 'Porchlight (fake)', version: '0.0.0', uuid: 'fake', icon: '' }
    window.addEventListener(
      'p2p:requestProvider',
      () =>
        window.dispatchEvent(
          new CustomEvent('p2p:announceProvider', { detail: { info, provider } }),
        ),
      { signal: controller.signal },
    )
  }
  return () => {
    controller.abort()
    Reflect.deleteProperty(window, 'p2p')
  }
}

/** Announces `provider` once, as a page script that loaded late would. */
export function announceProvider(provider: P2PProvider): void {
  const info = { name: 'Porchlight (fake)', version: '0.0.0', uuid: 'fake', icon: '' }
  window.dispatchEvent(new CustomEvent('p2p:announceProvider', { detail: { info, provider } }))
}
