/**
 * Bench page: the raw floors, no extension involved.
 *
 * - `join`/`waitPeers`: bittorrent-tracker's own browser client and the
 *   RTCPeerConnections it opens (simple-peer), as the floor for the time to
 *   a first peer.
 * - `inPagePair`: two RTCPeerConnections in one page, candidates handed over
 *   directly: the floor under any signaling.
 * - `link`: one bare RTCDataChannel to another profile (./raw-link.ts).
 */
import Client from 'bittorrent-tracker'
import { PeerCounter, now, randomId, type PeerStackApi } from './peers.js'
import { link } from './raw-link.js'

const peers = new PeerCounter()
let client: Client | null = null
let connections = 0

const stack: PeerStackApi & { leave(): Promise<void> } = {
  async join(tracker, topic) {
    const joinedAt = now()
    client = new Client({ infoHash: topic, peerId: randomId(), announce: [tracker], port: 6881 })
    client.on('peer', (peer) => {
      peer.once('connect', () => peers.add(String(connections++)))
    })
    client.on('error', (err) => console.error('bench tracker client:', err.message))
    client.on('warning', () => undefined)
    client.start()
    return joinedAt
  },
  waitPeers: (n, timeoutMs) => peers.wait(n, timeoutMs),
  async leave() {
    client?.destroy()
    client = null
  },
}

/** Milliseconds until two RTCPeerConnections in this page have an open data channel. */
async function inPagePair(): Promise<number> {
  const start = now()
  const a = new RTCPeerConnection()
  const b = new RTCPeerConnection()
  // Each side's candidates go to the other once it has the remote description.
  let bReady = (): void => undefined
  let aReady = (): void => undefined
  const bHasOffer = new Promise<void>((resolve) => (bReady = resolve))
  const aHasAnswer = new Promise<void>((resolve) => (aReady = resolve))
  const trickle = (from: RTCPeerConnection, to: RTCPeerConnection, ready: Promise<void>) => {
    from.onicecandidate = ({ candidate }) => {
      if (candidate) void ready.then(() => to.addIceCandidate(candidate))
    }
  }
  trickle(a, b, bHasOffer)
  trickle(b, a, aHasAnswer)
  const opened = Promise.all([
    new Promise((resolve) => (a.createDataChannel('bench').onopen = resolve)),
    new Promise((resolve) => (b.ondatachannel = (e) => (e.channel.onopen = resolve))),
  ])
  await a.setLocalDescription()
  await b.setRemoteDescription(a.localDescription!)
  bReady()
  await b.setLocalDescription()
  await a.setRemoteDescription(b.localDescription!)
  aReady()
  await opened
  const ms = now() - start
  a.close()
  b.close()
  return ms
}

const api = { ...stack, inPagePair, link }

declare global {
  interface Window {
    benchRaw: typeof api
  }
}

window.benchRaw = api
