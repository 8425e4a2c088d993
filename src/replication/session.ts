/**
 * One hypercore replication over one connection's ChannelStream: a Noise
 * handshake whose static key is our identity key, then, once the remote's
 * static key is verified to be the identity key its hello was signed with
 * (and its identity URL hyper://<that key>), our core and the copy of its
 * core replicate over the stream. Until then no core is attached, so a peer
 * that fails the check never gets a block from us nor gives us one.
 */
import { bytesToHex } from '@noble/curves/utils.js'
import Hypercore, { type KeyPair, type ReplicationStream } from 'hypercore'
import { P2PError } from '../errors.js'
import type { ChannelStream } from './channel-stream.js'

export interface SessionOptions {
  stream: ChannelStream
  /** The Noise initiator: the connection's WebRTC initiator, which both sides agree on. */
  initiator: boolean
  /** Our Noise static key pair: the identity's. */
  keyPair: KeyPair
  /** What the peer's verified hello says: its identity key (hex) and URL. */
  expected: { identityKey: string; identityUrl: string }
  /** Replicated once the remote is verified. */
  cores: readonly Hypercore[]
  /** From stream start to a completed handshake, ms. */
  handshakeTimeout: number
  /** The remote's Noise key is not its identity key. */
  onRejected(error: P2PError): void
  /** The stream failed for another reason than its connection closing. */
  onError(error: P2PError): void
  onClose(): void
}

export class ReplicationSession {
  readonly stream: ChannelStream
  readonly #protocol: ReplicationStream
  readonly #opts: SessionOptions
  readonly #timer: ReturnType<typeof setTimeout>
  #verified = false
  #closed = false

  constructor(opts: SessionOptions) {
    this.#opts = opts
    this.stream = opts.stream
    const protocol = Hypercore.createProtocolStream(opts.initiator, {
      keyPair: opts.keyPair,
      // The connection has its own heartbeat.
      keepAlive: false,
    })
    this.#protocol = protocol
    this.#timer = setTimeout(
      () => this.#fail(P2PError.TIMEOUT('the replication handshake', opts.handshakeTimeout)),
      opts.handshakeTimeout,
    )
    protocol.once('handshake', () => this.#onHandshake())
    protocol.on('error', (err) => this.#fail(err))
    this.stream.on('error', (err) => this.#fail(err))
    protocol.on('close', () => this.close())
    this.stream.on('close', () => this.close())
    this.stream.pipe(protocol).pipe(this.stream)
  }

  /** True once the remote's Noise key was checked and the cores attached. */
  get verified(): boolean {
    return this.#verified
  }

  /** Ends the replication on this connection (the stream cannot be reused). */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#timer)
    this.#protocol.destroy()
    this.stream.destroy()
    this.#opts.onClose()
  }

  #onHandshake(): void {
    if (this.#closed) return
    clearTimeout(this.#timer)
    const { identityKey, identityUrl } = this.#opts.expected
    const remote = this.#protocol.remotePublicKey
    const got = remote ? bytesToHex(remote) : 'none'
    let error: P2PError | null = null
    if (got !== identityKey) {
      error = P2PError.UNAUTHENTICATED(
        `the replication key ${got.slice(0, 16)}… is not the identity key ${identityKey.slice(0, 16)}…`,
      )
    } else if (identityUrl !== `hyper://${identityKey}`) {
      error = P2PError.UNAUTHENTICATED(`the identity ${identityUrl} is not hyper://<its key>`)
    }
    if (error) {
      this.#closed = true
      this.#protocol.destroy()
      this.stream.destroy()
      this.#opts.onRejected(error)
      this.#opts.onClose()
      return
    }
    this.#verified = true
    for (const core of this.#opts.cores) core.replicate(this.#protocol)
  }

  #fail(err: unknown): void {
    if (this.#closed) return
    // The connection closing ends its stream: not a failure of the replication.
    const closing = err instanceof P2PError && err.code === 'not-connected'
    if (!closing) {
      const message = err instanceof Error ? err.message : String(err)
      const error =
        err instanceof P2PError ? err : P2PError.PROTOCOL_ERROR('peer', `replication: ${message}`)
      this.#opts.onError(error)
    }
    this.close()
  }
}
