/**
 * What the pages of one shared lobby see of its peers (./lobbies.ts): a
 * per-origin alias for each (not the swarm peer id), the peer's identity
 * with the name it signed in its hello (or presence record), else once its
 * replicated profile is read (or later: a newer or late profile goes out as
 * `peer-update`), its session-data,
 * and each peer's events in order. Session-data seen from peers is also
 * handed to the service worker to retain for the origin.
 */
import { bytesToHex } from '@noble/curves/utils.js'
import { toBase64 } from '../../src/bytes.js'
import type { Profile } from '../../src/identity/records.js'
import type { LobbyPeer } from '../../src/lobby/lobby.js'
import { PEER_ALIAS_BYTES, type PeerPath, type PeerWire } from '../../src/protocol/lobby.js'
import type { LobbyEventsWire } from '../../src/protocol/lobby.js'
import type { EngineNotice, Identity } from '../../src/protocol/messages.js'
import type { ArchiveReplicator } from '../../src/replication/replicator.js'
import { digest } from '../../src/transcript.js'

/** How long a peer-join without a signed name waits for the peer's profile before it goes out without it, ms. */
const PROFILE_WAIT_MS = 2_000
const ALIAS_DOMAIN = 'porchlight/peer-alias/v1'

export interface PeerView {
  alias: string
  /** How we reach the peer (`mesh`: through other members). */
  path: PeerPath
  identity: Identity | null
  sessionData: Uint8Array | null
  /** Announced to the handles (peer-join went out). */
  announced: boolean
  /** This peer's events, in order. */
  chain: Promise<void>
}

type PeerEvents = Pick<LobbyEventsWire, 'peer-join' | 'peer-leave' | 'peer-update' | 'session-data'>

export interface PeerViewsOptions {
  origin: string
  name: string
  /** The engine's secret alias key: aliases are stable while connected, unlinkable across origins. */
  aliasKey: Uint8Array
  replicator: ArchiveReplicator | null | undefined
  /** Sends an event to every page holding the lobby. */
  toAll<N extends keyof PeerEvents>(name: N, data: PeerEvents[N]): void
  notify(notice: EngineNotice): void
}

export function identityOf(url: string, profile: Pick<Profile, 'name' | 'created'>): Identity {
  return { url, name: profile.name, created: profile.created }
}

function sameIdentity(a: Identity | null, b: Identity): boolean {
  return a?.url === b.url && a.name === b.name && a.created === b.created
}

const delay = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))

/** The alias of `peerId` for pages of `origin`. */
export async function peerAlias(key: Uint8Array, origin: string, peerId: string): Promise<string> {
  const hash = await digest(ALIAS_DOMAIN, [key, origin, peerId])
  return bytesToHex(hash.subarray(0, PEER_ALIAS_BYTES))
}

export function peerWire(view: PeerView): PeerWire {
  return {
    id: view.alias,
    identity: view.identity,
    sessionData: view.sessionData ? toBase64(view.sessionData) : null,
    path: view.path,
  }
}

/** The peers of one shared lobby as its pages see them, by swarm peer id. */
export class PeerViews {
  readonly #opts: PeerViewsOptions
  readonly views = new Map<string, PeerView>()

  constructor(opts: PeerViewsOptions) {
    this.#opts = opts
  }

  /** The views already announced to pages, with their peer ids. */
  announced(): Array<[string, PeerView]> {
    return [...this.views].filter(([, v]) => v.announced)
  }

  /** Runs `step` after the peer's earlier events. */
  then(view: PeerView, step: () => Promise<void> | void): void {
    view.chain = view.chain.then(step).catch((err: unknown) => {
      console.error('Porchlight: lobby event failed', err)
    })
  }

  /**
   * Runs `step` after the peer's earlier events with its alias as the pages
   * know it (undefined if never announced). The view is the one known now,
   * so a step queued just before the peer left still runs, before its
   * peer-leave, instead of finding no peer when it runs.
   */
  after(peerId: string, step: (alias: string | undefined) => void): void {
    const view = this.views.get(peerId)
    if (view) this.then(view, () => step(view.announced ? view.alias : undefined))
  }

  joined(peer: LobbyPeer): void {
    const { origin, aliasKey, replicator } = this.#opts
    const view: PeerView = {
      alias: '',
      path: peer.path,
      identity: null,
      sessionData: null,
      announced: false,
      chain: Promise.resolve(),
    }
    this.views.set(peer.peerId, view)
    this.then(view, async () => {
      view.alias = await peerAlias(aliasKey, origin, peer.peerId)
      // The name it signed (hello, presence record) goes out at once; only a
      // connected peer that signed none is waited for, a little, by replication.
      const offered = peer.profile ?? null
      const pending =
        !offered && replicator && peer.path !== 'mesh'
          ? replicator.profile(peer.peerId).then(
              (profile) => identityOf(peer.identityUrl, profile),
              () => null,
            )
          : Promise.resolve(null)
      const first = offered
        ? identityOf(peer.identityUrl, offered)
        : await Promise.race([pending, delay(PROFILE_WAIT_MS)])
      if (this.views.get(peer.peerId) !== view) return
      // A profile that comes later arrives as peer-update (see renamed).
      if (first !== 'timeout') view.identity = first
      view.announced = true
      this.#opts.toAll('peer-join', { peer: peerWire(view) })
    })
  }

  left(peer: LobbyPeer): void {
    const view = this.views.get(peer.peerId)
    if (!view) return
    this.views.delete(peer.peerId)
    this.then(view, () => {
      if (view.announced) this.#opts.toAll('peer-leave', { peer: peerWire(view) })
    })
  }

  sessionData(peer: LobbyPeer, data: Uint8Array): void {
    const view = this.views.get(peer.peerId)
    if (!view) return
    this.then(view, () => {
      view.sessionData = data
      if (this.views.get(peer.peerId) !== view) return
      const encoded = toBase64(data)
      this.#opts.toAll('session-data', { peer: peerWire(view), data: encoded })
      this.#opts.notify({
        t: 'retain',
        origin: this.#opts.origin,
        name: this.#opts.name,
        identity: peer.identityUrl,
        data: encoded,
      })
    })
  }

  /** A peer's profile arrived late or changed (a rename): its pages hear `peer-update`. */
  renamed(peerId: string, identity: Identity): void {
    const view = this.views.get(peerId)
    if (!view?.announced || sameIdentity(view.identity, identity)) return
    view.identity = identity
    this.#opts.toAll('peer-update', { peer: peerWire(view) })
  }
}
