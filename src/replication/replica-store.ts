/**
 * Where read-only copies of other identities' archives live while we
 * replicate them. Today: in memory, one copy per connected peer, dropped when
 * the peer goes. The seam for later: a store of friends' archives in
 * IndexedDB implements the same two calls and keeps what it wants to keep.
 */
import Hypercore from 'hypercore'
import RAM from 'random-access-memory'

export interface ReplicaStore {
  /** A read-only hypercore for the identity whose public key is `key` (ready or not). */
  open(key: Uint8Array): Hypercore
  /** The replicator is done with `core`: the store closes it or keeps it. */
  release(core: Hypercore): Promise<void>
}

/** Copies in memory, closed (and forgotten) on release. */
export function memoryReplicaStore(): ReplicaStore {
  return {
    open: (key) => new Hypercore(() => new RAM(), Uint8Array.from(key)),
    release: (core) => core.close(),
  }
}
