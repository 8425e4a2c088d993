// The parts of hypercore 10 Porchlight uses; the package ships no types.
declare module 'hypercore' {
  import { EventEmitter } from 'node:events'
  import type RandomAccessStorage from 'random-access-storage'
  import type { Duplex } from 'streamx'

  export interface KeyPair {
    publicKey: Uint8Array
    secretKey: Uint8Array
  }

  export interface HypercoreOptions {
    keyPair?: KeyPair
    key?: Uint8Array
    writable?: boolean
    sparse?: boolean
    valueEncoding?: 'binary' | 'utf-8' | 'json'
    /** The core's signers (its key is the manifest's hash). */
    manifest?: Manifest
  }

  /** A core signed by one key under a namespace (hypercore's manifest v1). */
  export interface Manifest {
    version: number
    signers: Array<{ publicKey: Uint8Array; namespace: Uint8Array }>
  }

  /**
   * The raw side of a Noise replication stream (streamx): ciphertext in and
   * out; emits `handshake` once the remote's static key is known.
   */
  export interface ReplicationStream extends Duplex {
    noiseStream: { remotePublicKey: Uint8Array | null; publicKey: Uint8Array | null }
    readonly remotePublicKey: Uint8Array | null
    readonly publicKey: Uint8Array | null
  }

  export interface ProtocolStreamOptions {
    /** The Noise static key pair (Ed25519); a random one when absent. */
    keyPair?: KeyPair
    /** Noise keep-alives every 5 s (default true). */
    keepAlive?: boolean
    /** A core the remote opened that we have not: its discovery key. */
    ondiscoverykey?: (discoveryKey: Uint8Array) => void
  }

  export default class Hypercore extends EventEmitter {
    constructor(
      storage: (file: string) => RandomAccessStorage,
      key?: Uint8Array | null,
      opts?: HypercoreOptions,
    )
    constructor(storage: (file: string) => RandomAccessStorage, opts?: HypercoreOptions)
    readonly key: Uint8Array | null
    readonly discoveryKey: Uint8Array | null
    readonly keyPair: KeyPair | null
    readonly length: number
    readonly byteLength: number
    readonly fork: number
    readonly writable: boolean
    readonly opened: boolean
    readonly closed: boolean
    ready(): Promise<void>
    append(blocks: Uint8Array | Uint8Array[]): Promise<{ length: number; byteLength: number }>
    get(index: number, opts?: { wait?: boolean; timeout?: number }): Promise<Uint8Array | null>
    has(start: number, end?: number): Promise<boolean>
    update(opts?: { wait?: boolean }): Promise<boolean>
    treeHash(length?: number): Promise<Uint8Array>
    replicate(isInitiator: boolean, opts?: { keepAlive?: boolean }): ReplicationStream
    /** Replicates over an existing protocol stream (several cores share one). */
    replicate(stream: ReplicationStream): ReplicationStream
    /** A Noise protocol stream no core is attached to yet. */
    static createProtocolStream(
      isInitiator: boolean,
      opts?: ProtocolStreamOptions,
    ): ReplicationStream
    /** Downloads a range (end -1: live, everything appended later too). */
    download(range?: { start?: number; end?: number }): { destroy(): void }
    close(): Promise<void>
    /** The key of a core with `manifest`. */
    static key(manifest: Manifest): Uint8Array
  }
}

declare module 'hypercore-crypto' {
  import type { KeyPair } from 'hypercore'
  /** A new Ed25519 key pair, or the one derived from a 32-byte seed. */
  export function keyPair(seed?: Uint8Array): KeyPair
  export function discoveryKey(publicKey: Uint8Array): Uint8Array
  export function randomBytes(n: number): Uint8Array
  const crypto: {
    keyPair: typeof keyPair
    discoveryKey: typeof discoveryKey
    randomBytes: typeof randomBytes
  }
  export default crypto
}
