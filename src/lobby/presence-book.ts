/**
 * What a member knows of the lobby's presence records, and what keeps the
 * flood in check: the latest verified record of each author until it
 * expires, de-duplication by (author, seq), a rate per author and per
 * neighbour, and a cap on authors. Pure logic with an injectable clock.
 *
 * A record with the seq we hold is a copy that came another way (dropped
 * quietly); an older seq is a replay (`protocol-error`); an author over its
 * rate is `rate-limited`. Seqs are remembered past a record's expiry for the
 * records' time window, so a stale copy cannot come back as new.
 */
import { P2PError } from '../errors.js'
import { RateLimiter, type RateLimitOptions } from '../permissions/rate-limit.js'
import { MAX_AGE } from '../signaling/relay-envelope.js'
import { MAX_TTL, type PresenceRecord } from './presence-record.js'

export interface PresenceBookOptions {
  /** Records one author may have accepted (changes and refreshes). */
  perAuthor?: Omit<RateLimitOptions, 'now'>
  /** Presence messages one neighbour may hand us (its own and forwarded ones). */
  perNeighbour?: Omit<RateLimitOptions, 'now'>
  /** Most authors held at once (a lobby holds at most 64 others). */
  maxAuthors?: number
  now?: () => number
}

export const PRESENCE_LIMITS = Object.freeze({
  perAuthor: { burst: 4, perSecond: 1 },
  perNeighbour: { burst: 160, perSecond: 40 },
  maxAuthors: 128,
})

/** A record held, with the hops it may still travel and when it expires. */
export interface HeldRecord {
  rec: PresenceRecord
  hops: number
  expires: number
}

interface Author {
  seq: number
  held: HeldRecord | null
  /** When the seq may be forgotten. */
  forget: number
}

export type Sighting = 'new' | 'copy'

export class PresenceBook {
  readonly #authors = new Map<string, Author>()
  readonly #perAuthor: RateLimiter
  readonly #perNeighbour: RateLimiter
  readonly #max: number
  readonly #now: () => number

  constructor(opts: PresenceBookOptions = {}) {
    this.#now = opts.now ?? Date.now
    const now = this.#now
    this.#perAuthor = new RateLimiter({ ...(opts.perAuthor ?? PRESENCE_LIMITS.perAuthor), now })
    this.#perNeighbour = new RateLimiter({
      ...(opts.perNeighbour ?? PRESENCE_LIMITS.perNeighbour),
      now,
    })
    this.#max = opts.maxAuthors ?? PRESENCE_LIMITS.maxAuthors
  }

  /** A message from neighbour `peerId`: throws `rate-limited` when it is over its rate. */
  fromNeighbour(peerId: string): void {
    if (!this.#perNeighbour.take(peerId)) throw P2PError.RATE_LIMITED('presence messages')
  }

  /**
   * A verified record that may travel `hops` more: `new` (held now, to pass
   * on) or `copy` (seen already). Throws for a replay, a flood, or a full book.
   */
  take(rec: PresenceRecord, hops: number): Sighting {
    const now = this.#now()
    this.#sweep(now)
    const author = this.#authors.get(rec.from)
    if (author && rec.seq === author.seq) return 'copy'
    if (author && rec.seq < author.seq) {
      throw P2PError.PROTOCOL_ERROR('peer', `a replayed presence record of ${rec.from}`)
    }
    if (!author && this.#authors.size >= this.#max) {
      throw P2PError.RATE_LIMITED('presence authors')
    }
    // A goodbye is the author's last word: never held back by its rate.
    if (!rec.gone && !this.#perAuthor.take(rec.from)) {
      throw P2PError.RATE_LIMITED('presence records')
    }
    const ttl = Math.min(rec.ttl, MAX_TTL)
    const held = rec.gone ? null : { rec, hops, expires: now + ttl }
    this.#authors.set(rec.from, { seq: rec.seq, held, forget: now + ttl + 2 * MAX_AGE })
    return 'new'
  }

  /** True for a record whose (author, seq) we hold: a copy, dropped without checking it. */
  isCopy(rec: PresenceRecord): boolean {
    return this.#authors.get(rec.from)?.seq === rec.seq
  }

  /** The live record of `peerId`, if any. */
  get(peerId: string): HeldRecord | undefined {
    const held = this.#authors.get(peerId)?.held
    return held && held.expires > this.#now() ? held : undefined
  }

  /** Every live record (to greet a new neighbour with). */
  live(): HeldRecord[] {
    const now = this.#now()
    return [...this.#authors.values()].flatMap((a) =>
      a.held && a.held.expires > now ? [a.held] : [],
    )
  }

  /** Drops the record of `peerId` but remembers its seq (it left, or is connected now). */
  drop(peerId: string): void {
    const author = this.#authors.get(peerId)
    if (author) author.held = null
  }

  /** Authors whose record expired since the last call; their records are dropped. */
  expired(): string[] {
    const now = this.#now()
    const out: string[] = []
    for (const [peerId, author] of this.#authors) {
      if (author.held && author.held.expires <= now) {
        author.held = null
        out.push(peerId)
      }
    }
    this.#sweep(now)
    return out
  }

  #sweep(now: number): void {
    for (const [peerId, author] of this.#authors) {
      if (!author.held && author.forget <= now) this.#authors.delete(peerId)
    }
  }
}
