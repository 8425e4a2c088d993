/**
 * Bench page: Porchlight's lobby through the page API (`p2p.joinLobby`, see
 * /API.md "Lobbies and peers"), as a peer stack like the others, plus the
 * session-data and message measurements.
 *
 * `available()` says whether the provider has `joinLobby`; without it (an
 * extension built before the lobby API) the bench reports the lobby rows as
 * pending.
 */
import { PeerCounter, now, type PeerStackApi } from './peers.js'
import { StampCollector } from './stamps.js'

/** The part of API.md's Lobby the bench uses. */
interface Peer {
  readonly id: string
}
interface Lobby extends EventTarget {
  readonly peers: Peer[]
  setSessionData(data: Uint8Array | string): Promise<void>
  send(peerId: string, data: unknown): void
  leave(): Promise<void>
}
type LobbyEvent = CustomEvent<{ peer: Peer; data?: unknown }>
interface LobbyApi {
  joinLobby?(name: string, opts?: { maxPeers?: number }): Promise<Lobby>
}

const p2p = () => window.p2p as unknown as LobbyApi
const peers = new PeerCounter()
let lobby: Lobby | null = null

/** Messages the bench's control handler reacts to (others are counted as bulk). */
type Control = { t: 'ping' } | { t: 'pong' } | { t: 'got' }
let onControl: (msg: Control, from: Peer) => void = () => undefined
let stamps: StampCollector | null = null
let bulk = { expected: 0, received: 0 }

function listen(l: Lobby): void {
  l.addEventListener('peer-join', (e) => peers.add((e as LobbyEvent).detail.peer.id))
  for (const peer of l.peers) peers.add(peer.id)
  l.addEventListener('message', (e) => {
    const { peer, data } = (e as LobbyEvent).detail
    const msg = data as Control | { t: 'bulk'; n: number } | { t: 'chunk' }
    if (msg.t === 'ping') l.send(peer.id, { t: 'pong' })
    else if (msg.t === 'bulk') bulk = { expected: msg.n, received: 0 }
    else if (msg.t === 'chunk') {
      if (++bulk.received === bulk.expected) l.send(peer.id, { t: 'got' })
    } else onControl(msg, peer)
  })
  l.addEventListener('session-data', (e) => {
    const { data } = (e as LobbyEvent).detail
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array)
    stamps?.stamp(Number(text))
  })
}

function next(type: Control['t'], timeoutMs: number): Promise<Control> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" in ${timeoutMs} ms`)), timeoutMs)
    onControl = (msg) => {
      if (msg.t !== type) return
      clearTimeout(timer)
      resolve(msg)
    }
  })
}

function current(): Lobby {
  if (!lobby) throw new Error('not in a lobby')
  return lobby
}

const stack: PeerStackApi & { leave(): Promise<void> } = {
  // The extension signals through the trackers it was built with (the bench
  // runs its tracker there), so `tracker` is not passed on.
  async join(_tracker, topic) {
    const joinedAt = now()
    const join = p2p().joinLobby
    if (!join) throw new Error('p2p.joinLobby is not available')
    lobby = await join.call(window.p2p, topic, { maxPeers: 8 })
    listen(lobby)
    return joinedAt
  },
  waitPeers: (n, timeoutMs) => peers.wait(n, timeoutMs),
  async leave() {
    await lobby?.leave()
    lobby = null
  },
}

/** The sender's pending `setSessionData`: ms until it was answered. */
let call: Promise<number> | null = null

const measure = {
  /** Receiver: starts waiting for the next session-data update (before the sender sets it). */
  armSessionData(timeoutMs: number): void {
    stamps = new StampCollector(1, timeoutMs, now)
  },
  /** Receiver: that update's one-way delay (ms). */
  async sessionDataDelay(): Promise<number> {
    if (!stamps) throw new Error('armSessionData first')
    const [delay] = await stamps.result()
    return delay!
  },
  /**
   * Sender: in `afterMs`, sets session data to the current time (the first
   * update on this connection). Resolves at once: the bench's own traffic
   * (this call's answer, the receiver's next call) is over by the time the
   * update leaves, so it does not share the two machines' cores with it, as
   * it does not with the raw channel's stamps.
   */
  sendSessionData(afterMs: number): void {
    call = new Promise((resolve, reject) => {
      setTimeout(() => {
        const at = now()
        current()
          .setSessionData(String(at))
          .then(() => resolve(now() - at), reject)
      }, afterMs)
    })
    call.catch(() => undefined)
  },
  /** Sender: how long that `setSessionData` took to be answered (ms). */
  sessionDataCall(): Promise<number> {
    if (!call) throw new Error('sendSessionData first')
    return call
  },
  /** Round trips (ms) of `count` messages the first peer echoes, one at a time. */
  async ping(count: number): Promise<number[]> {
    const l = current()
    const to = l.peers[0]
    if (!to) throw new Error('no peer')
    const rtts: number[] = []
    for (let i = 0; i < count; i++) {
      const start = now()
      const pong = next('pong', 5000)
      l.send(to.id, { t: 'ping' })
      await pong
      rtts.push(now() - start)
    }
    return rtts
  },
  /** Sends `n` messages of `bytes` bytes each to the first peer; ms until it confirmed them all. */
  async bulk(n: number, bytes: number): Promise<number> {
    const l = current()
    const to = l.peers[0]
    if (!to) throw new Error('no peer')
    const payload = { t: 'chunk', data: new Uint8Array(bytes).fill(1) }
    const got = next('got', 60_000)
    const start = now()
    l.send(to.id, { t: 'bulk', n })
    for (let i = 0; i < n; i++) l.send(to.id, payload)
    await got
    return now() - start
  },
}

const api = {
  ...stack,
  ...measure,
  available: () => typeof p2p()?.joinLobby === 'function',
}

declare global {
  interface Window {
    benchLobby: typeof api
  }
}

window.benchLobby = api
