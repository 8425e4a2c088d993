/**
 * One WebRTC connection to one remote browser instance, over simple-peer
 * (one data channel, no trickle: trackers carry one offer and one answer).
 *
 * Lifecycle: signaling (offer/answer) → handshaking (both hellos; the remote
 * one verified) → ready → closed. Until ready, the only frame accepted is
 * the hello; after it, frames are delivered in order to the owner (the
 * swarm). A heartbeat closes a connection whose remote went silent; while
 * the network path is down (not even transport-level acks arrive) it waits
 * longer (6 s by default, see heartbeat.ts) for the path to come back, and
 * the connection counts as `stalled` until something is heard again.
 *
 * While its path is down a ready connection tries to get it back (see
 * recovery.ts): ICE restarts, whose offer and answer its owner carries over
 * another signaling path (restartOffer / acceptRestart / completeRestart),
 * and, should that not do, a fresh connection the owner lets take over. ICE
 * `failed` then no longer ends it at once: a restart can still revive it
 * within the heartbeat's bound.
 *
 * When ICE finds no path at all (both sides behind NATs that need a relay,
 * and no TURN server), the connection closes as `unreachable` with a
 * `not-connected` error saying so, instead of waiting forever.
 */
import Peer, { type SignalData } from '@thaunknown/simple-peer/lite.js'
import { P2PError } from '../errors.js'
import { RateLimiter } from '../permissions/rate-limit.js'
import type { SignalPath } from '../signaling/adapter.js'
import type { Topic } from '../signaling/topic.js'
import {
  decodeFrame,
  encodeChannel,
  encodeControl,
  type ByeReason,
  type Control,
  type Frame,
} from './frames.js'
import {
  GatherPolicy,
  candidateType,
  expectedCandidateTypes,
  serverCandidateTypes,
} from './gathering.js'
import { Heartbeat, type HeartbeatOptions } from './heartbeat.js'
import { answerRestart, completeRestart, restartOffer } from './ice-restart.js'
import {
  createHello,
  sdpFingerprints,
  verifyHelloProof,
  type Hello,
  type VerifyHello,
} from './hello.js'
import type { LocalPeerInfo } from './local-peer.js'
import { Recovery, restartsIce, type RecoveryAction, type RecoveryOptions } from './recovery.js'

export type CloseReason =
  /** The remote closed on purpose (bye). */
  | 'bye'
  /** Another connection to the same peer won. */
  | 'duplicate'
  /** We closed it on purpose (no tag left, swarm destroyed…). */
  | 'local'
  /** Heartbeat: nothing heard for too long. */
  | 'timeout'
  /** The data channel or ICE went down, or signaling never completed. */
  | 'transport'
  /** ICE found no working path to the remote (NATs without a relay between us). */
  | 'unreachable'
  /** The hello did not verify, or the peer broke the protocol. */
  | 'rejected'

export type ConnectionState = 'signaling' | 'handshaking' | 'ready' | 'closed'

export interface ConnectionEvents {
  onReady(conn: Connection): void
  onControl(conn: Connection, msg: Extract<Control, { t: 'join' } | { t: 'leave' }>): void
  onChannel(conn: Connection, channel: string, scope: string, payload: Uint8Array): void
  onClose(conn: Connection, reason: CloseReason, error?: P2PError): void
  /** A ready connection went quiet (`stalled`) or was heard again. */
  onStall?(conn: Connection, stalled: boolean): void
  /** A ready connection's path is down: time for an ICE restart, or a fresh connection. */
  onRecover?(conn: Connection, action: Exclude<RecoveryAction, null>): void
}

export interface ConnectionOptions {
  local: LocalPeerInfo
  extensions: readonly string[]
  initiator: boolean
  /**
   * The topic whose signaling made this connection; null for an offer made
   * ahead of need (the swarm's offer pool), which gets one with `bind()`.
   */
  topic: Topic | null
  /** How it was signaled (default 'tracker'). */
  path?: SignalPath
  heartbeat: HeartbeatOptions
  /** When to restart ICE and look for a fresh connection while the path is down. */
  recovery?: Partial<RecoveryOptions>
  /** From the end of signaling to a verified hello, ms. */
  handshakeTimeout: number
  /** ICE gathering for a non-trickle offer or answer, ms. */
  gatherTimeout: number
  verifyHello: VerifyHello
  /** ICE servers etc.; none when absent (host candidates only: loopback and LAN). */
  rtcConfig?: RTCConfiguration
  events: ConnectionEvents
}

