/**
 * A lobby: the peers of one (origin, name) topic, with each peer's identity
 * and session-data. No chrome.*: the engine wraps it for pages.
 *
 * States: `discovering` (announced, nobody yet) → `connecting` (a connection
 * is being set up) → `connected` (at least one peer); `full` at `maxPeers`;
 * `closed` after leave(). A peer that leaves or closes its tab or browser
 * drops out of `peers` at once (bye, data channel close), one that hangs
 * within the heartbeat's 4 s. While every peer is quiet (a network outage)
 * the state is `connecting`, peers kept, until they are heard again: a cut
 * path is given the heartbeat's path grace (20 s), so the lobby's leave
 * bound, for a peer that vanishes without a word, is timeout + path grace =
 * 24 s (Heartbeat.bound; see ../swarm/heartbeat.ts).
 */
import { P2PError } from '../errors.js'
import {
  DEFAULT_MAX_PEERS,
  MAX_MAX_PEERS,
  samePathCounts,
  type LobbyState,
  type PathCounts,
  type PeerPath,
} from '../protocol/lobby.js'
import { Emitter } from '../events.js'
import { lobbyTopic, normalizeLobbyName, type Topic } from '../signaling/topic.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import type { TopicMembership } from '../swarm/topic-membership.js'
import { LobbyPresence } from './presence.js'
import {
  PRESENCE_CHANNEL,
  presenceData,
  presenceIdentity,
  type PresenceRecord,
  type SharedProfile,
} from './presence-record.js'
import { realClock, type Clock } from '../clock.js'
import {
  SessionDataReceiver,
  SessionDataSender,
  sameBytes,
  sessionDataBytes,
} from './session-data.js'

export const SESSION_DATA_CHANNEL = 'session-data'
export { DEFAULT_MAX_PEERS, MAX_MAX_PEERS }
/** Offers per announce at most, whatever room the lobby has. */
const OFFERS_PER_ANNOUNCE = 5

export type { LobbyState }

/** Another peer in the lobby. */
export interface LobbyPeer {
  /** The remote browser instance (the engine shows pages a per-origin alias). */
  readonly peerId: string
  /** Its identity, authenticated by the connection's hello. */
  readonly identityUrl: string
  /** Its latest session-data in this lobby; null until it sends some. */
  readonly sessionData: Uint8Array | null
  /**
   * How our connection to it was signaled (a tracker, a relay peer, a lobby
   * log), or `mesh`: no connection, its presence reaches us through others.
   */
  readonly path: PeerPath
  /**
   * Its name as it signed it: in the connection's hello, or (mesh peers) in
   * its presence record. Its replicated archive may bring a newer one.
   */
  readonly profile?: SharedProfile | null
}

export interface LobbyEvents {
  'peer-join': { peer: LobbyPeer }
  'peer-leave': { peer: LobbyPeer }
  'session-data': { peer: LobbyPeer; data: Uint8Array }
  /** A peer known through the mesh shares another name now (its newer presence record says so). */
  'peer-profile': { peer: LobbyPeer }
  /** The state changed, or how many peers each signaling path connected (`paths`). */
  state: { state: LobbyState; paths: PathCounts }
  /** Signaling trouble, or a peer that refused us because it is full (`lobby-full`). */
  error: { error: P2PError }
}

/**
 * What a hosted session decides about a peer that joined its topic: `ok`
 * (it becomes a member), `full` (it is refused and hears lobby-full) or
 * `left` (it is sent away quietly).
 */
export type Admission = 'ok' | 'full' | 'left'

