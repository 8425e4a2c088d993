/**
 * The service worker's durable state in IndexedDB. Nothing the gatekeeper
 * needs lives only in memory: after the worker is stopped, every answer is
 * rebuilt from here.
 */
const DB_NAME = 'porchlight-gatekeeper'
const DB_VERSION = 2
export const GRANTS = 'grants'
/** Retained session-data, one record per (origin, lobby); see ./retained.ts. */
export const SESSION_DATA = 'session-data'
/** User settings by name (e.g. the tracker list). */
export const SETTINGS = 'settings'

let opening: Promise<IDBDatabase> | null = null

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      if (!db.objectStoreNames.contains(GRANTS)) db.createObjectStore(GRANTS, { keyPath: 'origin' })
      if (!db.objectStoreNames.contains(SESSION_DATA)) {
        db.createObjectStore(SESSION_DATA, { keyPath: 'key' }).createIndex('origin', 'origin')
      }
      if (!db.objectStoreNames.contains(SETTINGS))
        db.createObjectStore(SETTINGS, { keyPath: 'name' })
    }
    req.onsuccess = () => {
      req.result.onclose = () => {
        opening = null
      }
      resolve(req.result)
    }
    req.onerror = () => {
      opening = null
      reject(req.error ?? new Error('could not open the gatekeeper database'))
    }
  })
  return opening
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

export async function get<T>(store: string, key: IDBValidKey): Promise<T | undefined> {
  const db = await open()
  return done(db.transaction(store, 'readonly').objectStore(store).get(key)) as Promise<
    T | undefined
  >
}

export async function getAll<T>(store: string): Promise<T[]> {
  const db = await open()
  return done(db.transaction(store, 'readonly').objectStore(store).getAll()) as Promise<T[]>
}

/** Records of `store` whose `index` equals `value`. */
export async function getAllBy<T>(store: string, index: string, value: IDBValidKey): Promise<T[]> {
  const db = await open()
  const source = db.transaction(store, 'readonly').objectStore(store).index(index)
  return done(source.getAll(value)) as Promise<T[]>
}

/** Runs one write in a strict-durability transaction; resolves once it is on disk. */
async function write(store: string, change: (s: IDBObjectStore) => void): Promise<void> {
  const db = await open()
  const tx = db.transaction(store, 'readwrite', { durability: 'strict' })
  change(tx.objectStore(store))
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write failed'))
  })
}

/**
 * Reads the record at `key` and writes what `change` makes of it, in one
 * transaction (so two updates never lose each other's change).
 */
export function update<T>(
  store: string,
  key: IDBValidKey,
  change: (current: T | undefined) => T,
): Promise<void> {
  return write(store, (s) => {
    const req = s.get(key)
    req.onsuccess = () => s.put(change(req.result as T | undefined))
  })
}

/** Deletes every record of `store` whose `index` equals `value`. */
export function deleteAllBy(store: string, index: string, value: IDBValidKey): Promise<void> {
  return write(store, (s) => {
    const req = s.index(index).openKeyCursor(IDBKeyRange.only(value))
    req.onsuccess = () => {
      const cursor = req.result
      if (!cursor) return
      s.delete(cursor.primaryKey)
      cursor.continue()
    }
  })
}

export function put(store: string, value: unknown): Promise<void> {
  return write(store, (s) => s.put(value))
}

export function del(store: string, key: IDBValidKey): Promise<void> {
  return write(store, (s) => s.delete(key))
}
