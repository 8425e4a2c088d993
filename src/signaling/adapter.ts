/**
 * How the swarm finds peers: one small interface, one file per backend
 * (trystero's StrategyAdapter). A backend carries WebRTC offers and answers
 * for a topic between browsers that do not know each other yet; it never
 * sees what the peers later say to each other.
 *
 * The swarm owns the WebRTC side: it makes offers when asked, answers offers
 * it is handed, and completes its own offers with the answers that come back.
 * Everything an adapter hands over comes from the network: peer ids are only
 * claims until the connection's hello verifies them.
 */
import type { P2PError } from '../errors.js'
import type { Envelope } from './relay-envelope.js'
import type { Topic } from './topic.js'

/** An offer the swarm made, for the backend to pass to some peer on the topic. */
export interface LocalOffer {
  /** 40 hex characters (20 bytes), fresh per offer; the answer comes back with it. */
  offerId: string
  sdp: string
}

/** Where a signal came from: the backend and the server or relay it used. */
export interface SignalSource {
  topic: Topic
  /** The sender's peer id as claimed by the signaling path (40 hex). */
  peerId: string
  offerId: string
  /** The server or relay it came through, e.g. a tracker URL. */
  via: string
}

export interface RemoteOffer extends SignalSource {
  sdp: string
}

export interface RemoteAnswer extends SignalSource {
  sdp: string
}

/** What a subscriber provides for one topic. */
export interface TopicHandlers {
  /** How many new peers the topic wants now; the backend makes at most that many offers. */
  offersWanted(): number
  /** Makes `count` offers; may return fewer (even none) when the swarm is at its limits. */
  createOffers(count: number): Promise<LocalOffer[]>
  /** A peer's offer: resolves to our answer's SDP, or null to decline it. */
  onOffer(offer: RemoteOffer): Promise<string | null>
  /** A peer's answer to one of our offers. */
  onAnswer(answer: RemoteAnswer): void
  /**
   * Whether the topic takes no new peer now (full): a backend that can reach
   * the offer's sender answers it with a refusal instead of silence.
   */
  full?(): boolean
  /** A peer refused one of our offers because it is full. */
  onRefused?(refusal: SignalSource): void
  /** A failure this topic's signaling met: a server refused it, or sent something hostile. */
  onError?(error: P2PError): void
  /** A server answered for this topic: whatever `onError` said about reaching it is over. */
  onReachable?(): void
  /** The peers already connected in this topic, for backends that signal through them. */
  mesh?: TopicMesh
  /**
   * A signed ICE-restart signal (kind `restart` or `restarted`) addressed to
   * us, as it came: the swarm verifies it. `via` as in SignalSource.
   */
  onRestart?(env: Envelope, via: string): void
}

/**
 * The topic's peers as a signaling path (seed 003: offers ride on neighbours),
 * over the backend's own channel.
 * Only peers in the topic with us are reachable, so a backend never learns,
 * nor tells, which other topics two peers share.
 */
export interface TopicMesh {
  /** Peer ids in the topic with us now. */
  peers(): string[]
  /** Sends a signaling payload to a peer in the topic; false when it cannot go now. */
  send(peerId: string, payload: Uint8Array): boolean
  /** Signaling payloads from peers in the topic; returns a function that stops listening. */
  onMessage(listener: (peerId: string, payload: Uint8Array) => void): () => void
  /** Peers joining (true) or leaving (false) the topic; returns a function that stops listening. */
  onPeer(listener: (peerId: string, joined: boolean) => void): () => void
  /**
   * When we already have a connection to `peerId` (for another topic), offers
   * it this topic too and returns true: no signaling needed.
   */
  reach(peerId: string): boolean
  /**
   * Whether every connection we have to `peerId` has its network path down:
   * a backend may then signal a fresh connection to it, to take over.
   */
  recovering?(peerId: string): boolean
}

/**
 * How a connection was signaled: shown to users and pages (`path` of a peer).
 * Each backend names its own (src/signaling/adapters/); those built in are
 * 'tracker', 'relay' and 'lobby-log'.
 */
export type SignalPath = 'tracker' | 'relay' | 'lobby-log' | (string & {})

export interface AnnounceHint {
  /** A peer we look for in particular (to reconnect); backends that can address peers use it. */
  peerId?: string
}

export type ServerState = 'connecting' | 'open' | 'closed'

export interface ServerStatus {
  /** A tracker URL, a relay peer id, … */
  server: string
  state: ServerState
  /** The last failure, while not open. */
  error?: P2PError
}

export interface SignalingAdapter {
  /** Short name of the backend, for logs and status. */
  readonly name: string
  /** The path its connections are shown as taking; 'tracker' when absent. */
  readonly path?: SignalPath
  /**
   * The connection channel it signals over through peers already connected
   * (its `handlers.mesh` sends and hears only this channel, so two such
   * backends never read each other's messages); none for server backends.
   */
  readonly channel?: string
  /**
   * Starts the backend for the local peer. Idempotent. Unreachable servers do
   * not throw: they are retried with backoff and show in `status()`.
   */
  init(localPeerId: string): void
  /** Announces the topic (now and periodically) and routes its signals to `handlers`. */
  subscribe(topic: Topic, handlers: TopicHandlers): () => void
  /** Announces a subscribed topic again now, e.g. when a peer dropped. */
  announce(topic: Topic, hint?: AnnounceHint): void
  /**
   * Sends a signed ICE-restart signal (`env.to` is the receiver) for a
   * subscribed topic, on a path that does not need the connection being
   * restarted; false when this backend has no way to address that peer now.
   */
  sendRestart?(topic: Topic, env: Envelope): boolean
  /** Leaves every topic and closes every connection of the backend. */
  deactivate(): void
  status(): ServerStatus[]
}
