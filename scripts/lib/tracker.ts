/**
 * The embedded WebTorrent tracker: a bittorrent-tracker server, WebSocket
 * only, bound to loopback. Used by `npm run tracker`, the demo, tests and the
 * bench.
 */
import type { Socket } from 'node:net'
import Server from 'bittorrent-tracker/server'

export interface RunningTracker {
  url: string
  port: number
  /** Info hashes with at least one peer, and how many peers each has. */
  swarms(): Map<string, number>
  /** Every WebSocket message clients sent, as text (tests inspect what a tracker learns). */
  received(): string[]
  close(): Promise<void>
}

export interface TrackerOptions {
  port?: number
  host?: string
  /** Announce interval the tracker asks clients for, in ms. */
  interval?: number
  /**
   * Most peers one announce's offers go to (the client's offer count when
   * absent): a stingier tracker, so a test shows what the peer relay adds.
   */
  offersPerAnnounce?: number
}

export async function startTracker(opts: TrackerOptions = {}): Promise<RunningTracker> {
  const host = opts.host ?? '127.0.0.1'
  const server = new Server({
    http: false,
    udp: false,
    ws: true,
    stats: false,
    ...(opts.interval ? { interval: opts.interval } : {}),
    ...(opts.offersPerAnnounce !== undefined
      ? { filter: limitOffers(opts.offersPerAnnounce) }
      : {}),
  })
  // A tracker keeps serving whatever a single client does wrong. Listening
  // before listen(): a port in use is reported twice (HTTP and WebSocket
  // server), and the second report would otherwise crash the process.
  server.on('error', () => undefined)
  server.on('warning', () => undefined)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (err) {
    server.close()
    throw err
  }
  // Closing waits for every client socket to end; clients keep theirs open,
  // so close() cuts them (as a tracker that goes away does).
  const sockets = new Set<Socket>()
  server.http?.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const received: string[] = []
  server.ws.on('connection', (socket) => {
    socket.on('message', (data) => received.push(String(data)))
  })
  const address = server.ws.address() as { port: number }
  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    swarms() {
      const out = new Map<string, number>()
      for (const [hash, swarm] of Object.entries(server.torrents)) {
        out.set(hash, swarm.peers.length)
      }
      return out
    },
    received: () => [...received],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

/** A tracker filter that lets every announce through with its offers sent to at most `n` peers. */
function limitOffers(n: number) {
  return (_infoHash: string, params: unknown, cb: (err: Error | null) => void): void => {
    const announce = params as { numwant?: unknown }
    if (typeof announce.numwant === 'number') announce.numwant = Math.min(announce.numwant, n)
    cb(null)
  }
}
