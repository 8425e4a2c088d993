/**
 * Which identities this browser has, which one is main, and this browser's
 * device id, kept in IndexedDB. Names and keys are not here: names live in
 * each archive's profile, keys in the archive's hypercore storage.
 */
import { complete, openDatabase, request } from './idb-util.js'

const IDENTITIES = 'identities'
const META = 'meta'
const VERSION = 1
const MAIN = 'main'
const DEVICE = 'device'

export interface IdentityRecord {
  /** hyper://<64 hex> */
  url: string
  /** Prefix of the identity's hypercore files in the page store. */
  prefix: string
  /** When this browser added it (created or imported), ms since the epoch. */
  added: number
}

export class Registry {
  private readonly db: IDBDatabase

  private constructor(db: IDBDatabase) {
    this.db = db
  }

  static async open(name: string): Promise<Registry> {
    const db = await openDatabase(name, VERSION, (db) => {
      if (!db.objectStoreNames.contains(IDENTITIES)) {
        db.createObjectStore(IDENTITIES, { keyPath: 'url' })
      }
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META)
    })
    return new Registry(db)
  }

  /** Every identity, oldest first. */
  async identities(): Promise<IdentityRecord[]> {
    const tx = this.db.transaction(IDENTITIES, 'readonly')
    const all = (await request(tx.objectStore(IDENTITIES).getAll())) as IdentityRecord[]
    return all.sort((a, b) => a.added - b.added)
  }

  async main(): Promise<string | null> {
    const tx = this.db.transaction(META, 'readonly')
    const value: unknown = await request(tx.objectStore(META).get(MAIN))
    return typeof value === 'string' ? value : null
  }

  /** This browser's device id, created on first use. */
  async device(create: () => string): Promise<string> {
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' })
    const store = tx.objectStore(META)
    const existing: unknown = await request(store.get(DEVICE))
    let id = typeof existing === 'string' ? existing : null
    if (!id) {
      id = create()
      store.put(id, DEVICE)
    }
    await complete(tx)
    return id
  }

  /** Adds (or replaces) an identity and optionally makes it main, in one durable transaction. */
  async add(record: IdentityRecord, makeMain: boolean): Promise<void> {
    const tx = this.db.transaction([IDENTITIES, META], 'readwrite', { durability: 'strict' })
    tx.objectStore(IDENTITIES).put(record)
    if (makeMain) tx.objectStore(META).put(record.url, MAIN)
    await complete(tx)
  }

  async setMain(url: string): Promise<void> {
    const tx = this.db.transaction(META, 'readwrite', { durability: 'strict' })
    tx.objectStore(META).put(url, MAIN)
    await complete(tx)
  }

  /** Removes an identity; `nextMain` replaces it as main when given. */
  async remove(url: string, nextMain: string | null): Promise<void> {
    const tx = this.db.transaction([IDENTITIES, META], 'readwrite', { durability: 'strict' })
    tx.objectStore(IDENTITIES).delete(url)
    if (nextMain) tx.objectStore(META).put(nextMain, MAIN)
    await complete(tx)
  }

  close(): void {
    this.db.close()
  }
}
