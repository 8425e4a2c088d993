/**
 * Peers whose connection dropped while something still needed it. Each is
 * looked for again by re-announcing the topics we shared with it, with
 * backoff, until it is back (then its custom tags are restored) or given up.
 */
import { backoffDelay, type BackoffOptions } from '../signaling/backoff.js'

export type ReconnectOptions = BackoffOptions & { attempts?: number }

export const DEFAULT_RECONNECT: Readonly<Required<ReconnectOptions>> = Object.freeze({
  initial: 1_000,
  max: 20_000,
  factor: 2,
  jitter: 0.3,
  random: Math.random,
  attempts: 6,
})

/** What a lost peer was to us. */
export interface LostPeer {
  /** Topics (hex) we were in with it. */
  topics: Set<string>
  /** Custom tags it had. */
  tags: Set<string>
}

interface Entry extends LostPeer {
  attempt: number
  timer: ReturnType<typeof setTimeout> | undefined
}

export class LostPeers {
  readonly #opts: Required<ReconnectOptions>
  /** Announces a topic looking for a peer; false when we are no longer in that topic. */
  readonly #announce: (topic: string, peerId: string) => boolean
  readonly #lost = new Map<string, Entry>()

  constructor(announce: (topic: string, peerId: string) => boolean, opts?: ReconnectOptions) {
    this.#announce = announce
    this.#opts = { ...DEFAULT_RECONNECT, ...opts }
  }

  /** Starts looking for `peerId`. */
  add(peerId: string, lost: LostPeer): void {
    this.take(peerId)
    const entry: Entry = { ...lost, attempt: 0, timer: undefined }
    this.#lost.set(peerId, entry)
    this.#next(peerId, entry)
  }

  /** The peer is back: stops looking and returns what it was to us. */
  take(peerId: string): LostPeer | undefined {
    const entry = this.#lost.get(peerId)
    if (!entry) return undefined
    clearTimeout(entry.timer)
    this.#lost.delete(peerId)
    return { topics: entry.topics, tags: entry.tags }
  }

  /** We left a topic: no more looking for anyone through it. */
  forgetTopic(topic: string): void {
    for (const entry of this.#lost.values()) entry.topics.delete(topic)
  }

  clear(): void {
    for (const entry of this.#lost.values()) clearTimeout(entry.timer)
    this.#lost.clear()
  }

  #next(peerId: string, entry: Entry): void {
    if (
      entry.attempt >= this.#opts.attempts ||
      (entry.topics.size === 0 && entry.tags.size === 0)
    ) {
      this.#lost.delete(peerId)
      return
    }
    entry.timer = setTimeout(
      () => {
        if (this.#lost.get(peerId) !== entry) return
        for (const topic of [...entry.topics]) {
          if (!this.#announce(topic, peerId)) entry.topics.delete(topic)
        }
        this.#next(peerId, entry)
      },
      backoffDelay(entry.attempt++, this.#opts),
    )
  }
}
