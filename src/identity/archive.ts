/**
 * An identity archive: one hypercore whose key is the identity
 * (`hyper://<64 hex>`), holding `profile.json` and, while hosting,
 * `session.json` as key/value blocks, the latest block of a key winning
 * (format in ./block.ts).
 *
 * On open the archive reads the head block and the block each key's pointer
 * names, and keeps the current values in memory; reads never touch the log.
 * Writes are checked (./records.ts), serialised, appended, and resolve once
 * the block is durable in storage.
 *
 * Only the device holding the write lease appends (docs/identity.md): the
 * head block names it, and any other copy of the same keys is read-only
 * until it explicitly takes over.
 */
import type Hypercore from 'hypercore'
import { P2PError } from '../errors.js'
import { BLOCK_VERSION, decodeBlock, encodeBlock, isDeviceId, type Block } from './block.js'
import { hyperUrl } from './hyper-url.js'
import {
  ARCHIVE_KEYS,
  PROFILE,
  checkValue,
  type ArchiveKey,
  type ArchiveValues,
  type Profile,
} from './records.js'
import { Serial } from '../serial.js'

export interface ArchiveOptions {
  /** This browser's device id (32 hex), written into every block it appends. */
  device: string
}

export class IdentityArchive {
  readonly core: Hypercore
  readonly device: string
  private readonly values = new Map<ArchiveKey, unknown>()
  private latest: Partial<Record<ArchiveKey, number>> = {}
  private writer: string | null = null
  private loadedLength = 0
  private readonly steps = new Serial()

  private constructor(core: Hypercore, device: string) {
    this.core = core
    this.device = device
  }

  /** Opens an archive on a hypercore (ready or not) and loads its current values. */
  static async open(core: Hypercore, opts: ArchiveOptions): Promise<IdentityArchive> {
    if (!isDeviceId(opts.device)) throw new RangeError('device must be 32 hex characters')
    await core.ready()
    const archive = new IdentityArchive(core, opts.device)
    await archive.load()
    return archive
  }

  /** `hyper://<64 hex>` of the archive's key. */
  get url(): string {
    if (!this.core.key) throw P2PError.from(new Error('archive core has no key'))
    return hyperUrl(this.core.key)
  }

  get length(): number {
    return this.core.length
  }

  /** The device holding the write lease, or null for an empty archive. */
  get writerDevice(): string | null {
    return this.writer
  }

  /** True when this browser may append: it has the secret key and holds the lease. */
  get writable(): boolean {
    return this.core.writable && (this.writer === null || this.writer === this.device)
  }

  /** The current value of `key`, or null when it is absent or deleted. */
  get<K extends ArchiveKey>(key: K): ArchiveValues[K] | null {
    return (this.values.get(key) as ArchiveValues[K] | undefined) ?? null
  }

  /** The profile; every archive this module creates has one. */
  get profile(): Profile | null {
    return this.get(PROFILE)
  }

  /** Checks and writes `value` as the latest `key`; resolves with the stored value once durable. */
  put<K extends ArchiveKey>(key: K, value: unknown): Promise<ArchiveValues[K]> {
    const checked = checkValue(key, value)
    return this.serial(() => this.append(key, checked, false)) as Promise<ArchiveValues[K]>
  }

  /** Deletes `key` (e.g. `session.json` when hosting ends). */
  async delete(key: ArchiveKey): Promise<void> {
    await this.serial(() => this.append(key, null, false))
  }

  /**
   * Makes this device the writer: appends the current profile again with this
   * device in the lease. Only safe when this copy has the latest log.
   */
  async takeOver(): Promise<void> {
    await this.serial(() => {
      const profile = this.profile
      if (!profile)
        throw P2PError.INVALID_ARGUMENT('an archive without a profile cannot be taken over')
      return this.append(PROFILE, profile, true)
    })
  }

  /** Re-reads the head when the log grew from elsewhere (replication). */
  async refresh(): Promise<void> {
    if (this.core.length !== this.loadedLength) await this.serial(() => this.load())
  }

  async close(): Promise<void> {
    await this.steps.idle()
    await this.core.close()
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps.run(fn)
  }

  private async append(key: ArchiveKey, value: unknown, takeOver: boolean): Promise<unknown> {
    if (!this.core.writable) {
      throw P2PError.PERMISSION_DENIED('this identity is read-only here: no secret key')
    }
    if (!takeOver && !this.writable) {
      throw P2PError.PERMISSION_DENIED(
        'another browser holds the write lease of this identity; take over writing here first',
      )
    }
    const seq = this.core.length
    const latest: Partial<Record<ArchiveKey, number>> = { ...this.latest }
    delete latest[key]
    const block: Block = { v: BLOCK_VERSION, key, value, writer: this.device, latest }
    await this.core.append(encodeBlock(block))
    this.latest = { ...latest, [key]: seq }
    this.writer = this.device
    this.loadedLength = seq + 1
    if (value === null) this.values.delete(key)
    else this.values.set(key, value)
    return value
  }

  private async load(): Promise<void> {
    const length = this.core.length
    if (length === 0) return
    const headSeq = length - 1
    const head = decodeBlock(await this.core.get(headSeq), headSeq)
    if (!head) {
      throw P2PError.from(new Error(`identity archive ${this.url}: block ${headSeq} is damaged`))
    }
    const latest: Partial<Record<ArchiveKey, number>> = { ...head.latest, [head.key]: headSeq }
    const blocks = await Promise.all(
      ARCHIVE_KEYS.map(async (key) => {
        const seq = latest[key]
        if (seq === undefined) return null
        if (seq === headSeq) return head
        const block = decodeBlock(await this.core.get(seq), seq)
        return block?.key === key ? block : null
      }),
    )
    this.values.clear()
    for (const block of blocks) {
      if (block && block.value !== null) this.values.set(block.key, block.value)
    }
    this.latest = latest
    this.writer = head.writer
    this.loadedLength = length
  }
}
