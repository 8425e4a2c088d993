/** The peer relay: offers ride on peers already connected (see ../peer-relay.ts). */
import type { AdapterDescriptor } from '../registry.js'

/** The channel (extension) the relay speaks on connections. */
export const SIGNAL_CHANNEL = 'signal'

export const adapter: AdapterDescriptor = {
  path: 'relay',
  label: 'relay',
  channels: [SIGNAL_CHANNEL],
  rank: 10,
  async create({ local }) {
    const { PeerRelay } = await import('../peer-relay.js')
    return { adapter: new PeerRelay({ local }) }
  },
}
