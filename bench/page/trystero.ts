/**
 * Bench page: Trystero (its torrent strategy, @trystero-p2p/torrent) pointed
 * at the bench's local tracker only, as the peer library Porchlight is
 * measured against. One room per page load.
 */
import { joinRoom, type Room } from '@trystero-p2p/torrent'
import { PeerCounter, now, type PeerStackApi } from './peers.js'

const peers = new PeerCounter()
let room: Room | null = null

const api: PeerStackApi & { leave(): Promise<void> } = {
  async join(tracker, topic) {
    const joinedAt = now()
    room = joinRoom(
      { appId: 'porchlight-bench', relayConfig: { urls: [tracker], redundancy: 1 } },
      topic,
    )
    room.onPeerJoin = (id) => peers.add(id)
    return joinedAt
  },
  waitPeers: (n, timeoutMs) => peers.wait(n, timeoutMs),
  async leave() {
    await room?.leave()
    room = null
  },
}

declare global {
  interface Window {
    benchTrystero: typeof api
  }
}

window.benchTrystero = api
