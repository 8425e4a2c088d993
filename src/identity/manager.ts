/**
 * The identities of this browser: several archives, one of them main.
 *
 *   const ids = await IdentityManager.open()
 *   ids.main()            // { url, name, created }
 *   await ids.rename(url, 'Alice')
 *
 * The first open creates one identity with a default name. The list and the
 * main choice live in IndexedDB (./registry.ts); each identity's archive lives
 * in the page store (./idb-store.ts), secret key included (hypercore keeps it
 * in the core's header). No method returns a secret key except `export`.
 *
 * Every change is serialised and resolves only once it is durable.
 */
import Hypercore from 'hypercore'
import { P2PError } from '../errors.js'
import type { Identity } from '../protocol/messages.js'
import { IdentityArchive } from './archive.js'
import { importArchive, exportArchive } from './transfer.js'
import { parseHyperUrl, toHex } from './hyper-url.js'
import { idbStorage } from './idb-storage.js'
import { IdbStore } from './idb-store.js'
import { checkName, PROFILE, type Profile } from './records.js'
import { Registry, type IdentityRecord } from './registry.js'
import { Serial } from '../serial.js'

export const DEFAULT_IDENTITY_NAME = 'Anonymous'

export interface ManagerOptions {
  /** Prefix of the two IndexedDB databases (`<name>-hypercores`, `<name>-identities`). */
  name?: string
  /** Name of the identity created on first run. */
  defaultName?: string
  /** Commit durability of the page store (default 'strict'). */
  durability?: IDBTransactionDurability
}

/** One identity as the admin API lists it. */
export interface IdentitySummary extends Identity {
  main: boolean
  /** False when another browser holds this identity's write lease. */
  writable: boolean
}

interface Entry {
  record: IdentityRecord
  archive: IdentityArchive
}

function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)))
}

function newPrefix(): string {
  return `id-${randomHex(16)}/`
}

export class IdentityManager {
  private readonly store: IdbStore
  private readonly registry: Registry
  private readonly device: string
  private readonly entries = new Map<string, Entry>()
  private mainUrl = ''
  private readonly lock = new Serial()

  private constructor(store: IdbStore, registry: Registry, device: string) {
    this.store = store
    this.registry = registry
    this.device = device
  }

  /** Opens every identity of this browser, creating the first one if there is none. */
  static async open(opts: ManagerOptions = {}): Promise<IdentityManager> {
    const name = opts.name ?? 'porchlight'
    const store = await IdbStore.open(`${name}-hypercores`, {
      durability: opts.durability ?? 'strict',
    })
    const registry = await Registry.open(`${name}-identities`)
    const device = await registry.device(() => randomHex(16))
    const manager = new IdentityManager(store, registry, device)
    await manager.load(opts.defaultName ?? DEFAULT_IDENTITY_NAME)
    return manager
  }

  /** This browser's device id, as written into the archives it appends to. */
  get deviceId(): string {
    return this.device
  }

  /** Every identity, oldest first. */
  list(): IdentitySummary[] {
    return [...this.entries.values()].map(({ archive }) => ({
      ...this.describe(archive),
      main: archive.url === this.mainUrl,
      writable: archive.writable,
    }))
  }

  main(): Identity {
    if (!this.mainUrl) throw P2PError.from(new Error('no identity of this browser could be opened'))
    return this.identity(this.mainUrl)
  }

  /** Public facts of one identity: url, name, created. */
  identity(url: string): Identity {
    return this.describe(this.entry(url).archive)
  }

  /** The archive of one identity, for the engine's other parts (sessions, friends, replication). */
  archive(url: string): IdentityArchive {
    return this.entry(url).archive
  }

  /** Creates an identity; the first one becomes main. */
  create(name: string = DEFAULT_IDENTITY_NAME): Promise<Identity> {
    const checked = checkName(name)
    return this.exclusive(() => this.createUnlocked(checked))
  }

  rename(url: string, name: string): Promise<Identity> {
    const checked = checkName(name)
    return this.exclusive(async () => {
      const { archive } = this.entry(url)
      await archive.put(PROFILE, { ...this.profileOf(archive), name: checked })
      return this.describe(archive)
    })
  }

  setMain(url: string): Promise<Identity> {
    return this.exclusive(async () => {
      const { archive } = this.entry(url)
      await this.registry.setMain(archive.url)
      this.mainUrl = archive.url
      return this.describe(archive)
    })
  }

  /**
   * Deletes an identity and its secret key from this browser, for good.
   * `confirm` must be `true`: the caller states that the user confirmed.
   */
  delete(url: string, confirm: unknown): Promise<void> {
    if (confirm !== true) {
      throw P2PError.INVALID_ARGUMENT(
        'deleting an identity cannot be undone; pass confirm: true once the user has confirmed',
      )
    }
    return this.exclusive(async () => {
      const { record, archive } = this.entry(url)
      if (this.entries.size === 1) {
        throw P2PError.INVALID_ARGUMENT(
          'this is your only identity; create another before deleting it',
        )
      }
      const next = [...this.entries.keys()].find((u) => u !== record.url) ?? null
      const nextMain = record.url === this.mainUrl ? next : null
      // Registry first: a crash after it leaves only orphan files, removed on the next open.
      await this.registry.remove(record.url, nextMain)
      this.entries.delete(record.url)
      if (nextMain) this.mainUrl = nextMain
      await archive.close()
      await this.store.deleteFiles(record.prefix)
    })
  }

