/**
 * Lobby-log signaling: a hosted session's offers and answers in hypercores
 * the session's peers carry (see ../lobby-log.ts and ../log-mesh.ts).
 */
import type { AdapterDescriptor } from '../registry.js'

/** The channel lobby logs replicate on. */
export const LOG_CHANNEL = 'lobby-log'
/** The channel a joiner's log is offered to the host on. */
export const LOG_INVITE_CHANNEL = 'lobby-log-invite'

export const adapter: AdapterDescriptor = {
  path: 'lobby-log',
  label: 'lobby log',
  channels: [LOG_CHANNEL, LOG_INVITE_CHANNEL],
  rank: 20,
  async create({ local, keyPair }) {
    const [{ LobbyLog }, { LogMesh }] = await Promise.all([
      import('../lobby-log.js'),
      import('../log-mesh.js'),
    ])
    // The log needs the swarm to carry its logs, and the swarm this adapter: bind late.
    let network: InstanceType<typeof LogMesh> | null = null
    const lobbyLog = new LobbyLog({
      local,
      network: {
        identityKey: '',
        append: (block) => network?.append(block) ?? Promise.resolve(),
        follow: (key, onBlock) => network?.follow(key, onBlock) ?? (() => undefined),
        invite: (key, reply) => network?.invite(key, reply),
        onInvite: (listener) => network?.onInvite(listener) ?? (() => undefined),
      },
    })
    return {
      adapter: lobbyLog,
      attach: (swarm) => {
        const mesh = new LogMesh({ swarm, keyPair })
        network = mesh
        return () => mesh.destroy()
      },
    }
  },
}
