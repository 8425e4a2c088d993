/**
 * Being in a topic with other peers. Returned by `swarm.join(topic)`.
 *
 * A peer is in the topic with us once both sides said so on the connection
 * (`join`), whichever way the connection was made: through this topic's
 * signaling, or earlier for another topic and shared now. A side that
 * leaves (or is full) says `leave`; a connection with no topic or tag left
 * closes. Only topics the remote already showed it is in are ever named to
 * it, so a peer never learns our other lobbies.
 */
import type { P2PError } from '../errors.js'
import { Emitter } from '../events.js'
import type { Topic } from '../signaling/topic.js'
import type { CloseReason } from './connection.js'
import type { LeaveReason } from './frames.js'
import type { RemotePeer } from './remote-peer.js'

/** How full the topic is; the lobby provides it. */
export interface MembershipPolicy {
  /** How many more peers the topic wants now (offers to make at the next announce). */
  wanted(): number
  /** Whether another peer may join now (false: full). */
  accepting(): boolean
}

/** Why a peer left the topic: it left, we left, or its connection went away. */
export type PeerLeaveReason = 'left' | 'local' | CloseReason

export interface MembershipEvents {
  'peer-join': { peer: RemotePeer }
  'peer-leave': { peer: RemotePeer; reason: PeerLeaveReason }
  /** Data on a channel scoped to this topic, from a peer in it. */
  data: { peer: RemotePeer; channel: string; payload: Uint8Array }
  /** A peer refused us because it is full. */
  refused: { peerId: string; reason: 'full' }
  /** Connection attempts for this topic in progress. */
  pending: { count: number }
  error: { error: P2PError }
  /** A signaling server answered for this topic again (it is reachable). */
  reachable: Record<string, never>
}

/** What the membership needs from its swarm. */
export interface MembershipHost {
  nextSeq(): number
  tag(peer: RemotePeer, tag: string): void
  /** Removes a tag; closes the peer when none is left. */
  untag(peer: RemotePeer, tag: string): void
  connectedPeers(): Iterable<RemotePeer>
  pendingFor(topic: string): number
  announce(topic: Topic): void
  release(membership: TopicMembership): void
}

export function topicTag(hex: string): string {
  return `topic:${hex}`
}

export class TopicMembership extends Emitter<MembershipEvents> {
  readonly topic: Topic
  readonly policy: MembershipPolicy
  readonly #host: MembershipHost
  readonly #joined = new Map<string, RemotePeer>()
  #left = false

  /** @internal Made by Swarm.join(). */
  constructor(topic: Topic, policy: MembershipPolicy, host: MembershipHost) {
    super()
    this.topic = topic
    this.policy = policy
    this.#host = host
  }

  get left(): boolean {
    return this.#left
  }

  /** Peers in the topic with us (both sides joined). */
  peers(): RemotePeer[] {
    return [...this.#joined.values()]
  }

  has(peerId: string): boolean {
    return this.#joined.has(peerId)
  }

  /** Connection attempts for this topic in progress. */
  get pending(): number {
    return this.#host.pendingFor(this.topic.hex)
  }

  /** Sends on a channel to one peer of the topic; false when it cannot go now. */
  send(peerId: string, channel: string, payload: Uint8Array): boolean {
    const peer = this.#joined.get(peerId)
    return peer ? peer.send(channel, this.topic.hex, payload) : false
  }

  /** Announces the topic again now (e.g. to find more peers). */
  announce(): void {
    if (!this.#left) this.#host.announce(this.topic)
  }

  /** Leaves the topic: tells every peer in it, closes connections nothing else needs. */
  leave(): void {
    if (this.#left) return
    this.#left = true
    for (const peer of [...this.#host.connectedPeers()]) {
      if (!peer.localTopics.delete(this.topic.hex)) continue
      peer.control({ t: 'leave', topic: this.topic.hex, seq: this.#host.nextSeq(), reason: 'left' })
      if (this.#joined.delete(peer.peerId)) this.emit('peer-leave', { peer, reason: 'local' })
      this.#host.untag(peer, topicTag(this.topic.hex))
    }
    this.#joined.clear()
    this.#host.release(this)
  }

  /**
   * Sends one peer out of the topic (a hosted session refusing a guest): it
   * hears `leave` with `reason` (`full`: it reports lobby-full), and the
   * connection closes if nothing else needs it. It may ask to join again.
   */
  refuse(peerId: string, reason: LeaveReason): void {
    const peer = this.#joined.get(peerId)
    const hex = this.topic.hex
    if (this.#left || !peer) return
    this.#joined.delete(peerId)
    peer.remoteTopics.delete(hex)
    peer.control({ t: 'leave', topic: hex, seq: this.#host.nextSeq(), reason })
    this.emit('peer-leave', { peer, reason: 'local' })
    if (peer.localTopics.delete(hex)) this.#host.untag(peer, topicTag(hex))
  }

  /** @internal We learned `peer` is in the topic (signaling, or a join): join it if we can. */
  offerJoin(peer: RemotePeer): void {
    const hex = this.topic.hex
    if (this.#left || peer.localTopics.has(hex)) return
    if (!this.policy.accepting()) {
      peer.control({ t: 'leave', topic: hex, seq: this.#host.nextSeq(), reason: 'full' })
      return
    }
    peer.localTopics.add(hex)
    this.#host.tag(peer, topicTag(hex))
    peer.control({ t: 'join', topic: hex, seq: this.#host.nextSeq() })
    this.#check(peer)
  }

  /** @internal The remote joined. */
  onJoin(peer: RemotePeer, seq: number): void {
    const hex = this.topic.hex
    if (!peer.acceptSeq(hex, seq)) return
    const again = peer.remoteTopics.has(hex)
    peer.remoteTopics.add(hex)
    if (!peer.localTopics.has(hex)) this.offerJoin(peer)
    else if (again && !this.#left) {
      // Joined twice: the remote lost us and started over on a fresh
      // connection (we kept the peer through it): it needs our join again.
      peer.control({ t: 'join', topic: hex, seq: this.#host.nextSeq() })
    } else this.#check(peer)
  }

  /** @internal The remote left (or refused us as full). */
  onLeave(peer: RemotePeer, seq: number, reason: LeaveReason): void {
    const hex = this.topic.hex
    if (!peer.acceptSeq(hex, seq)) return
    peer.remoteTopics.delete(hex)
    if (this.#joined.delete(peer.peerId)) this.emit('peer-leave', { peer, reason: 'left' })
    if (reason === 'full') this.emit('refused', { peerId: peer.peerId, reason })
    if (peer.localTopics.delete(hex)) this.#host.untag(peer, topicTag(hex))
  }

  /** @internal The peer's last connection closed. */
  onPeerGone(peer: RemotePeer, reason: CloseReason): void {
    if (this.#joined.get(peer.peerId) === peer) {
      this.#joined.delete(peer.peerId)
      this.emit('peer-leave', { peer, reason })
    }
  }

  /** @internal Channel data from a peer; dropped unless the peer is in the topic. */
  onData(peer: RemotePeer, channel: string, payload: Uint8Array): void {
    if (this.#joined.get(peer.peerId) === peer) this.emit('data', { peer, channel, payload })
  }

  #check(peer: RemotePeer): void {
    const hex = this.topic.hex
    if (this.#joined.has(peer.peerId)) return
    if (peer.localTopics.has(hex) && peer.remoteTopics.has(hex)) {
      this.#joined.set(peer.peerId, peer)
      this.emit('peer-join', { peer })
    }
  }
}