  /** Adds a friend's identity URL to the profile of `url`. */
  addFriend(url: string, friend: string): Promise<Profile> {
    const friendUrl = parseHyperUrl(friend, 'friend')
    return this.exclusive(async () => {
      const { archive } = this.entry(url)
      if (friendUrl === archive.url) throw P2PError.INVALID_ARGUMENT('you cannot befriend yourself')
      const profile = this.profileOf(archive)
      return archive.put(PROFILE, { ...profile, friends: [...profile.friends, friendUrl] })
    })
  }

  removeFriend(url: string, friend: string): Promise<Profile> {
    const friendUrl = parseHyperUrl(friend, 'friend')
    return this.exclusive(async () => {
      const { archive } = this.entry(url)
      const profile = this.profileOf(archive)
      const friends = profile.friends.filter((f) => f !== friendUrl)
      return archive.put(PROFILE, { ...profile, friends })
    })
  }

  /** The export text of an identity: contains its SECRET KEY (see ./export-format.ts). */
  export(url: string): Promise<string> {
    return this.exclusive(() => exportArchive(this.entry(url).archive))
  }

  /**
   * Imports an export text. A bad, truncated or foreign text is
   * `invalid-argument` and changes nothing. The copy is read-only here unless
   * `takeOver` makes this browser the identity's writer (docs/identity.md).
   */
  import(text: unknown, opts: { takeOver?: boolean } = {}): Promise<Identity> {
    return this.exclusive(async () => {
      const prefix = newPrefix()
      const archive = await importArchive(text, {
        storage: idbStorage(this.store, prefix),
        device: this.device,
        takeOver: opts.takeOver === true,
        exists: (u) => this.entries.has(u),
        discard: () => this.store.deleteFiles(prefix),
      })
      await this.register(archive, prefix)
      return this.describe(archive)
    })
  }

  /** Closes every archive and both databases. */
  async close(): Promise<void> {
    await this.lock.idle()
    for (const { archive } of this.entries.values()) await archive.close()
    this.entries.clear()
    await this.store.close()
    this.registry.close()
  }

  private async load(defaultName: string): Promise<void> {
    const records = await this.registry.identities()
    for (const record of records) {
      try {
        const core = new Hypercore(idbStorage(this.store, record.prefix))
        const archive = await IdentityArchive.open(core, { device: this.device })
        this.entries.set(archive.url, { record, archive })
      } catch (err) {
        // One damaged archive must not take the others down; it stays registered.
        console.error(`Porchlight: could not open identity ${record.url}`, err)
      }
    }
    await this.removeOrphans(records)
    if (this.entries.size === 0 && records.length === 0) await this.createUnlocked(defaultName)
    const main = await this.registry.main()
    const first = this.entries.keys().next().value
    if (main && this.entries.has(main)) this.mainUrl = main
    else if (first) {
      await this.registry.setMain(first)
      this.mainUrl = first
    }
  }

  /** Deletes files no registered identity owns (a create or delete cut short). */
  private async removeOrphans(records: IdentityRecord[]): Promise<void> {
    const owned = new Set(records.map((r) => r.prefix))
    const prefixes = new Set((await this.store.files()).map((f) => f.slice(0, f.indexOf('/') + 1)))
    for (const prefix of prefixes) {
      if (prefix && !owned.has(prefix)) await this.store.deleteFiles(prefix)
    }
  }

  private async createUnlocked(name: string): Promise<Identity> {
    const prefix = newPrefix()
    const core = new Hypercore(idbStorage(this.store, prefix))
    const archive = await IdentityArchive.open(core, { device: this.device })
    await archive.put(PROFILE, { name, created: Date.now(), friends: [] })
    await this.register(archive, prefix)
    return this.describe(archive)
  }

  private async register(archive: IdentityArchive, prefix: string): Promise<void> {
    const record: IdentityRecord = { url: archive.url, prefix, added: Date.now() }
    const makeMain = this.mainUrl === ''
    await this.registry.add(record, makeMain)
    this.entries.set(record.url, { record, archive })
    if (makeMain) this.mainUrl = record.url
  }

  private entry(url: string): Entry {
    const entry = this.entries.get(parseHyperUrl(url))
    if (!entry) throw P2PError.INVALID_ARGUMENT(`no identity ${url.slice(0, 80)} in this browser`)
    return entry
  }

  private profileOf(archive: IdentityArchive): Profile {
    const profile = archive.profile
    if (!profile) throw P2PError.from(new Error(`identity ${archive.url} has no profile`))
    return profile
  }

  private describe(archive: IdentityArchive): Identity {
    const { name, created } = this.profileOf(archive)
    return { url: archive.url, name, created }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn)
  }
}