/** Most bytes queued on the data channel before sends are refused. */
export const MAX_BUFFERED = 1024 * 1024
/** Frames a peer may send: a burst, then a steady rate; beyond it is a flood and the connection closes. */
export const FRAME_RATE = { burst: 1_000, perSecond: 500 }
/** Longest a retiring duplicate waits for the remote's bye and fin before it just closes, ms. */
export const RETIRE_TIMEOUT = 10_000
/** Frames waiting behind the hello's verification. */
const MAX_QUEUED = 256

/** The topic of a connection not bound to one yet: matches no real topic (hex is empty). */
export const NO_TOPIC: Topic = Object.freeze({ infoHash: new Uint8Array(0), hex: '' })

export class Connection {
  readonly initiator: boolean
  #topic: Topic
  #path: SignalPath
  #state: ConnectionState = 'signaling'
  #remote: Hello | null = null
  #key = ''
  #expectedPeerId: string | undefined
  readonly #opts: ConnectionOptions
  readonly #config: RTCConfiguration
  readonly #peer: Peer
  #localSdp: string | null = null
  #remoteSdp: string | null = null
  #localSdpReady: Promise<string>
  #helloSent: Promise<void> | null = null
  readonly #inbound: Array<Uint8Array | string> = []
  #draining = false
  #heartbeat: Heartbeat | null = null
  #recovery: Recovery | null = null
  /** An ICE restart's offer or answer in progress. */
  #restarting = false
  #ticker: ReturnType<typeof setInterval> | undefined
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined
  #stalled = false
  /** Bytes the transport had received, and when that count last changed (ms). */
  #transport = { bytes: -1, at: 0 }
  /** Retiring a duplicate: what we said and heard (see retire()). */
  readonly #retire: {
    byeSent: boolean
    byeHeard: boolean
    finHeard: boolean
    timer?: ReturnType<typeof setTimeout>
  } = { byeSent: false, byeHeard: false, finHeard: false }
  #sampling = false
  readonly #frameRate = new RateLimiter({ ...FRAME_RATE, maxKeys: 1 })

  constructor(opts: ConnectionOptions) {
    this.#opts = opts
    this.initiator = opts.initiator
    this.#topic = opts.topic ?? NO_TOPIC
    this.#path = opts.path ?? 'tracker'
    const config = opts.rtcConfig ?? { iceServers: [] }
    this.#config = config
    this.#peer = new Peer({
      initiator: opts.initiator,
      trickle: false,
      // The upper bound; #endGatheringEarly usually ends it much sooner.
      iceCompleteTimeout: opts.gatherTimeout,
      // Always explicit: simple-peer's own default sends every peer to Google's
      // and Twilio's STUN servers.
      config,
    })
    this.#endGatheringEarly(config)
    this.#localSdpReady = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(P2PError.TIMEOUT('ICE gathering', opts.gatherTimeout * 2)),
        opts.gatherTimeout * 2,
      )
      this.#peer.on('signal', (data: SignalData) => {
        const wanted = opts.initiator ? 'offer' : 'answer'
        if (data.type !== wanted || typeof data.sdp !== 'string' || this.#localSdp) return
        clearTimeout(timer)
        this.#localSdp = data.sdp
        resolve(data.sdp)
      })
      this.#peer.once('close', () => {
        clearTimeout(timer)
        reject(P2PError.NOT_CONNECTED('the connection closed during signaling'))
      })
    })
    // A rejection nobody awaits (a closed pending offer) is not an error.
    this.#localSdpReady.catch(() => undefined)
    this.#peer.on('connect', () => this.#onConnect())
    this.#peer.on('data', (data) => this.#onData(data))
    this.#peer.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_ICE_CONNECTION_FAILURE' || err.code === 'ERR_CONNECTION_FAILURE') {
        this.close('unreachable', this.#noPath())
      } else {
        this.close('transport', P2PError.NOT_CONNECTED(err.message.slice(0, 200)))
      }
    })
    this.#peer.on('close', () => this.close('transport'))
  }

  /**
   * Ends ICE gathering for our offer or answer once the candidates this
   * configuration can yield are in (see gathering.ts), instead of waiting for
   * the browser's own end of gathering.
   */
  #endGatheringEarly(config: RTCConfiguration): void {
    const policy = new GatherPolicy(expectedCandidateTypes(config))
    const peer = this.#peer
    let quiet: ReturnType<typeof setTimeout> | undefined
    peer._pc.addEventListener('icecandidate', ({ candidate }) => {
      clearTimeout(quiet)
      if (!candidate || peer._iceComplete) return
      const wait = policy.candidate(candidateType(candidate.candidate))
      if (wait === null) return
      quiet = setTimeout(() => {
        if (peer.destroyed || peer._iceComplete) return
        // What simple-peer does itself on the end of gathering: sends the
        // local description with the candidates gathered so far.
        peer._iceComplete = true
        peer.emit('_iceComplete')
      }, wait)
    })
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** The topic whose signaling made this connection (NO_TOPIC until an unbound one is bound). */
  get topic(): Topic {
    return this.#topic
  }

  /** How this connection was signaled: through a tracker, a relay peer, a lobby log. */
  get path(): SignalPath {
    return this.#path
  }

  /**
   * Gives an offer made ahead of need (topic null) its topic and path, when
   * it is handed out: once, and only before its remote end is known.
   */
  bind(topic: Topic, path: SignalPath): void {
    if (this.#topic !== NO_TOPIC || !this.initiator || this.#state !== 'signaling') {
      throw P2PError.INVALID_ARGUMENT('only an unbound offer that is still signaling can be bound')
    }
    this.#topic = topic
    this.#path = path
  }

  /** The remote's verified hello (once ready). */
  get remote(): Hello | null {
    return this.#state === 'ready' ? this.#remote : null
  }

  /** Who initiated: our peer id or the remote's. */
  get initiatorPeerId(): string {
    return this.initiator ? this.#opts.local.peerId : (this.#remote?.peerId ?? '')
  }

  /** Identical on both sides of one connection: the fingerprints of both ends. */
  get key(): string {
    return this.#key
  }

  /** Ready, but nothing heard for a while (a network outage, or a remote going away). */
  get stalled(): boolean {
    return this.#stalled
  }

  /**
   * Stalled with its network path down (nothing at all arriving): an outage
   * a fresh connection may take over from. A remote that is only busy (its
   * transport still acknowledging, say while it takes in a big message) is
   * stalled but not in an outage, and keeps its connection: moving a
   * message's pieces to another connection midway would lose it.
   */
  get outage(): boolean {
    return this.#stalled && (this.#recovery?.down ?? false)
  }

  /** Bytes waiting on the data channel. */
  get bufferedAmount(): number {
    return this.#peer.bufferSize
  }

  /** The RTCPeerConnection underneath (diagnostics and tests). */
  get rtc(): RTCPeerConnection {
    return this.#peer._pc
  }

  /** Initiator: our offer's SDP, once ICE gathering is done. */
  offer(): Promise<string> {
    if (!this.initiator) throw P2PError.INVALID_ARGUMENT('only the initiator makes the offer')
    return this.#localSdpReady
  }

  /** Answerer: takes the remote offer, resolves to our answer's SDP. */
  answer(offerSdp: string, remotePeerId: string): Promise<string> {
    if (this.initiator) throw P2PError.INVALID_ARGUMENT('the initiator does not answer')
    this.#takeRemote(offerSdp, remotePeerId, 'offer')
    return this.#localSdpReady
  }

  /** Initiator: completes signaling with the remote's answer. */
  complete(answerSdp: string, remotePeerId: string): void {
    if (!this.initiator) throw P2PError.INVALID_ARGUMENT('only the initiator takes an answer')
    this.#takeRemote(answerSdp, remotePeerId, 'answer')
  }

  /** Whether `sdp` (a restart's offer or answer) is from this connection's remote end: its DTLS fingerprint. */
  belongsTo(sdp: string): boolean {
    if (this.#state !== 'ready' || !this.#remoteSdp) return false
    try {
      return sdpFingerprints(sdp) === sdpFingerprints(this.#remoteSdp)
    } catch {
      return false
    }
  }

  /** ICE restart, the restarting side (see recovery.ts): a restart offer's SDP, or null when not now. */
  async restartOffer(): Promise<string | null> {
    if (this.#state !== 'ready' || !restartsIce(this) || this.#restarting) return null
    return this.#restart(() => restartOffer(this.#peer._pc, this.#config, this.#opts.gatherTimeout))
  }

  /** ICE restart, the other side: applies the remote's restart offer; our answer's SDP or null. */
  async acceptRestart(sdp: string): Promise<string | null> {
    if (restartsIce(this) || this.#restarting || !this.belongsTo(sdp)) return null
    return this.#restart(() =>
      answerRestart(this.#peer._pc, sdp, this.#config, this.#opts.gatherTimeout),
    )
  }

  /** ICE restart, the restarting side: applies the answer; false when it does not fit. */
  async completeRestart(sdp: string): Promise<boolean> {
    if (!restartsIce(this) || !this.belongsTo(sdp)) return false
    return (await this.#restart(() => completeRestart(this.#peer._pc, sdp))) ?? false
  }

  async #restart<T>(step: () => Promise<T>): Promise<T | null> {
    this.#restarting = true
    try {
      const result = await step()
      return this.#state === 'ready' ? result : null
    } catch {
      // A description the browser refused: the next restart starts over.
      return null
    } finally {
      this.#restarting = false
    }
  }

  #takeRemote(sdp: string, remotePeerId: string, type: 'offer' | 'answer'): void {
    if (this.#state !== 'signaling' || this.#remoteSdp !== null) return
    this.#remoteSdp = sdp
    this.#expectedPeerId = remotePeerId
    this.#state = 'handshaking'
    const ms = this.#opts.handshakeTimeout
    this.#handshakeTimer = setTimeout(() => {
      // ICE still checking (or failed) by now: no path, not a slow peer.
      const ice = this.#iceState()
      if (ice === 'new' || ice === 'checking' || ice === 'failed') {
        this.close('unreachable', this.#noPath())
      } else this.close('transport', P2PError.TIMEOUT('connection handshake', ms))
    }, ms)
    try {
      this.#peer.signal({ type, sdp })
    } catch (err) {
      this.close('transport', P2PError.from(err))
    }
  }

  /** Sends a control message; false when the connection cannot take it now. */
  sendControl(msg: Control): boolean {
    if (this.#retire.byeSent) return false
    return this.#send(encodeControl(msg))
  }

  /** Said bye as a duplicate: it takes nothing more to send, and closes once both sides are done. */
  get retiring(): boolean {
    return this.#retire.byeSent
  }

  /**
   * Closes a duplicate without losing what is on its way: we say bye (after
   * everything we already sent), keep reading until the remote's bye (after
   * everything it sent), and close once its `fin` confirms it has all of ours.
   * A remote that never answers is closed after RETIRE_TIMEOUT.
   */
  retire(): void {
    if (this.#state === 'closed' || this.#retire.byeSent) return
    this.#retire.byeSent = true
    this.#send(encodeControl({ t: 'bye', reason: 'duplicate' }))
    this.#retire.timer = setTimeout(() => this.close('duplicate'), RETIRE_TIMEOUT)
  }

  #onRetireMessage(msg: { t: 'bye' } | { t: 'fin' }): void {
    if (msg.t === 'fin') this.#retire.finHeard = true
    else {
      this.#retire.byeHeard = true
      this.retire()
      this.#send(encodeControl({ t: 'fin' }))
    }
    if (this.#retire.byeHeard && this.#retire.finHeard) this.close('duplicate')
  }

  /** Sends on a named channel; false when not ready, not spoken by the remote, or backed up. */
  sendChannel(channel: string, scope: string, payload: Uint8Array): boolean {
    if (this.#state !== 'ready' || !this.#remote?.extensions.includes(channel)) return false
    if (this.#retire.byeSent || this.#peer.bufferSize > MAX_BUFFERED) return false
    return this.#send(encodeChannel(channel, scope, payload))
  }

  #send(frame: Uint8Array): boolean {
    if (this.#state === 'closed' || !this.#peer.connected) return false
    try {
      this.#peer.send(frame)
    } catch {
      return false
    }
    this.#heartbeat?.spoke()
    return true
  }

  /** Closes; `bye` tells the remote it was on purpose. Idempotent. */
  close(reason: CloseReason, error?: P2PError, bye?: ByeReason): void {
    if (this.#state === 'closed') return
    if (bye) this.#send(encodeControl({ t: 'bye', reason: bye }))
    this.#state = 'closed'
    clearTimeout(this.#handshakeTimer)
    clearInterval(this.#ticker)
    clearTimeout(this.#retire.timer)
    this.#inbound.length = 0
    // Let a bye leave the buffer before the channel goes down.
    if (bye) setTimeout(() => this.#peer.destroy(), 50)
    else this.#peer.destroy()
    this.#opts.events.onClose(this, reason, error)
  }

  #onConnect(): void {
    if (this.#state !== 'handshaking' || !this.#localSdp || !this.#remoteSdp) return
    const localSdp = this.#localSdp
    const remoteSdp = this.#remoteSdp
    try {
      const both = [sdpFingerprints(localSdp), sdpFingerprints(remoteSdp)].sort()
      this.#key = both.join('#')
    } catch (err) {
      this.close('rejected', P2PError.from(err))
      return
    }
    this.#helloSent = createHello(this.#opts.local, this.#opts.extensions, localSdp, remoteSdp)
      .then((hello) => {
        this.#send(encodeControl({ t: 'hello', hello }))
      })
      .catch((err: unknown) => this.close('rejected', P2PError.from(err)))
    this.#drain()
  }

  #onData(data: Uint8Array | string): void {
    if (this.#state === 'closed') return
    if (!this.#frameRate.take('in') || this.#inbound.length >= MAX_QUEUED) {
      this.close('rejected', P2PError.RATE_LIMITED('frames from a peer'))
      return
    }
    this.#heartbeat?.heard()
    if (this.#stalled) this.#tick()
    this.#inbound.push(data)
    this.#drain()
  }

  /** Processes queued frames in order; the hello's verification pauses the queue. */
  #drain(): void {
    if (this.#draining || !this.#helloSent) return
    this.#draining = true
    void (async () => {
      try {
        while (this.#inbound.length > 0 && this.#state !== 'closed') {
          const data = this.#inbound.shift() as Uint8Array | string
          const frame = decodeFrame(data)
          if (frame) await this.#onFrame(frame)
        }
      } catch (err) {
        this.close('rejected', P2PError.from(err))
      } finally {
        this.#draining = false
      }
    })()
  }

  async #onFrame(frame: Frame): Promise<void> {
    if (this.#state === 'handshaking') {
      if (frame.kind !== 'control' || frame.msg.t !== 'hello') {
        throw P2PError.PROTOCOL_ERROR('peer', 'a frame before the hello')
      }
      await this.#onHello(frame.msg.hello)
      return
    }
    if (this.#state !== 'ready') return
    if (frame.kind === 'channel') {
      if (this.#opts.extensions.includes(frame.channel)) {
        this.#opts.events.onChannel(this, frame.channel, frame.scope, frame.payload)
      }
      return
    }
    const msg = frame.msg
    if (msg.t === 'hello') throw P2PError.PROTOCOL_ERROR('peer', 'a second hello')
    if (msg.t === 'ping') return
    if (msg.t === 'fin' || (msg.t === 'bye' && msg.reason === 'duplicate')) {
      this.#onRetireMessage(msg)
      return
    }
    if (msg.t === 'bye') {
      this.close('bye')
      return
    }
    this.#opts.events.onControl(this, msg)
  }

  async #onHello(hello: Hello): Promise<void> {
    const localSdp = this.#localSdp ?? ''
    const remoteSdp = this.#remoteSdp ?? ''
    await verifyHelloProof(hello, localSdp, remoteSdp, this.#expectedPeerId)
    if (hello.peerId === this.#opts.local.peerId) {
      throw P2PError.UNAUTHENTICATED('the remote claims our own peer id')
    }
    if (!(await this.#opts.verifyHello(hello))) {
      throw P2PError.UNAUTHENTICATED(`the identity ${hello.identityUrl} is not bound to its key`)
    }
    await this.#helloSent
    if (this.#state !== 'handshaking') return
    this.#remote = hello
    this.#state = 'ready'
    clearTimeout(this.#handshakeTimer)
    this.#heartbeat = new Heartbeat(this.#opts.heartbeat)
    this.#recovery = new Recovery(restartsIce(this), this.#opts.recovery)
    this.#keepThroughFailure()
    this.#ticker = setInterval(() => this.#tick(), Math.max(50, this.#heartbeat.interval / 2))
    this.#opts.events.onReady(this)
  }

  /**
   * Once ready, ICE (or the connection) going `failed` is a path down like
   * `disconnected`, which a restart may still revive: simple-peer would end
   * the connection at once; the heartbeat's bound ends it when nothing does.
   */
  #keepThroughFailure(): void {
    const peer = this.#peer
    const onIce = peer._onIceStateChange.bind(peer)
    const onConnection = peer._onConnectionStateChange.bind(peer)
    peer._onIceStateChange = () => {
      if (this.#iceState() !== 'failed') onIce()
    }
    peer._onConnectionStateChange = () => {
      if (peer._pc.connectionState !== 'failed') onConnection()
    }
  }

  /** ICE's state; 'closed' once simple-peer let go of the RTCPeerConnection. */
  #iceState(): RTCIceConnectionState {
    const pc = this.#peer._pc as RTCPeerConnection | null
    return pc ? pc.iceConnectionState : 'closed'
  }

  /** The error for a connection ICE could not establish. */
  #noPath(): P2PError {
    const who = this.#expectedPeerId ? `peer ${this.#expectedPeerId.slice(0, 8)}…` : 'a peer'
    const relay = serverCandidateTypes(this.#opts.rtcConfig ?? {}).has('relay')
    return P2PError.NOT_CONNECTED(
      `no network path to ${who}: ICE found no working route` +
        (relay
          ? ' (not even through the TURN relay)'
          : '; behind NATs like these a TURN relay is needed (add one on the options page)'),
    )
  }

  /**
   * Samples the bytes the transport received (ICE, DTLS, SCTP acks). A remote
   * whose page hangs still acknowledges our pings from its WebRTC thread; a
   * cut path brings nothing at all. (Chromium's ICE state stays `connected`
   * for seconds after a cut, so it cannot tell them apart in time.)
   */
  async #sampleTransport(): Promise<void> {
    if (this.#sampling) return
    this.#sampling = true
    try {
      const pc = this.#peer._pc as RTCPeerConnection | null
      if (!pc) return
      let bytes = 0
      ;(await pc.getStats()).forEach((r: { type?: string; bytesReceived?: number }) => {
        if (r.type === 'transport') bytes += r.bytesReceived ?? 0
      })
      if (bytes !== this.#transport.bytes) this.#transport = { bytes, at: performance.now() }
    } catch {
      // Closed meanwhile: nothing to learn.
    } finally {
      this.#sampling = false
    }
  }

  /** Nothing at all arrived on the transport for two intervals: the path is down. */
  #pathDown(heartbeat: Heartbeat): boolean {
    const ice = this.#iceState()
    if (ice === 'disconnected' || ice === 'failed') return true
    return (
      this.#transport.bytes >= 0 && performance.now() - this.#transport.at >= heartbeat.interval * 2
    )
  }

  #tick(): void {
    const heartbeat = this.#heartbeat
    if (!heartbeat) return
    // Sampled from half an interval of quiet on, so a cut is known (~2.5 s)
    // before the 4 s timeout would end the connection.
    if (heartbeat.quiet < heartbeat.interval / 2) this.#transport = { bytes: -1, at: 0 }
    else void this.#sampleTransport()
    // The path is down (not a hung remote): give it time to come back, and
    // the data channel time to resume once it is (see heartbeat.ts).
    const pathDown = this.#pathDown(heartbeat)
    const action = heartbeat.tick(pathDown)
    const recover = this.#retire.byeSent ? null : (this.#recovery?.tick(pathDown) ?? null)
    if (heartbeat.stalled !== this.#stalled) {
      this.#stalled = heartbeat.stalled
      this.#opts.events.onStall?.(this, this.#stalled)
    }
    if (action === 'dead') {
      const ms = Math.round(heartbeat.quiet)
      this.close('timeout', P2PError.TIMEOUT(`peer ${this.#remote?.peerId ?? ''}`, ms))
      return
    }
    if (action === 'ping' && !this.#retire.byeSent) this.#send(encodeControl({ t: 'ping' }))
    if (recover) this.#opts.events.onRecover?.(this, recover)
  }
}
