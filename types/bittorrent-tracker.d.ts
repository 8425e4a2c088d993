// The parts of bittorrent-tracker that Porchlight uses; the package ships no types.
declare module 'bittorrent-tracker/server' {
  import { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  import type { AddressInfo } from 'node:net'
  export interface ServerOptions {
    http?: boolean | object
    udp?: boolean | object
    ws?: boolean | object
    stats?: boolean
    interval?: number
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void
  }
  export default class Server extends EventEmitter {
    constructor(opts?: ServerOptions)
    http: HttpServer | null
    ws: {
      address(): AddressInfo | string
      on(
        event: 'connection',
        fn: (socket: { on(e: 'message', fn: (data: unknown) => void): void }) => void,
      ): void
    }
    torrents: Record<string, { peers: { length: number } }>
    listen(port: number, hostname: string, onListening?: () => void): void
    close(cb?: () => void): void
  }
}