export interface LobbyOptions {
  swarm: Swarm
  /** The page's origin, as the service worker attests it. */
  origin: string
  name: string
  /** Most other peers at once (1–64, default 16). */
  maxPeers?: number
  /** Session-data pacing; the DEP-0006 defaults (5 s, burst 2) unless testing. */
  sessionData?: { interval?: number; burst?: number; clock?: Clock }
  /** Hosted sessions: the topic to meet on instead of lobbyTopic(origin, name). */
  topic?: Topic
  /**
   * Hosted sessions: decides whether a peer that joined the topic becomes a
   * member. With it the lobby answers every offer (so a peer past maxPeers
   * is refused explicitly, not left waiting) and `admit` enforces the room.
   */
  admit?: (peer: RemotePeer) => Promise<Admission>
  /** Presence records through the mesh: refresh interval and least gap between two, ms. */
  presence?: { refresh?: number; minInterval?: number }
}

interface Member {
  remote: RemotePeer
  sender: SessionDataSender
  receiver: SessionDataReceiver
  view: LobbyView
}

type LobbyView = { -readonly [K in keyof LobbyPeer]: LobbyPeer[K] }

export class Lobby extends Emitter<LobbyEvents> {
  readonly origin: string
  readonly name: string
  readonly topic: Topic
  readonly maxPeers: number
  /** The swarm membership under the lobby (other channels, e.g. rpc, ride on it). */
  readonly membership: TopicMembership
  readonly #members = new Map<string, Member>()
  /** Each peer's latest admission: an older one's late outcome must not decide a rejoin. */
  readonly #admissions = new Map<string, object>()
  /** Members we are not connected to, known from their presence records. */
  readonly #mesh = new Map<string, LobbyView>()
  readonly #presence: LobbyPresence
  readonly #sessionOpts: { interval?: number; burst?: number; clock: Clock }
  #own: Uint8Array | null = null
  #state: LobbyState = 'discovering'
  /** Signaling trouble since the last peer joined (no tracker reachable), if any. */
  #trouble: P2PError | null = null
  /** The path counts the last `state` event carried (null before the first). */
  #paths: PathCounts | null = null
  readonly #stop = new AbortController()

  /** Joins lobby `name` of `origin` on `swarm`. */
  static async join(opts: LobbyOptions): Promise<Lobby> {
    const name = normalizeLobbyName(opts.name)
    const maxPeers = opts.maxPeers ?? DEFAULT_MAX_PEERS
    if (!Number.isSafeInteger(maxPeers) || maxPeers < 1 || maxPeers > MAX_MAX_PEERS) {
      throw P2PError.INVALID_ARGUMENT(`maxPeers must be an integer from 1 to ${MAX_MAX_PEERS}`)
    }
    const topic = opts.topic ?? (await lobbyTopic(opts.origin, name))
    return new Lobby(opts, name, maxPeers, topic)
  }

