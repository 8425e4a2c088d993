/**
 * The engine's friends: one FriendCircle per identity in use, on that
 * identity's swarm (so friends' connections and replication are the ones
 * lobbies use), opened on the first friends call or host() and kept while
 * the engine lives. What a page sees is filtered: the sessions hosted on its
 * own origin only (the extension's own pages see all).
 */
import { P2PError } from '../../src/errors.js'
import { FriendCircle, type FriendState } from '../../src/friends/circle.js'
import type { FriendStore } from '../../src/friends/friend-store.js'
import { rendezvousSecret } from '../../src/friends/rendezvous.js'
import type { IdentityManager } from '../../src/identity/manager.js'
import type { EngineNotice, FriendsParams } from '../../src/protocol/messages.js'
import { sessionInfo, type FriendWire } from '../../src/protocol/sessions.js'
import { clampHeartbeat, DEFAULT_HEARTBEAT_MS } from '../../src/sessions/liveness.js'
import { parseSessionUrl } from '../../src/sessions/session-url.js'
import type { SwarmPool } from './swarms.js'

export interface FriendsHubOptions {
  swarms: SwarmPool
  identities(): Promise<IdentityManager>
  store(): Promise<FriendStore>
  notify(notice: EngineNotice): void
}

function originOf(url: string): string | null {
  try {
    return parseSessionUrl(url).origin
  } catch {
    return null
  }
}

export class FriendsHub {
  readonly #opts: FriendsHubOptions
  readonly #circles = new Map<string, Promise<FriendCircle>>()
  #heartbeat = DEFAULT_HEARTBEAT_MS

  constructor(opts: FriendsHubOptions) {
    this.#opts = opts
  }

  /** The circle of `p.identity`, opened on first use. */
  circle(p: FriendsParams): Promise<FriendCircle> {
    this.#heartbeat = clampHeartbeat(p.heartbeat)
    let pending = this.#circles.get(p.identity)
    if (!pending) {
      pending = this.#open(p)
      this.#circles.set(p.identity, pending)
      pending.catch(
        () => this.#circles.get(p.identity) === pending && this.#circles.delete(p.identity),
      )
    }
    return pending
  }

  async list(origin: string | null, p: FriendsParams & { all?: boolean }): Promise<FriendWire[]> {
    const circle = await this.circle(p)
    return circle.list().map((f) => this.#wire(f, p.all === true ? null : origin))
  }

  async createInvite(p: FriendsParams): Promise<string> {
    return (await this.circle(p)).createInvite()
  }

  async acceptInvite(p: FriendsParams & { token: string }): Promise<FriendWire> {
    return this.#wire(await (await this.circle(p)).acceptInvite(p.token), null)
  }

  async #open(p: FriendsParams): Promise<FriendCircle> {
    const manager = await this.#opts.identities()
    const archive = manager.archive(p.identity)
    const secretKey = archive.core.keyPair?.secretKey
    if (!secretKey) throw P2PError.PERMISSION_DENIED('this identity has no secret key here')
    const lease = await this.#opts.swarms.lease(p.identity, p.trackers)
    try {
      const circle = await FriendCircle.open({
        swarm: lease.swarm,
        replicator: lease.replicator,
        archive,
        rendezvous: rendezvousSecret(secretKey),
        addFriend: (url) => manager.addFriend(p.identity, url),
        store: await this.#opts.store(),
        interval: () => this.#heartbeat,
      })
      circle.on('change', () => this.#opts.notify({ t: 'friends', identity: p.identity }))
      return circle
    } catch (err) {
      lease.release()
      throw err
    }
  }

  /** A friend as a page sees it; `origin` null shows sessions of every site. */
  #wire(f: FriendState, origin: string | null): FriendWire {
    const wire: FriendWire = {
      identity: { url: f.url, name: f.name ?? 'Unknown', created: f.created ?? 0 },
      online: f.online,
    }
    if (f.session && (origin === null || originOf(f.session.url) === origin)) {
      wire.session = sessionInfo(f.session)
    }
    return wire
  }
}
