/**
 * One identity's friends, live: who is online, their profiles and their
 * sessions, and the invites that make new friends (seed 004's tokens).
 *
 *   const circle = await FriendCircle.open({ swarm, replicator, archive, … })
 *   circle.list()                       // [{ url, name, created, online, session }]
 *   const token = await circle.createInvite()
 *   await otherCircle.acceptInvite(token)   // both are friends now
 *   circle.on('change', …)
 *
 * We announce our rendezvous topic (./rendezvous.ts) and join each friend's,
 * on the identity's swarm, so friends connect whenever both are online; the
 * swarm's ArchiveReplicator then replicates their archives, whose
 * profile.json and session.json we read. A session counts while its
 * heartbeat is fresh (../sessions/liveness.ts: two of the host's intervals
 * since its latest version reached us), online or not.
 */
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type { IdentityArchive } from '../identity/archive.js'
import { parseHyperUrl } from '../identity/hyper-url.js'
import type { Profile, Session } from '../identity/records.js'
import type { ArchiveReplicator } from '../replication/replicator.js'
import { isLive, staleAt } from '../sessions/liveness.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import type { TopicMembership } from '../swarm/topic-membership.js'
import { decodeClaim, encodeClaim, FRIENDS_CHANNEL, type ClaimMessage } from './claim.js'
import type { FriendRecord, FriendStore } from './friend-store.js'
import { checkNotExpired, decodeInvite } from './invite.js'
import { issueInvite, redeemInvite } from './invite-book.js'
import { friendTopic } from './rendezvous.js'

/** How long accepting an invite waits for the inviter, ms (under the worker's 20 s call timeout). */
export const CLAIM_TIMEOUT = 15_000
/**
 * Offers per announce while a friend is not connected: the friend's topic
 * also holds its other friends, and each offer reaches one peer at random.
 */
const OFFERS = 5

/** A friend as the circle sees it. */
export interface FriendState {
  url: string
  name: string | null
  created: number | null
  online: boolean
  /** Their session.json while its heartbeat is fresh. */
  session: Session | null
}

export interface CircleOptions {
  swarm: Swarm
  replicator: ArchiveReplicator | null
  /** Our identity's archive (its profile lists our friends). */
  archive: IdentityArchive
  /** Our rendezvous secret. */
  rendezvous: Uint8Array
  /** Adds a friend's URL to our profile.json. */
  addFriend(url: string): Promise<Profile>
  store: FriendStore
  /** Our heartbeat interval, ms: how often the list is looked at again (sessions state their own). */
  interval(): number
  now?: () => number
}

export interface CircleEvents {
  change: { friends: FriendState[] }
}

interface Entry {
  record: FriendRecord | null
  /** The latest replicated profile facts (also for friends without a record). */
  name: string | null
  created: number | null
  session: Session | null
  /** Our time when the latest version of `session` arrived. */
  seenAt: number
  membership: TopicMembership | null
}

export class FriendCircle extends Emitter<CircleEvents> {
  readonly #opts: CircleOptions
  readonly #url: string
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()
  readonly #own: TopicMembership
  readonly #stops: Array<() => void> = []
  #redeeming: Promise<unknown> = Promise.resolve()
  #signature = ''
  #timer: ReturnType<typeof setInterval> | null = null
  /** Wakes us when the next live session goes stale. */
  #staleTimer: ReturnType<typeof setTimeout> | undefined

