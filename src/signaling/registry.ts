/**
 * The signaling backends the engine runs, found in one place. Each backend is
 * one module in ./adapters/ exporting `adapter`, an AdapterDescriptor: the
 * path its connections are shown as taking, the popup's label for it, the
 * connection channels it speaks, and how to make it for a swarm. The engine
 * and the popup read the list from ./adapters.ts (a Vite glob over that
 * folder), so adding a backend is adding one file there.
 */
import type { KeyPair } from 'hypercore'
import { P2PError } from '../errors.js'
import type { SharedProfile } from '../identity/shared-profile.js'
import { PATH_PATTERN } from '../protocol/lobby.js'
import type { LocalPeerInfo } from '../swarm/local-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import type { SignalingAdapter, SignalPath } from './adapter.js'

/** What a backend may use when the engine makes a swarm for an identity. */
export interface AdapterContext {
  /** The local peer (signs with the identity key); hellos carry `profile()`. */
  local: LocalPeerInfo & { profile(): SharedProfile | null }
  /** The identity's hypercore key pair (for backends that write logs). */
  keyPair: KeyPair
  /** The WebTorrent tracker URLs in use (options page). */
  trackers: readonly string[]
}

/** A backend made for one swarm. */
export interface AdapterInstance {
  adapter: SignalingAdapter
  /**
   * Called once the swarm exists, for backends that carry data over its
   * connections; returns what ends that when the swarm goes.
   */
  attach?(swarm: Swarm): () => Promise<void>
}

/** What a module in ./adapters/ exports as `adapter`. */
export interface AdapterDescriptor {
  /** The `path` its connections show (peer.path, state `paths`): lowercase, unique, not `mesh`. */
  readonly path: SignalPath
  /** How the popup's people list says the path ("via …"). */
  readonly label: string
  /** Connection channels it speaks (announced in hellos); unique to it. */
  readonly channels?: readonly string[]
  /** Where it goes among the swarm's backends: lower subscribes first (trackers are 0). */
  readonly rank: number
  /** Makes it for one swarm (implementations load lazily: the popup reads only the fields above). */
  create(ctx: AdapterContext): Promise<AdapterInstance>
}

/** The backends found, in rank order. */
export interface AdapterRegistry {
  readonly descriptors: readonly AdapterDescriptor[]
  /** Their paths, in rank order. */
  readonly paths: readonly SignalPath[]
  /** Every channel they speak. */
  readonly channels: readonly string[]
  /** The label of `path` ('other members' for `mesh`), or the path itself when unknown. */
  label(path: string): string
}

/** The label of the one path that is not a backend: presence through other members. */
export const MESH_LABEL = 'other members'

/**
 * The registry of `modules` (what `import.meta.glob(…, { eager: true })`
 * returns: file name → module). Throws `invalid-argument` for a module whose
 * `adapter` is malformed or clashes with another's path or channels.
 */
export function adapterRegistry(modules: Record<string, unknown>): AdapterRegistry {
  const found: AdapterDescriptor[] = []
  const paths = new Set<string>()
  const channels = new Set<string>()
  for (const [file, mod] of Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const d = descriptorOf(file, mod)
    if (paths.has(d.path)) throw P2PError.INVALID_ARGUMENT(`${file}: path ${d.path} is taken`)
    paths.add(d.path)
    for (const channel of d.channels ?? []) {
      if (channels.has(channel)) {
        throw P2PError.INVALID_ARGUMENT(`${file}: channel ${channel} is taken`)
      }
      channels.add(channel)
    }
    found.push(d)
  }
  found.sort((a, b) => a.rank - b.rank)
  const labels = new Map<string, string>(found.map((d) => [d.path, d.label]))
  return Object.freeze({
    descriptors: Object.freeze(found),
    paths: Object.freeze(found.map((d) => d.path)),
    channels: Object.freeze([...channels]),
    label: (path: string) => (path === 'mesh' ? MESH_LABEL : (labels.get(path) ?? path)),
  })
}

function descriptorOf(file: string, mod: unknown): AdapterDescriptor {
  const d = (mod as { adapter?: Partial<AdapterDescriptor> } | null)?.adapter
  const bad = (what: string) => P2PError.INVALID_ARGUMENT(`${file}: adapter ${what}`)
  if (typeof d !== 'object' || d === null) throw bad('is not exported')
  if (typeof d.path !== 'string' || !PATH_PATTERN.test(d.path) || d.path === 'mesh') {
    throw bad('path is malformed')
  }
  if (typeof d.label !== 'string' || d.label === '') throw bad('label is missing')
  if (typeof d.rank !== 'number' || !Number.isFinite(d.rank)) throw bad('rank is not a number')
  if (typeof d.create !== 'function') throw bad('create is not a function')
  const ch = d.channels
  if (ch !== undefined && (!Array.isArray(ch) || !ch.every((c) => typeof c === 'string'))) {
    throw bad('channels are malformed')
  }
  return d as AdapterDescriptor
}
