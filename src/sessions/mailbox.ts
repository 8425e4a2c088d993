/**
 * Routes the `admission` messages of one topic membership to one waiting
 * listener per peer (./admission.ts: the host's and the guest's gates).
 */
import { P2PError } from '../errors.js'
import type { MembershipEvents } from '../swarm/topic-membership.js'
import {
  ADMISSION_CHANNEL,
  decodeAdmission,
  encodeAdmission,
  type AdmissionMessage,
} from './admission-wire.js'

interface Listener {
  take(msg: AdmissionMessage): void
  fail(error: P2PError): void
}

/** What the mailbox needs of a TopicMembership. */
export interface MailboxLink {
  on(type: 'data', listener: (detail: MembershipEvents['data']) => void): () => void
  send(peerId: string, channel: string, payload: Uint8Array): boolean
}

/** Routes admission messages of one membership to per-peer listeners. */
export class Mailbox {
  readonly #link: MailboxLink
  readonly #listeners = new Map<string, Listener>()
  readonly #stop: () => void

  constructor(link: MailboxLink) {
    this.#link = link
    this.#stop = link.on('data', ({ peer, channel, payload }) => {
      if (channel !== ADMISSION_CHANNEL) return
      const msg = decodeAdmission(payload)
      if (msg) this.#listeners.get(peer.peerId)?.take(msg)
    })
  }

  send(peerId: string, msg: AdmissionMessage): boolean {
    return this.#link.send(peerId, ADMISSION_CHANNEL, encodeAdmission(msg))
  }

  /**
   * The next message from `peerId` that `pick` accepts (it may answer others
   * meanwhile). A newer wait for the same peer takes over its messages; an
   * older wait's timeout then only rejects the older wait.
   */
  next<T>(peerId: string, pick: (msg: AdmissionMessage) => T | null, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer)
        if (this.#listeners.get(peerId) === listener) this.#listeners.delete(peerId)
      }
      const timer = setTimeout(() => {
        stop()
        reject(P2PError.TIMEOUT('the admission of a peer', ms))
      }, ms)
      const listener: Listener = {
        take: (msg) => {
          const value = pick(msg)
          if (value === null) return
          stop()
          resolve(value)
        },
        fail: (error) => {
          stop()
          reject(error)
        },
      }
      this.#listeners.set(peerId, listener)
    })
  }

  /** Ends the wait for `peerId`'s next message, if any, with `error` (e.g. it left). */
  cancel(peerId: string, error: P2PError): void {
    this.#listeners.get(peerId)?.fail(error)
  }

  close(): void {
    this.#stop()
    this.#listeners.clear()
  }
}