  private constructor(opts: CircleOptions, records: FriendRecord[]) {
    super()
    this.#opts = opts
    this.#url = opts.archive.url
    this.#now = opts.now ?? Date.now
    for (const url of opts.archive.profile?.friends ?? []) {
      this.#entries.set(url, {
        record: null,
        name: null,
        created: null,
        session: null,
        seenAt: 0,
        membership: null,
      })
    }
    for (const record of records) {
      const entry = this.#entries.get(record.url)
      if (entry) entry.record = record
    }
    this.#own = opts.swarm.join(friendTopic(opts.rendezvous), {
      wanted: () => 0,
      accepting: () => true,
    })
    this.#own.on('data', (d) => d.channel === FRIENDS_CHANNEL && this.#onClaim(d.peer, d.payload))
    for (const [url, entry] of this.#entries) this.#follow(url, entry)
    const { swarm, replicator } = opts
    this.#stops.push(
      swarm.on('peer-connected', ({ peer }) => this.#touched(peer.identityUrl)),
      swarm.on('peer-disconnected', ({ peer }) => this.#touched(peer.identityUrl)),
    )
    if (replicator) {
      this.#stops.push(
        replicator.on('profile', ({ peer, profile }) => void this.#onProfile(peer, profile)),
        replicator.on('session', ({ peer, session }) => this.#onSession(peer, session)),
      )
      for (const peer of swarm.peers()) this.#readPeer(peer)
    }
    const tick = Math.max(250, Math.min(5_000, opts.interval() / 4))
    this.#timer = setInterval(() => this.#changed(), tick)
  }

  static async open(opts: CircleOptions): Promise<FriendCircle> {
    return new FriendCircle(opts, await opts.store.friends(opts.archive.url))
  }

  /** Every friend, in the order they were added. */
  list(): FriendState[] {
    const online = new Set(this.#opts.swarm.peers().map((p) => p.identityUrl))
    const now = this.#now()
    return [...this.#entries].map(([url, e]) => ({
      url,
      name: e.name ?? e.record?.name ?? null,
      created: e.created ?? e.record?.created ?? null,
      online: online.has(url),
      session: e.session && isLive(e.session, e.seenAt, now) ? e.session : null,
    }))
  }

  /** A token that makes whoever accepts it our friend, once, within a day. */
  createInvite(): Promise<string> {
    return issueInvite(this.#opts.store, {
      identity: this.#url,
      rendezvous: this.#opts.rendezvous,
      now: this.#now(),
    })
  }

  /**
   * Accepts a token: finds the inviter, claims the invite, and makes both
   * friends. Rejects with `invalid-argument` (not a token, expired, used, our
   * own) or `timeout` (the inviter was not reachable).
   */
  async acceptInvite(token: string, timeout = CLAIM_TIMEOUT): Promise<FriendState> {
    const invite = decodeInvite(token)
    checkNotExpired(invite, this.#now())
    if (invite.inviter === this.#url) {
      throw P2PError.INVALID_ARGUMENT('this invite is your own; hand it to someone else')
    }
    const existing = this.#entries.get(invite.inviter)
    const membership =
      existing?.membership ??
      this.#opts.swarm.join(friendTopic(invite.rendezvous), {
        wanted: () => (this.#isOnline(invite.inviter) ? 0 : OFFERS),
        accepting: () => true,
      })
    try {
      const answer = await this.#claim(
        membership,
        invite.inviter,
        {
          t: 'claim',
          invite: invite.secret,
          rendezvous: this.#opts.rendezvous,
        },
        timeout,
      )
      if (answer.t === 'refused') throw P2PError.INVALID_ARGUMENT(answer.message)
    } catch (err) {
      if (!existing?.membership) membership.leave()
      throw err
    }
    const record: FriendRecord = {
      identity: this.#url,
      url: invite.inviter,
      rendezvous: invite.rendezvous,
      name: existing?.record?.name ?? null,
      created: existing?.record?.created ?? null,
    }
    await this.#befriend(record, membership)
    return this.list().find((f) => f.url === invite.inviter) as FriendState
  }

  /** Leaves every topic; the swarm stays. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    clearTimeout(this.#staleTimer)
    for (const stop of this.#stops.splice(0)) stop()
    this.#own.leave()
    for (const entry of this.#entries.values()) entry.membership?.leave()
  }

  #isOnline(url: string): boolean {
    return this.#opts.swarm.peers().some((p) => p.identityUrl === url)
  }

  /** Joins a friend's rendezvous topic, if we know it. */
  #follow(url: string, entry: Entry): void {
    if (entry.membership || !entry.record) return
    entry.membership = this.#opts.swarm.join(friendTopic(entry.record.rendezvous), {
      wanted: () => (this.#isOnline(url) ? 0 : OFFERS),
      accepting: () => true,
    })
  }

  async #befriend(record: FriendRecord, membership: TopicMembership | null): Promise<void> {
    const friend = parseHyperUrl(record.url, 'friend')
    await this.#opts.store.putFriend(record)
    if (!this.#opts.archive.profile?.friends.includes(friend)) await this.#opts.addFriend(friend)
    const entry = this.#entries.get(friend) ?? {
      record: null,
      name: null,
      created: null,
      session: null,
      seenAt: 0,
      membership: null,
    }
    entry.record = record
    if (membership && !entry.membership) entry.membership = membership
    this.#entries.set(friend, entry)
    this.#follow(friend, entry)
    // A friend already connected (the claim's connection, a lobby) was read before it was one.
    const peer = this.#opts.swarm.peers().find((p) => p.identityUrl === friend)
    if (peer) this.#readPeer(peer)
    this.#changed()
  }

  /** Sends a claim to the inviter once it is in the topic; its answer. */
  #claim(
    membership: TopicMembership,
    inviter: string,
    claim: ClaimMessage,
    timeout: number,
  ): Promise<Exclude<ClaimMessage, { t: 'claim' }>> {
    return new Promise((resolve, reject) => {
      const stops: Array<() => void> = []
      const done = (fn: () => void) => {
        clearTimeout(timer)
        for (const stop of stops) stop()
        fn()
      }
      const timer = setTimeout(
        () => done(() => reject(P2PError.TIMEOUT('the inviter (are they online?)', timeout))),
        timeout,
      )
      const send = (peer: RemotePeer) => {
        if (peer.identityUrl === inviter)
          membership.send(peer.peerId, FRIENDS_CHANNEL, encodeClaim(claim))
      }
      stops.push(
        membership.on('peer-join', ({ peer }) => send(peer)),
        membership.on('data', ({ peer, channel, payload }) => {
          if (channel !== FRIENDS_CHANNEL || peer.identityUrl !== inviter) return
          const msg = decodeClaim(payload)
          if (msg && msg.t !== 'claim') done(() => resolve(msg))
        }),
      )
      for (const peer of membership.peers()) send(peer)
      membership.announce()
    })
  }

  /** A claim on our own topic: redeem it once, befriend the claimer, answer. */
  #onClaim(peer: RemotePeer, payload: Uint8Array): void {
    const msg = decodeClaim(payload)
    if (msg?.t !== 'claim') return
    const answer = (m: ClaimMessage) => this.#own.send(peer.peerId, FRIENDS_CHANNEL, encodeClaim(m))
    const run = async () => {
      if (peer.identityUrl === this.#url) throw P2PError.INVALID_ARGUMENT('an invite of your own')
      await redeemInvite(this.#opts.store, {
        identity: this.#url,
        secret: msg.invite,
        claimer: peer.identityUrl,
        now: this.#now(),
      })
      const old = this.#entries.get(peer.identityUrl)?.record
      await this.#befriend(
        {
          identity: this.#url,
          url: peer.identityUrl,
          rendezvous: msg.rendezvous,
          name: old?.name ?? null,
          created: old?.created ?? null,
        },
        null,
      )
    }
    // One claim at a time, so an invite cannot be redeemed twice at once.
    this.#redeeming = this.#redeeming.then(run).then(
      () => answer({ t: 'claimed' }),
      (err: unknown) => answer({ t: 'refused', message: P2PError.from(err).detail }),
    )
  }

  async #onProfile(peer: RemotePeer, profile: Profile): Promise<void> {
    const entry = this.#entries.get(peer.identityUrl)
    const record = entry?.record
    if (!entry) return
    entry.name = profile.name
    entry.created = profile.created
    if (record && (record.name !== profile.name || record.created !== profile.created)) {
      entry.record = { ...record, name: profile.name, created: profile.created }
      await this.#opts.store.putFriend(entry.record).catch(() => undefined)
    }
    this.#changed()
  }

  #onSession(peer: RemotePeer, session: Session | null): void {
    const entry = this.#entries.get(peer.identityUrl)
    if (!entry) return
    // A new version (not the same one read again) restarts its clock.
    if (session && JSON.stringify(session) !== JSON.stringify(entry.session)) {
      entry.seenAt = this.#now()
    }
    entry.session = session
    this.#changed()
  }

  /** Takes what the replicator already read of a connected peer's archive. */
  #readPeer(peer: RemotePeer): void {
    const replicator = this.#opts.replicator
    if (!replicator || !this.#entries.has(peer.identityUrl)) return
    const session = replicator.session(peer.peerId)
    if (session) this.#onSession(peer, session)
    replicator.profile(peer.peerId).then(
      (profile) => this.#onProfile(peer, profile),
      () => undefined,
    )
  }

  #touched(url: string): void {
    if (this.#entries.has(url)) this.#changed()
  }

  /** Looks again just after the soonest live session would go stale. */
  #watchStale(): void {
    const now = this.#now()
    let next = Infinity
    for (const e of this.#entries.values()) {
      const at = e.session ? staleAt(e.session, e.seenAt) : Infinity
      if (at >= now && at < next) next = at
    }
    clearTimeout(this.#staleTimer)
    if (next !== Infinity) this.#staleTimer = setTimeout(() => this.#changed(), next - now + 1)
  }

  /** Emits `change` when what list() shows changed. */
  #changed(): void {
    const friends = this.list()
    this.#watchStale()
    const signature = JSON.stringify(friends)
    if (signature === this.#signature) return
    this.#signature = signature
    this.emit('change', { friends })
  }
}
