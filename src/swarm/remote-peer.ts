/**
 * A remote browser instance we are connected to: its verified identity, its
 * open connections (usually one; briefly two when both sides dialled at once),
 * the tags that keep it open, and which topics each side is in with it.
 *
 * Of several connections the primary is the one initiated by the lower peer
 * id (then the lower connection key): both sides compute the same, so both
 * keep the same connection. We read from every open connection and send on
 * the primary; a duplicate is retired (Connection.retire) so nothing on its
 * way is lost.
 */
import type { SharedProfile } from '../identity/shared-profile.js'
import type { Connection } from './connection.js'
import type { Control } from './frames.js'

/** What decides which of two connections to one peer stays. */
export interface ConnectionRank {
  initiatorPeerId: string
  key: string
}

/** Negative when `a` should be kept over `b`: lower initiator peer id, then lower key. */
export function compareConnections(a: ConnectionRank, b: ConnectionRank): number {
  if (a.initiatorPeerId !== b.initiatorPeerId) return a.initiatorPeerId < b.initiatorPeerId ? -1 : 1
  if (a.key !== b.key) return a.key < b.key ? -1 : 1
  return 0
}

export class RemotePeer {
  readonly peerId: string
  readonly identityUrl: string
  /** Hex of the identity's signing key, as verified by the hello. */
  readonly identityKey: string
  readonly extensions: readonly string[]
  /** Its name and creation time as signed in its hello (null: it shared none). */
  readonly profile: SharedProfile | null
  /** Tags that keep the connection open: `topic:<hex>` per shared topic, and custom ones. */
  readonly tags = new Set<string>()
  /** Topics we told the remote we are in with it. */
  readonly localTopics = new Set<string>()
  /** Topics the remote told us it is in with us. */
  readonly remoteTopics = new Set<string>()
  readonly #seqs = new Map<string, number>()
  readonly #connections: Connection[] = []

  constructor(first: Connection) {
    const hello = first.remote
    if (!hello) throw new Error('RemotePeer needs a ready connection')
    this.peerId = hello.peerId
    this.identityUrl = hello.identityUrl
    this.identityKey = hello.identityKey
    this.extensions = Object.freeze([...hello.extensions])
    this.profile = hello.profile && Object.freeze({ ...hello.profile })
    this.#connections.push(first)
  }

  /** The connection we send on: the best one not being retired, one not in an outage if any. */
  get primary(): Connection {
    return (this.#connections.find((c) => !c.retiring && !c.outage) ??
      this.#connections.find((c) => !c.retiring) ??
      this.#connections[0]) as Connection
  }

  /** Every connection is quiet (a network outage, or a remote going away). */
  get stalled(): boolean {
    return this.#connections.every((c) => c.stalled)
  }

  /** Every connection is in an outage (see Connection.outage): a fresh one may take over. */
  get inOutage(): boolean {
    return this.#connections.every((c) => c.outage)
  }

  /** How the connection we send on was signaled. */
  get path(): Connection['path'] {
    return this.primary.path
  }

  get connections(): readonly Connection[] {
    return this.#connections
  }

  /** Adds a ready connection and re-picks the primary. */
  add(conn: Connection): void {
    if (this.#connections.includes(conn)) return
    this.#connections.push(conn)
    this.#connections.sort(compareConnections)
  }

  /** Removes a connection; true when none is left. */
  remove(conn: Connection): boolean {
    const at = this.#connections.indexOf(conn)
    if (at >= 0) this.#connections.splice(at, 1)
    return this.#connections.length === 0
  }

  /** Sends a control message on the primary. */
  control(msg: Control): boolean {
    return this.primary.sendControl(msg)
  }

  /** Sends on a named channel over the primary; false when it cannot go now. */
  send(channel: string, scope: string, payload: Uint8Array): boolean {
    return this.primary.sendChannel(channel, scope, payload)
  }

  /**
   * Records the remote's join/leave sequence number for a topic; false when
   * it is not newer than the last one (a message overtaken on another connection).
   */
  acceptSeq(topic: string, seq: number): boolean {
    const last = this.#seqs.get(topic)
    if (last !== undefined && seq <= last) return false
    this.#seqs.set(topic, seq)
    return true
  }
}
