/** WebTorrent trackers: how a lobby meets its first peer (see ../webtorrent-tracker.ts). */
import type { AdapterDescriptor } from '../registry.js'

export const adapter: AdapterDescriptor = {
  path: 'tracker',
  label: 'tracker',
  rank: 0,
  async create({ trackers }) {
    const { WebTorrentTracker } = await import('../webtorrent-tracker.js')
    return { adapter: new WebTorrentTracker({ urls: trackers }) }
  },
}
