// The browser client of bittorrent-tracker, as the bench's raw floor uses it.
declare module 'bittorrent-tracker' {
  import type Peer from '@thaunknown/simple-peer/lite.js'

  export interface ClientOptions {
    /** 40 hex characters. */
    infoHash: string
    /** 40 hex characters. */
    peerId: string
    announce: string[]
    port?: number
    rtcConfig?: RTCConfiguration
  }

  export default class Client {
    constructor(opts: ClientOptions)
    on(event: 'peer', listener: (peer: Peer) => void): this
    on(event: 'error' | 'warning', listener: (err: Error) => void): this
    start(): void
    destroy(cb?: () => void): void
  }
}
