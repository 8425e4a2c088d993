/**
 * Who gets into a hosted session: the host admits guests, one at a time,
 * over the topic-scoped `admission` channel.
 *
 *   host  → guest   { t: 'challenge', n }            32 random bytes
 *   guest → host    { t: 'proof', n, mac }           its nonce; HMAC of ./password.ts or ''
 *   host  → guest   { t: 'verdict', v, wait? }       ok | wrong-password | lobby-full | rate-limited
 *   guest → host    { t: 'hello' }                   "send me the challenge (again)"
 *   host  → guest   { t: 'roster', peers }           the other guests the host admitted
 *
 * The host enforces `max_peers` (a guest past it hears `lobby-full`) and the
 * password (`wrong-password`, then `rate-limited` while it must wait). It
 * tells every admitted guest who else it admitted, whenever that changes; a
 * guest admits the host, and another guest only once the host named it in
 * the roster (waiting a little for the roster to catch up), so guests mesh
 * with each other (they meet through the host's relay) but nobody the host
 * did not admit gets in. Both sides plug in as the Lobby's `admit`.
 *
 * Neither side sits out a timeout when the other went away: the host ends a
 * guest's admission when it leaves, and a guest whose host left before
 * answering gives it HOST_GONE_GRACE to come back, then fails with
 * `not-connected`. A refused guest is sent out of the topic only once it had
 * the verdict (it leaves on hearing it; VERDICT_LINGER at most), so closing
 * the connection never cuts the verdict off.
 */
import { randomBytes } from '@noble/curves/utils.js'
import { P2PError, type ErrorCode } from '../errors.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { TopicMembership } from '../swarm/topic-membership.js'
import type { Admission } from '../lobby/lobby.js'
import type { Attempts } from './attempts.js'
import {
  ADMISSION_CHANNEL,
  decodeAdmission,
  type AdmissionMessage,
  type Verdict,
} from './admission-wire.js'
import { Mailbox } from './mailbox.js'
import { checkProof, proveKey, type ProofContext } from './password.js'

export {
  ADMISSION_CHANNEL,
  decodeAdmission,
  encodeAdmission,
  type AdmissionMessage,
  type Verdict,
} from './admission-wire.js'

/** How long either side waits for the other's next message, ms. */
export const ADMISSION_TIMEOUT = 15_000
/** How long a guest waits for the host's roster to name another guest, ms. */
export const ROSTER_WAIT = 10_000
/** How long the host waits for a refused guest to leave before sending it out, ms. */
export const VERDICT_LINGER = 2_000
/** How long a guest whose host left mid-admission waits for it to come back, ms. */
export const HOST_GONE_GRACE = 3_000

/** Resolves when `peerId` leaves `membership`, or after `ms`. */
function leaving(membership: TopicMembership, peerId: string, ms: number): Promise<void> {
  if (!membership.has(peerId)) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      stop()
      resolve()
    }
    const timer = setTimeout(done, ms)
    const stop = membership.on('peer-leave', ({ peer }) => peer.peerId === peerId && done())
  })
}

export interface HostGateOptions {
  membership: TopicMembership
  /** The host: its identity and peer id. */
  self: { identityUrl: string; peerId: string }
  /** Session key from the password, or null for an open session. */
  key: Uint8Array | null
  /** Most guests at once (max_peers − 1: the host counts as a peer). */
  maxGuests: number
  attempts: Attempts
  /** Guests with standing (the host's friends): the shared cap on wrong passwords does not hold them back. */
  trusted?: (identityUrl: string) => boolean
  timeout?: number
  /** How long a refused guest may stay to read its verdict, ms (VERDICT_LINGER). */
  linger?: number
}

/** The host's side: checks each guest's proof and the session's room. */
export class HostGate {
  readonly #opts: HostGateOptions
  readonly #mail: Mailbox
  /** Guests given `ok` and still in the topic. */
  readonly #guests = new Set<string>()
  readonly #stopLeave: () => void

