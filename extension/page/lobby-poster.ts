/**
 * The page's outgoing lobby messages: queued, packed into `lobby.post`
 * batches of at most MAX_POST_CHARS of base64 (a big message is cut into
 * `more` pieces across batches), one batch in flight at a time. The engine
 * answers a batch once the lobby's queues are low again, so a page that
 * awaits its sends keeps pace with the slowest peer, and the queue here is
 * capped: past MAX_PAGE_QUEUE a send throws `rate-limited` at once (each
 * item counts ITEM_OVERHEAD bytes beyond its data, so tiny ones are capped too).
 */
import { toBase64 } from '../../src/bytes.js'
import { P2PError } from '../../src/errors.js'
import { ITEM_OVERHEAD } from '../../src/messages/value.js'
import { MAX_POST_CHARS, MAX_POST_ITEMS, type PostItem } from '../../src/protocol/lobby-messages.js'

/** Most bytes waiting in the page before sends are refused. */
export const MAX_PAGE_QUEUE = 64 * 1024 * 1024

/** An item without its data. */
export type ItemHead =
  | { t: 'msg'; to: string }
  | { t: 'req'; id: number; to: string; module: string; timeout: number }
  | { t: 'res'; id: number; ok: true }

interface Queued {
  head: ItemHead | Extract<PostItem, { t: 'res'; ok: false }>
  bytes: Uint8Array
  sent: number
  resolve(): void
  reject(err: P2PError): void
}

export class Poster {
  readonly #post: (items: PostItem[]) => Promise<unknown>
  readonly #queue: Queued[] = []
  #queuedBytes = 0
  #busy = false
  #closed: P2PError | null = null

  constructor(post: (items: PostItem[]) => Promise<unknown>) {
    this.#post = post
  }

  /** Queues an item; resolves once the engine took it. */
  push(head: Queued['head'], bytes: Uint8Array = new Uint8Array(0)): Promise<void> {
    if (this.#closed) throw this.#closed
    const cost = bytes.length + ITEM_OVERHEAD
    if (this.#queuedBytes > 0 && this.#queuedBytes + cost > MAX_PAGE_QUEUE) {
      throw P2PError.RATE_LIMITED('queued lobby messages; await send() to keep pace')
    }
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ head, bytes, sent: 0, resolve, reject })
    })
    this.#queuedBytes += cost
    void this.#flush()
    return done
  }

  /** Fails everything queued (the lobby closed). */
  close(err: P2PError): void {
    this.#closed = err
    for (const item of this.#queue.splice(0)) item.reject(err)
    this.#queuedBytes = 0
  }

  /** The next batch, and the queued items it finishes. */
  #batch(): { items: PostItem[]; finished: Queued[]; touched: Queued[] } {
    const items: PostItem[] = []
    const finished: Queued[] = []
    const touched: Queued[] = []
    let chars = 0
    for (const q of this.#queue) {
      const room = Math.floor((MAX_POST_CHARS - chars) / 4) * 3
      if (items.length >= MAX_POST_ITEMS || (room <= 0 && q.bytes.length > q.sent)) break
      const n = Math.min(room, q.bytes.length - q.sent)
      const more = q.sent + n < q.bytes.length
      touched.push(q)
      if (q.head.t === 'res' && !q.head.ok) {
        items.push(q.head)
      } else {
        const data = toBase64(q.bytes.subarray(q.sent, q.sent + n))
        const rest = more ? { more: true as const } : {}
        items.push(q.sent === 0 ? { ...q.head, data, ...rest } : { t: 'more', data, ...rest })
        chars += data.length
      }
      q.sent += n
      if (more) break
      finished.push(q)
    }
    return { items, finished, touched }
  }

  async #flush(): Promise<void> {
    if (this.#busy) return
    this.#busy = true
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const { items, finished, touched } = this.#batch()
        this.#queue.splice(0, finished.length)
        let settled = finished
        try {
          await this.#post(items)
          for (const q of finished) q.resolve()
        } catch (err) {
          // The engine dropped the whole batch, and an item cut short with it.
          const error = P2PError.from(err)
          for (const q of touched) q.reject(error)
          if (touched.length > finished.length) this.#queue.shift()
          settled = touched
        }
        for (const q of settled) {
          this.#queuedBytes = Math.max(0, this.#queuedBytes - q.bytes.length - ITEM_OVERHEAD)
        }
      }
    } finally {
      this.#busy = false
    }
  }
}
