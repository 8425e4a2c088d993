/**
 * ICE restarts of the swarm's connections, signaled around them: the offer
 * and answer (see ice-restart.ts) travel as signed envelopes
 * (../signaling/relay-envelope.ts, kinds `restart` and `restarted`) through
 * every signaling adapter that can address the peer (the peer relay through
 * other peers of a topic we share with it, a tracker that routes them like
 * answers), never over the connection whose path is down.
 *
 * Nobody can hijack a connection with them: an envelope must verify as
 * signed by the peer the connection's hello authenticated, and its SDP must
 * carry that connection's DTLS fingerprint (which also says which of the
 * peer's connections it is for, and the DTLS session stays the same: a
 * restart only changes the ICE path under it). Replays are dropped: every
 * signature is used once, and a connection takes only restarts newer than
 * the last one it took.
 */
import { bytesToHex, randomBytes } from '@noble/curves/utils.js'
import type { SignalingAdapter } from '../signaling/adapter.js'
import { signEnvelope, verifyEnvelope, type Envelope } from '../signaling/relay-envelope.js'
import type { Topic } from '../signaling/topic.js'
import type { Connection } from './connection.js'
import type { LocalPeerInfo } from './local-peer.js'
import type { RemotePeer } from './remote-peer.js'

/** Signatures remembered to drop replays. */
const MAX_SEEN = 1_024

export interface RestartHost {
  local: LocalPeerInfo
  adapters: readonly SignalingAdapter[]
  /** A topic we are in, by hex. */
  topic(hex: string): Topic | undefined
  peer(peerId: string): RemotePeer | undefined
  /** Which peer a connection belongs to (ready connections only). */
  owner(conn: Connection): RemotePeer | undefined
}

export class IceRestarts {
  readonly #host: RestartHost
  /** The restart each restarting connection waits an answer for: offer id. */
  readonly #pending = new WeakMap<Connection, string>()
  /** The newest restart signal each connection took, sender's clock. */
  readonly #newest = new WeakMap<Connection, number>()
  readonly #seen = new Set<string>()
  /** Restart offers sent and answers taken, for diagnostics and tests. */
  readonly stats = { offered: 0, answered: 0, completed: 0 }

  constructor(host: RestartHost) {
    this.#host = host
  }

  /** Restarts ICE on `conn` (the side that restarts): sends the offer around it. */
  async restart(conn: Connection): Promise<boolean> {
    const peer = this.#host.owner(conn)
    if (!peer) return false
    const sdp = await conn.restartOffer()
    if (sdp === null) return false
    const offerId = bytesToHex(randomBytes(20))
    this.#pending.set(conn, offerId)
    this.stats.offered++
    return this.#send(peer, 'restart', offerId, sdp)
  }

  /** A restart signal an adapter delivered to us; throws `unauthenticated` on a forged one. */
  async onSignal(env: Envelope): Promise<void> {
    if (env.to !== this.#host.local.peerId || this.#seen.has(env.sig)) return
    await verifyEnvelope(env)
    this.#remember(env.sig)
    const peer = this.#host.peer(env.from)
    const conn = peer?.connections.find((c) => c.belongsTo(env.sdp))
    if (!peer || !conn || env.ts <= (this.#newest.get(conn) ?? -1)) return
    if (env.kind === 'restart') {
      this.#newest.set(conn, env.ts)
      const answer = await conn.acceptRestart(env.sdp)
      if (answer === null) return
      this.stats.answered++
      await this.#send(peer, 'restarted', env.offerId, answer)
    } else if (env.kind === 'restarted' && this.#pending.get(conn) === env.offerId) {
      this.#newest.set(conn, env.ts)
      this.#pending.delete(conn)
      if (await conn.completeRestart(env.sdp)) this.stats.completed++
    }
  }

  #remember(sig: string): void {
    this.#seen.add(sig)
    if (this.#seen.size > MAX_SEEN) {
      const oldest = this.#seen.values().next().value
      if (oldest !== undefined) this.#seen.delete(oldest)
    }
  }

  /** Signs the signal for each topic we share with `peer` and hands it to every adapter. */
  async #send(
    peer: RemotePeer,
    kind: 'restart' | 'restarted',
    offerId: string,
    sdp: string,
  ): Promise<boolean> {
    let sent = false
    for (const hex of new Set([...peer.localTopics, ...peer.remoteTopics])) {
      const topic = this.#host.topic(hex)
      if (!topic) continue
      const env = await signEnvelope(this.#host.local, {
        kind,
        topic: hex,
        to: peer.peerId,
        offerId,
        sdp,
      })
      for (const adapter of this.#host.adapters) sent = adapter.sendRestart?.(topic, env) || sent
    }
    return sent
  }
}
