/**
 * A swarm peer living in its own (cross-site, so separate process) frame,
 * driven by postMessage from a browser test: removing the frame is a tab
 * closing; `freeze` hangs its main thread while its WebRTC transport stays
 * up, which is how a silently dead peer looks from the other side.
 */
import { generateLocalPeer } from '../../src/swarm/local-peer.js'
import { Swarm } from '../../src/swarm/swarm.js'
import { topicFromHex } from '../../src/signaling/topic.js'
import { WebTorrentTracker } from '../../src/signaling/webtorrent-tracker.js'

interface Start {
  cmd: 'start'
  tracker: string
  topic: string
}
interface Freeze {
  cmd: 'freeze'
  ms: number
}

window.addEventListener('message', (event: MessageEvent<Start | Freeze>) => {
  const msg = event.data
  const reply = (data: unknown) => (event.source as Window | null)?.postMessage(data, '*')
  if (msg.cmd === 'start') {
    void (async () => {
      const swarm = new Swarm({
        local: await generateLocalPeer(),
        adapters: [new WebTorrentTracker({ urls: [msg.tracker], announceInterval: 2_000 })],
        heartbeat: { interval: 300, timeout: 1_500 },
      })
      swarm.join(topicFromHex(msg.topic))
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
