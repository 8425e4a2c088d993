/**
 * A lobby peer living in its own (cross-site, so separate process) frame,
 * driven by postMessage from a browser test: removing the frame is a tab
 * closing; `freeze` hangs its main thread while its WebRTC transport stays
 * up, which is how a silently dead peer looks from the other side.
 */
import { Lobby } from '../../src/lobby/lobby.js'
import { WebTorrentTracker } from '../../src/signaling/webtorrent-tracker.js'
import { generateLocalPeer } from '../../src/swarm/local-peer.js'
import { Swarm } from '../../src/swarm/swarm.js'

export interface FrameStart {
  cmd: 'start'
  tracker: string
  origin: string
  name: string
}
export interface FrameFreeze {
  cmd: 'freeze'
  ms: number
}

window.addEventListener('message', (event: MessageEvent<FrameStart | FrameFreeze>) => {
  const msg = event.data
  const reply = (data: unknown) => (event.source as Window | null)?.postMessage(data, '*')
  if (msg.cmd === 'start') {
    void (async () => {
      const swarm = new Swarm({
        local: await generateLocalPeer(),
        adapters: [new WebTorrentTracker({ urls: [msg.tracker], announceInterval: 2_000 })],
      })
      await Lobby.join({ swarm, origin: msg.origin, name: msg.name })
      reply({ peerId: swarm.peerId })
    })()
  } else if (msg.cmd === 'freeze') {
    reply({ frozen: true })
    const end = performance.now() + msg.ms
    while (performance.now() < end) {
      // Hung: no timers, no messages, no pings.
    }
  }
})
parent.postMessage({ ready: true }, '*')
