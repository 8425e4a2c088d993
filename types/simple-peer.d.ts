// The parts of @thaunknown/simple-peer (data channels only, `lite.js`) that
// src/swarm uses; the package ships no types.
declare module '@thaunknown/simple-peer/lite.js' {
  export interface SignalData {
    type?: 'offer' | 'answer' | 'renegotiate' | 'transceiverRequest' | 'candidate'
    sdp?: string
  }

  export interface PeerOptions {
    initiator?: boolean
    trickle?: boolean
    config?: RTCConfiguration
    channelConfig?: RTCDataChannelInit
    channelName?: string
    /** ms to wait for ICE gathering before sending a non-trickle offer/answer anyway. */
    iceCompleteTimeout?: number
    objectMode?: boolean
  }

  interface PeerEvents {
    signal: (data: SignalData) => void
    connect: () => void
    data: (data: Uint8Array | string) => void
    close: () => void
    error: (err: Error & { code?: string }) => void
  }

  export default class Peer {
    constructor(opts?: PeerOptions)
    readonly initiator: boolean
    readonly connected: boolean
    readonly destroyed: boolean
    readonly bufferSize: number
    /** The underlying RTCPeerConnection (simple-peer internal, read for diagnostics). */
    readonly _pc: RTCPeerConnection
    /**
     * simple-peer internal: gathering counts as complete; set together with
     * emitting `_iceComplete`, which sends a waiting non-trickle offer/answer.
     */
    _iceComplete: boolean
    /** simple-peer internal: its reaction to ICE state changes (destroys on `failed`). */
    _onIceStateChange(): void
    /** simple-peer internal: its reaction to connection state changes (destroys on `failed`). */
    _onConnectionStateChange(): void
    emit(event: '_iceComplete'): boolean
    signal(data: SignalData | string): void
    send(data: Uint8Array | string): void
    destroy(err?: Error): void
    on<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): this
    once<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): this
    off<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): this
    removeAllListeners(event?: keyof PeerEvents): this
  }
}
