/**
 * Presence through the mesh: each lobby member publishes a signed record of
 * itself (./presence-record.ts) to the members it is connected to, shortly
 * after every change (`delay`; at most once per `minInterval`) and every
 * `refresh`; each member passes a new record on to its other neighbours while
 * it has hops left, and greets a new neighbour with every live record it
 * holds. So a member past the lobby's direct-connection budget is still seen,
 * with its session-data, by everyone the mesh reaches; its record expires
 * when it is no longer refreshed, and a member that leaves says so (`gone`).
 *
 * Hostile input (bad signature, oversized, malformed, a replayed seq, a
 * flood) is dropped and reported as an `error` event with a P2PError; it
 * never throws out of `receive`.
 */
import { realClock, type Clock } from '../clock.js'
import { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type { LocalPeerInfo } from '../swarm/local-peer.js'
import { PresenceBook, type HeldRecord, type PresenceBookOptions } from './presence-book.js'
import {
  MAX_PRESENCE_HOPS,
  decodePresence,
  encodeData,
  encodePresence,
  signPresence,
  verifyPresence,
  type PresenceRecord,
  type SharedProfile,
} from './presence-record.js'

/** The members we are connected to, as a path for records. */
export interface PresenceLink {
  neighbours(): string[]
  /** False when it cannot go now. */
  send(peerId: string, payload: Uint8Array): boolean
}

export interface PresenceOptions {
  local: LocalPeerInfo
  /** The lobby topic's hex. */
  topic: string
  link: PresenceLink
  /** How often our record is sent again, ms (default 10 s); a record lives three times that. */
  refresh?: number
  /** Least time between two of our records, ms (default 1 s). */
  minInterval?: number
  /**
   * How long a change waits before our record goes out, ms (default 50): a
   * session-data update reaches the members we are connected to first, on
   * its own channel, without our record's signing and sending sharing the
   * cores with it; and a burst of changes makes one record.
   */
  delay?: number
  /** Times our records' sending (default the real one). */
  clock?: Clock
  book?: PresenceBookOptions
}

export interface PresenceEvents {
  /** A new record of another member (check `gone`). */
  record: { rec: PresenceRecord }
  /** A member's record was not refreshed in time. */
  expired: { peerId: string }
  error: { error: P2PError }
}

export class LobbyPresence extends Emitter<PresenceEvents> {
  readonly #opts: Required<Omit<PresenceOptions, 'book'>>
  readonly #book: PresenceBook
  #data: Uint8Array | null = null
  #profile: SharedProfile | null = null
  #mine: PresenceRecord | null = null
  /** Our goodbye (`gone`), signed after each record, for close() to send at once. */
  #farewell: PresenceRecord | null = null
  #seq = 0
  #lastSent = -Infinity
  #timer: unknown
  /** When #timer fires (clock time). */
  #due = 0
  #sweeper: ReturnType<typeof setInterval> | undefined
  #signing = false
  #dirty = false
  #closed = false

  constructor(opts: PresenceOptions) {
    super()
    this.#opts = { refresh: 10_000, minInterval: 1_000, delay: 50, clock: realClock, ...opts }
    this.#book = new PresenceBook(opts.book)
  }

  /** Starts publishing (now, then every `refresh`). */
  start(): void {
    this.#sweeper ??= setInterval(() => this.#sweep(), this.#opts.refresh / 2)
    this.#publishSoon()
  }

  setData(data: Uint8Array | null): void {
    this.#data = data
    this.#publishSoon()
  }

  setProfile(profile: SharedProfile | null): void {
    this.#profile = profile
    this.#publishSoon()
  }

  /** The live record of `peerId`, if any. */
  get(peerId: string): HeldRecord | undefined {
    return this.#book.get(peerId)
  }

  /** Forgets the record of `peerId` (connected now, or gone); a newer one brings it back. */
  forget(peerId: string): void {
    this.#book.drop(peerId)
  }

  /** A new neighbour: it gets our record and every live one we hold. */
  greet(peerId: string): void {
    if (this.#closed) return
    if (this.#mine) this.#send(peerId, this.#mine, MAX_PRESENCE_HOPS)
    for (const held of this.#book.live()) {
      if (held.rec.from !== peerId && held.hops > 0) this.#send(peerId, held.rec, held.hops - 1)
    }
  }

  /** A presence payload from neighbour `from`. */
  receive(from: string, payload: Uint8Array): void {
    if (this.#closed) return
    let rec: PresenceRecord
    let hops: number
    try {
      this.#book.fromNeighbour(from)
      const msg = decodePresence(payload)
      if (!msg) return
      ;({ rec, hops } = msg)
      if (rec.topic !== this.#opts.topic) {
        throw P2PError.PROTOCOL_ERROR('peer', 'a presence record of another lobby')
      }
    } catch (err) {
      this.#fail(err)
      return
    }
    if (rec.from === this.#opts.local.peerId || this.#book.isCopy(rec)) return
    verifyPresence(rec)
      .then(() => {
        if (this.#closed || this.#book.take(rec, hops) === 'copy') return
        this.emit('record', { rec })
        if (hops <= 0) return
        for (const next of this.#opts.link.neighbours()) {
          if (next !== from && next !== rec.from) this.#send(next, rec, hops - 1)
        }
      })
      .catch((err: unknown) => this.#fail(err))
  }

  /**
   * Stops; the neighbours hear that we left (best effort). The goodbye signed
   * ahead goes before this returns, while the lobby still has its links
   * (leaving the topic comes next and ends them); without one it is signed now.
   */
  close(): void {
    if (this.#closed) return
    this.#opts.clock.clearTimeout(this.#timer)
    clearInterval(this.#sweeper)
    const neighbours = this.#opts.link.neighbours()
    const farewell = this.#farewell
    if (farewell) {
      this.#closed = true
      for (const peerId of neighbours) this.#send(peerId, farewell, MAX_PRESENCE_HOPS)
      return
    }
    this.#sign(true)
      .then((rec) => {
        for (const peerId of neighbours) this.#send(peerId, rec, MAX_PRESENCE_HOPS)
      })
      .catch(() => undefined)
    this.#closed = true
  }

  #fail(err: unknown): void {
    if (!this.#closed) this.emit('error', { error: P2PError.from(err) })
  }

  #send(peerId: string, rec: PresenceRecord, hops: number): void {
    this.#opts.link.send(peerId, encodePresence({ t: 'presence', hops, rec }))
  }

  #sign(gone: boolean): Promise<PresenceRecord> {
    this.#seq = Math.max(this.#seq + 1, Date.now())
    return signPresence(this.#opts.local, {
      topic: this.#opts.topic,
      seq: this.#seq,
      ttl: 3 * this.#opts.refresh,
      ts: Date.now(),
      gone,
      profile: this.#profile,
      data: encodeData(this.#data),
    })
  }

  /** Publishes at the next allowed moment (changes coalesce). */
  #publishSoon(): void {
    if (this.#closed) return
    this.#dirty = true
    if (this.#signing) return
    const { clock, delay, minInterval } = this.#opts
    const at = Math.max(clock.now() + delay, this.#lastSent + minInterval)
    // A publish already due by then takes this change along (a burst is not put off for ever).
    if (this.#timer !== undefined && this.#due <= at) return
    this.#arm(at)
  }

  #arm(at: number): void {
    const { clock } = this.#opts
    clock.clearTimeout(this.#timer)
    this.#due = at
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined
      void this.#publish()
    }, at - clock.now())
  }

  async #publish(): Promise<void> {
    if (this.#closed) return
    this.#signing = true
    this.#dirty = false
    try {
      // A goodbye older than the record being signed would be taken for a replay.
      this.#farewell = null
      const rec = await this.#sign(false)
      if (this.#closed) return
      this.#mine = rec
      this.#lastSent = this.#opts.clock.now()
      for (const peerId of this.#opts.link.neighbours()) {
        this.#send(peerId, rec, MAX_PRESENCE_HOPS)
      }
      // Signed ahead (seq after this record's), so close() can send it at once.
      const farewell = await this.#sign(true)
      if (!this.#closed) this.#farewell = farewell
    } catch (err) {
      this.#fail(err)
    } finally {
      this.#signing = false
    }
    if (this.#closed) return
    if (this.#dirty) this.#publishSoon()
    else this.#arm(this.#opts.clock.now() + this.#opts.refresh)
  }

  #sweep(): void {
    for (const peerId of this.#book.expired()) this.emit('expired', { peerId })
  }
}
