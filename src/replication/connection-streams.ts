/**
 * The ChannelStreams of one connection-level channel across a swarm: at most
 * one per connection, opened by us (`open`, which announces it) or by the
 * remote (its first frame on a connection we have no stream on: its
 * announcement), destroyed when the connection closes. A connection carries one stream in its life: once a stream on it
 * has ended, later frames are dropped, because bytes from the middle of an
 * old stream would only confuse a new one.
 */
import { P2PError } from '../errors.js'
import type { Connection } from '../swarm/connection.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import { ChannelStream, type ChannelStreamOptions } from './channel-stream.js'

/** The remote opened a stream on `conn`; the callee pipes it or destroys it. */
export type RemoteOpen = (peer: RemotePeer, conn: Connection, stream: ChannelStream) => void

export class ConnectionStreams {
  readonly channel: string
  readonly #streams = new Map<Connection, ChannelStream>()
  readonly #used = new WeakSet<Connection>()
  readonly #stop: Array<() => void>
  readonly #opts: ChannelStreamOptions
  #destroyed = false

  constructor(
    swarm: Swarm,
    channel: string,
    onRemoteOpen: RemoteOpen,
    opts: ChannelStreamOptions = {},
  ) {
    this.channel = channel
    this.#opts = opts
    this.#stop = [
      swarm.handleChannel(channel, (peer, conn, payload) => {
        let stream = this.#streams.get(conn)
        if (!stream) {
          const opened = this.#create(conn)
          if (!opened) return
          stream = opened
          onRemoteOpen(peer, conn, stream)
        }
        stream.receive(payload)
      }),
      swarm.on('connection-closed', ({ conn }) => {
        this.#streams.get(conn)?.destroy(P2PError.NOT_CONNECTED('the connection closed'))
      }),
    ]
  }

  /**
   * Our stream on `conn` (announced to the remote, which opens its end), or
   * null when the connection is gone or already carried one.
   */
  open(conn: Connection): ChannelStream | null {
    const current = this.#streams.get(conn)
    if (current) return current
    const stream = this.#create(conn)
    stream?.announce()
    return stream
  }

  #create(conn: Connection): ChannelStream | null {
    if (this.#destroyed || this.#used.has(conn) || conn.state !== 'ready') return null
    const stream = new ChannelStream(conn, this.channel, this.#opts)
    this.#used.add(conn)
    this.#streams.set(conn, stream)
    stream.on('close', () => {
      if (this.#streams.get(conn) === stream) this.#streams.delete(conn)
    })
    return stream
  }

  /** The open stream on `conn`, if any. */
  get(conn: Connection): ChannelStream | undefined {
    return this.#streams.get(conn)
  }

  /** Stops taking frames and destroys every stream. */
  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    for (const stop of this.#stop) stop()
    for (const stream of [...this.#streams.values()]) stream.destroy()
    this.#streams.clear()
  }
}