  private constructor(opts: LobbyOptions, name: string, maxPeers: number, topic: Topic) {
    super()
    this.origin = opts.origin
    this.name = name
    this.maxPeers = maxPeers
    this.topic = topic
    this.#sessionOpts = { ...opts.sessionData, clock: opts.sessionData?.clock ?? realClock }
    // The swarm asks for offers while join() runs, before `membership` is set.
    const pending = () => (this.membership as TopicMembership | undefined)?.pending ?? 0
    this.membership = opts.swarm.join(topic, {
      wanted: () => Math.min(OFFERS_PER_ANNOUNCE, this.maxPeers - this.#members.size - pending()),
      accepting: opts.admit ? () => true : () => this.#members.size + pending() < this.maxPeers,
    })
    const signal = this.#stop.signal
    const m = this.membership
    this.#presence = new LobbyPresence({
      local: opts.swarm.local,
      topic: topic.hex,
      link: {
        neighbours: () => [...this.#members.keys()],
        send: (peerId, payload) => m.send(peerId, PRESENCE_CHANNEL, payload),
      },
      ...opts.presence,
    })
    const presence = this.#presence
    presence.on('record', ({ rec }) => this.#onRecord(rec), { signal })
    presence.on('expired', ({ peerId }) => this.#meshGone(peerId), { signal })
    presence.on('error', (detail) => this.emit('error', detail), { signal })
    presence.start()
    const admit = opts.admit
    m.on('peer-join', ({ peer }) => (admit ? this.#admit(peer, admit) : this.#onJoin(peer)), {
      signal,
    })
    m.on('peer-leave', ({ peer }) => this.#onLeave(peer), { signal })
    m.on('data', (d) => d.channel === SESSION_DATA_CHANNEL && this.#onData(d), { signal })
    m.on(
      'data',
      ({ peer, channel, payload }) =>
        channel === PRESENCE_CHANNEL &&
        this.#members.get(peer.peerId)?.remote === peer &&
        presence.receive(peer.peerId, payload),
      { signal },
    )
    m.on('pending', () => this.#updateState(), { signal })
    m.on(
      'error',
      (detail) => {
        if (detail.error.code === 'signaling-failed') this.#trouble = detail.error
        this.emit('error', detail)
      },
      { signal },
    )
    m.on('reachable', () => (this.#trouble = null), { signal })
    m.on(
      'refused',
      ({ peerId }) =>
        this.emit('error', {
          error: new P2PError('lobby-full', `peer ${peerId} is full in lobby "${this.name}"`),
        }),
      { signal },
    )
  }

  get state(): LobbyState {
    return this.#state
  }

  /**
   * The signaling trouble reported since a peer last joined or a server last
   * answered (e.g. no tracker reachable), for whoever starts listening after
   * it was emitted.
   */
  get trouble(): P2PError | null {
    return this.#trouble
  }

  /** How many of the peers each signaling path connected (`mesh`: not connected). */
  get paths(): PathCounts {
    const counts: PathCounts = {}
    for (const view of this.#views()) counts[view.path] = (counts[view.path] ?? 0) + 1
    return counts
  }

  /** The other peers, by peer id: those we are connected to, then those the mesh tells of. */
  get peers(): ReadonlyMap<string, LobbyPeer> {
    return new Map([...this.#views()].map((view) => [view.peerId, view]))
  }

  *#views(): Iterable<LobbyView> {
    for (const { view } of this.#members.values()) yield view
    yield* this.#mesh.values()
  }

  /**
   * Sets our session-data for this lobby (≤ 256 bytes, else `payload-too-large`).
   * Each peer gets it at once, or at its next 5 s slot with later values coalesced.
   */
  setSessionData(data: Uint8Array | string): void {
    if (this.#state === 'closed') throw P2PError.NOT_CONNECTED(`left lobby "${this.name}"`)
    const bytes = sessionDataBytes(data)
    this.#own = bytes
    for (const member of this.#members.values()) member.sender.set(bytes)
    this.#presence.setData(bytes)
  }

  /** The name our presence records share with members we are not connected to (null: none). */
  setProfile(profile: SharedProfile | null): void {
    if (this.#state !== 'closed') this.#presence.setProfile(profile)
  }

  getSessionData(): Uint8Array | null {
    return this.#own ? Uint8Array.from(this.#own) : null
  }

  /** Leaves: peers are told at once; connections nothing else needs close. */
  leave(): void {
    if (this.#state === 'closed') return
    this.#presence.close()
    this.membership.leave()
    for (const member of this.#members.values()) member.sender.close()
    this.#members.clear()
    this.#mesh.clear()
    this.#stop.abort()
    this.#setState('closed')
  }

  #admit(remote: RemotePeer, admit: (peer: RemotePeer) => Promise<Admission>): void {
    const tag = {}
    this.#admissions.set(remote.peerId, tag)
    const decided = (verdict: Admission) => {
      if (this.#admissions.get(remote.peerId) !== tag) return // the peer left and came back
      this.#admissions.delete(remote.peerId)
      if (this.#state === 'closed' || !this.membership.has(remote.peerId)) return
      if (verdict === 'ok') this.#onJoin(remote)
      else this.membership.refuse(remote.peerId, verdict === 'full' ? 'full' : 'left')
    }
    admit(remote).then(decided, () => decided('left'))
  }

  #onJoin(remote: RemotePeer): void {
    const peerId = remote.peerId
    this.#trouble = null
    const sender = new SessionDataSender({
      send: (payload) => this.membership.send(peerId, SESSION_DATA_CHANNEL, payload),
      ...this.#sessionOpts,
    })
    const member: Member = {
      remote,
      sender,
      receiver: new SessionDataReceiver(this.#sessionOpts),
      view: {
        peerId,
        identityUrl: remote.identityUrl,
        sessionData: null,
        path: remote.path,
        profile: remote.profile,
      },
    }
    this.#members.set(peerId, member)
    // Known through the mesh until now: the connection speaks for it from here on.
    this.#mesh.delete(peerId)
    this.#presence.forget(peerId)
    // A new connection starts empty on both sides: ours goes out at once.
    if (this.#own) sender.set(this.#own)
    this.#presence.greet(peerId)
    this.emit('peer-join', { peer: member.view })
    this.#updateState()
  }

  #onLeave(remote: RemotePeer): void {
    const member = this.#members.get(remote.peerId)
    if (member?.remote !== remote) return
    this.#members.delete(remote.peerId)
    member.sender.close()
    // Still here through others? Its next record says so.
    this.#presence.forget(remote.peerId)
    this.emit('peer-leave', { peer: member.view })
    this.#updateState()
  }

  #onData({ peer, payload }: { peer: RemotePeer; payload: Uint8Array }): void {
    const member = this.#members.get(peer.peerId)
    if (member?.remote !== peer) return
    if (member.receiver.receive(payload) !== 'changed') return
    const data = member.receiver.value ?? new Uint8Array(0)
    member.view.sessionData = data
    this.emit('session-data', { peer: member.view, data: Uint8Array.from(data) })
  }

  /** A new presence record of a member: one we are not connected to joins, changes or leaves. */
  #onRecord(rec: PresenceRecord): void {
    if (this.#state === 'closed' || this.#members.has(rec.from)) return
    if (rec.gone) {
      this.#meshGone(rec.from)
      return
    }
    const data = presenceData(rec)
    let view = this.#mesh.get(rec.from)
    if (!view) {
      if (this.#members.size + this.#mesh.size >= MAX_MAX_PEERS) return
      view = {
        peerId: rec.from,
        identityUrl: presenceIdentity(rec),
        sessionData: null,
        path: 'mesh',
        profile: rec.profile,
      }
      this.#mesh.set(rec.from, view)
      this.emit('peer-join', { peer: view })
      this.#updateState()
    } else if (!sameProfile(view.profile, rec.profile)) {
      view.profile = rec.profile
      this.emit('peer-profile', { peer: view })
    }
    if (data && !sameBytes(data, view.sessionData)) {
      view.sessionData = data
      this.emit('session-data', { peer: view, data: Uint8Array.from(data) })
    }
  }

  #meshGone(peerId: string): void {
    const view = this.#mesh.get(peerId)
    this.#presence.forget(peerId)
    if (!view) return
    this.#mesh.delete(peerId)
    this.emit('peer-leave', { peer: view })
    this.#updateState()
  }

  #updateState(): void {
    if (this.#state === 'closed') return
    const peers = this.#members.size
    // Every peer quiet (a network outage): reconnecting, peers kept for the grace.
    const stalled = [...this.#members.values()].every((m) => m.remote.stalled)
    if (peers >= this.maxPeers && !stalled) this.#setState('full')
    else if (peers > 0 && !stalled) this.#setState('connected')
    else if (peers > 0) this.#setState('connecting')
    else if (this.membership.pending > 0) this.#setState('connecting')
    else this.#setState('discovering')
  }

  #setState(state: LobbyState): void {
    const paths = state === 'closed' ? {} : this.paths
    if (state === this.#state && this.#paths && samePathCounts(paths, this.#paths)) return
    this.#state = state
    this.#paths = paths
    this.emit('state', { state, paths })
  }
}

function sameProfile(a: SharedProfile | null | undefined, b: SharedProfile | null): boolean {
  return (a ?? null) === b || (!!a && !!b && a.name === b.name && a.created === b.created)
}