  constructor(opts: HostGateOptions) {
    this.#opts = opts
    this.#mail = new Mailbox(opts.membership)
    this.#stopLeave = opts.membership.on('peer-leave', ({ peer }) => {
      // An admission still waiting for this guest ends now (it may come back: a new one).
      this.#mail.cancel(
        peer.peerId,
        P2PError.NOT_CONNECTED('the guest left before its admission ended'),
      )
      if (this.#guests.delete(peer.peerId)) this.#sendRoster()
    })
  }

  /** Tells every admitted guest who else is admitted. */
  #sendRoster(): void {
    for (const guest of this.#guests) {
      const peers = [...this.#guests].filter((p) => p !== guest)
      this.#mail.send(guest, { t: 'roster', peers })
    }
  }

  /** Guests admitted and still here. */
  get guests(): number {
    return this.#guests.size
  }

  /** The Lobby's `admit`: runs the challenge and answers the verdict. */
  readonly admit = async (peer: RemotePeer): Promise<Admission> => {
    const { membership, self, key, attempts } = this.#opts
    const challenge = randomBytes(32)
    const challengeMsg: AdmissionMessage = { t: 'challenge', n: challenge }
    const proof = this.#mail.next(
      peer.peerId,
      (msg) => {
        if (msg.t === 'hello') this.#mail.send(peer.peerId, challengeMsg)
        return msg.t === 'proof' ? msg : null
      },
      this.#opts.timeout ?? ADMISSION_TIMEOUT,
    )
    if (!this.#mail.send(peer.peerId, challengeMsg) && !membership.has(peer.peerId)) {
      this.#mail.cancel(peer.peerId, P2PError.NOT_CONNECTED('the guest left'))
    }
    const { n, mac } = await proof
    const who = peer.identityUrl
    const verdict = ((): { v: Verdict; wait?: number } => {
      const wait = attempts.wait(who, this.#opts.trusted?.(who) ?? false)
      if (key && wait > 0) return { v: 'rate-limited', wait }
      if (key) {
        const ctx: ProofContext = {
          topic: membership.topic.hex,
          host: self,
          guest: { identityUrl: peer.identityUrl, peerId: peer.peerId },
          challenge,
          nonce: n,
        }
        if (!checkProof(key, ctx, mac)) {
          attempts.fail(who)
          return { v: 'wrong-password' }
        }
        attempts.succeed(who)
      }
      if (this.#guests.size >= this.#opts.maxGuests) return { v: 'lobby-full' }
      return { v: 'ok' }
    })()
    if (verdict.v === 'ok' && !membership.has(peer.peerId)) return 'left'
    const delivered = this.#mail.send(peer.peerId, { t: 'verdict', ...verdict })
    if (verdict.v === 'ok') {
      // A guest that could not hear its ok is not let in (it will try again).
      if (!delivered) return 'left'
      this.#guests.add(peer.peerId)
      this.#sendRoster()
      return 'ok'
    }
    // Let the refused guest read the verdict and leave before the connection may close.
    if (delivered) await leaving(membership, peer.peerId, this.#opts.linger ?? VERDICT_LINGER)
    return verdict.v === 'lobby-full' ? 'full' : 'left'
  }

  close(): void {
    this.#stopLeave()
    this.#mail.close()
  }
}

export interface GuestGateOptions {
  membership: TopicMembership
  self: { identityUrl: string; peerId: string }
  /** The session's host identity (from its URL). */
  host: string
  key: Uint8Array | null
  timeout?: number
  /** How long another guest waits for the roster to name it, ms (ROSTER_WAIT). */
  rosterWait?: number
  /** How long a host that left mid-admission may take to come back, ms (HOST_GONE_GRACE). */
  hostGrace?: number
}

const CODES: Record<Exclude<Verdict, 'ok'>, ErrorCode> = {
  'wrong-password': 'wrong-password',
  'lobby-full': 'lobby-full',
  'rate-limited': 'rate-limited',
}

/** Announces a guest makes again after meeting other guests instead of the host. */
const MAX_LOOK_AGAIN = 8

/** The guest's side: admits the host, and the guests the host admitted. */
export class GuestGate {
  readonly #opts: GuestGateOptions
  readonly #mail: Mailbox
  #admitted = false
  /** The other guests the host admitted, as its latest roster says. */
  #roster = new Set<string>()
  readonly #rosterChanged = new Set<() => void>()
  readonly #stopRoster: () => void
  readonly #stopLeave: () => void
  /** Counts our admissions by the host: a newer one makes an older one's failure moot. */
  #tries = 0
  #graceTimer: ReturnType<typeof setTimeout> | undefined
  #closed = false
  #lookedAgain = 0
  readonly #settle: { resolve(): void; reject(err: P2PError): void }
  /** Resolves once the host admitted us; rejects with its verdict as a P2PError. */
  readonly admitted: Promise<void>

  constructor(opts: GuestGateOptions) {
    this.#opts = opts
    this.#mail = new Mailbox(opts.membership)
    let resolve: () => void = () => undefined
    let reject: (err: P2PError) => void = () => undefined
    this.admitted = new Promise<void>((res, rej) => {
      resolve = res
      reject = rej
    })
    this.#settle = { resolve, reject }
    this.admitted.catch(() => undefined)
    this.#stopRoster = opts.membership.on('data', ({ peer, channel, payload }) => {
      if (channel !== ADMISSION_CHANNEL || peer.identityUrl !== opts.host) return
      const msg = decodeAdmission(payload)
      if (msg?.t !== 'roster') return
      this.#roster = new Set(msg.peers)
      for (const wake of [...this.#rosterChanged]) wake()
    })
    this.#stopLeave = opts.membership.on('peer-leave', ({ peer }) => {
      if (peer.identityUrl !== opts.host) return
      this.#mail.cancel(
        peer.peerId,
        P2PError.NOT_CONNECTED('the host of this session went away before answering'),
      )
    })
  }

  /**
   * The host left before answering: look for it again, and fail with
   * `error` unless it starts a new admission within the grace period.
   */
  #hostGone(error: P2PError): void {
    const tries = this.#tries
    clearTimeout(this.#graceTimer)
    this.#opts.membership.announce()
    this.#graceTimer = setTimeout(() => {
      if (this.#tries === tries) this.#settle.reject(error)
    }, this.#opts.hostGrace ?? HOST_GONE_GRACE)
  }

  /** Whether the host admitted `peerId`: after our own admission, once its roster names it. */
  async #inRoster(peerId: string): Promise<boolean> {
    const ms = this.#opts.rosterWait ?? ROSTER_WAIT
    const deadline = Date.now() + ms
    const admitted = await Promise.race([
      this.admitted.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
    ]).catch(() => false)
    if (!admitted) return false
    while (!this.#roster.has(peerId)) {
      const left = deadline - Date.now()
      if (left <= 0 || this.#closed) return false
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          this.#rosterChanged.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, left)
        this.#rosterChanged.add(wake)
      })
    }
    return true
  }

  /** The verdict failed elsewhere (e.g. the host refused us as full at the topic level). */
  fail(error: P2PError): void {
    this.#settle.reject(error)
  }

  /** The Lobby's `admit`. */
  readonly admit = async (peer: RemotePeer): Promise<Admission> => {
    const { self, key, membership } = this.#opts
    if (peer.identityUrl !== this.#opts.host) {
      // Another guest of the session took our offer (a tracker hands each
      // offer to one peer of the topic): until admitted, look again once
      // this one is sent away (a few times at most), instead of waiting for
      // the tracker's next announce interval.
      if (!this.#admitted && this.#lookedAgain < MAX_LOOK_AGAIN) {
        this.#lookedAgain++
        setTimeout(() => membership.announce(), 0)
      }
      // A guest the host admitted becomes a member; anyone else is sent away.
      return (await this.#inRoster(peer.peerId)) ? 'ok' : 'left'
    }
    const ms = this.#opts.timeout ?? ADMISSION_TIMEOUT
    const tries = ++this.#tries
    clearTimeout(this.#graceTimer)
    try {
      const challenge = this.#mail.next(peer.peerId, (m) => (m.t === 'challenge' ? m.n : null), ms)
      this.#mail.send(peer.peerId, { t: 'hello' })
      const n = await challenge
      const nonce = randomBytes(32)
      const ctx: ProofContext = {
        topic: membership.topic.hex,
        host: { identityUrl: peer.identityUrl, peerId: peer.peerId },
        guest: self,
        challenge: n,
        nonce,
      }
      const verdict = this.#mail.next(peer.peerId, (m) => (m.t === 'verdict' ? m : null), ms)
      const mac = key ? proveKey(key, ctx) : new Uint8Array(0)
      this.#mail.send(peer.peerId, { t: 'proof', n: nonce, mac })
      const { v, wait } = await verdict
      if (v === 'ok') {
        this.#admitted = true
        this.#settle.resolve()
        return 'ok'
      }
      const retry = wait ? ` (try again in ${Math.ceil(wait / 1000)} s)` : ''
      const message =
        v === 'wrong-password'
          ? 'the password for this session is wrong'
          : v === 'lobby-full'
            ? 'the session is full'
            : `too many wrong passwords${retry}`
      this.#settle.reject(new P2PError(CODES[v], message))
    } catch (err) {
      const error = P2PError.from(err)
      // A newer admission by the host (it came back) speaks for us now.
      if (tries !== this.#tries) return 'left'
      if (error.code === 'not-connected') this.#hostGone(error)
      else this.#settle.reject(error)
    }
    return 'left'
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#graceTimer)
    this.#stopLeave()
    this.#stopRoster()
    for (const wake of [...this.#rosterChanged]) wake()
    this.#mail.close()
  }
}
