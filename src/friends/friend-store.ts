/**
 * What this browser keeps about friends beyond profile.json's list of URLs:
 * each friend's rendezvous secret (to find them) and last known name, and
 * the invites each identity handed out (by the hash of their secret, when
 * they expire, who used them). Engine-only; IndexedDB in the extension, a
 * Map in unit tests.
 */
import { complete, openDatabase, request } from '../identity/idb-util.js'

export interface FriendRecord {
  /** Our identity this friend belongs to. */
  identity: string
  /** The friend's identity URL. */
  url: string
  /** The friend's rendezvous secret (32 bytes). */
  rendezvous: Uint8Array
  /** Last known profile facts; null until first replicated. */
  name: string | null
  created: number | null
}

export interface InviteRecord {
  /** SHA-256 (hex) of the invite secret. */
  id: string
  /** The identity that invited. */
  identity: string
  expires: number
  /** Who claimed it, once claimed. */
  usedBy: string | null
}

export interface FriendStore {
  friends(identity: string): Promise<FriendRecord[]>
  putFriend(record: FriendRecord): Promise<void>
  invite(id: string): Promise<InviteRecord | undefined>
  putInvite(record: InviteRecord): Promise<void>
}

export function memoryFriendStore(): FriendStore {
  const friends = new Map<string, FriendRecord>()
  const invites = new Map<string, InviteRecord>()
  return {
    friends: async (identity) => [...friends.values()].filter((f) => f.identity === identity),
    putFriend: async (r) => void friends.set(`${r.identity} ${r.url}`, { ...r }),
    invite: async (id) => {
      const r = invites.get(id)
      return r ? { ...r } : undefined
    },
    putInvite: async (r) => void invites.set(r.id, { ...r }),
  }
}

const FRIENDS = 'friends'
const INVITES = 'invites'

/** The extension's store: database `<name>` with two object stores. */
export async function idbFriendStore(name = 'porchlight-friends'): Promise<FriendStore> {
  const db = await openDatabase(name, 1, (db) => {
    if (!db.objectStoreNames.contains(FRIENDS)) {
      db.createObjectStore(FRIENDS, { keyPath: ['identity', 'url'] })
    }
    if (!db.objectStoreNames.contains(INVITES)) db.createObjectStore(INVITES, { keyPath: 'id' })
  })
  const write = async (store: string, value: unknown) => {
    const tx = db.transaction(store, 'readwrite', { durability: 'strict' })
    tx.objectStore(store).put(value)
    await complete(tx)
  }
  return {
    friends: async (identity) => {
      const tx = db.transaction(FRIENDS, 'readonly')
      const all = (await request(tx.objectStore(FRIENDS).getAll())) as FriendRecord[]
      return all.filter((f) => f.identity === identity)
    },
    putFriend: (r) => write(FRIENDS, r),
    invite: async (id) => {
      const tx = db.transaction(INVITES, 'readonly')
      return (await request(tx.objectStore(INVITES).get(id))) as InviteRecord | undefined
    },
    putInvite: (r) => write(INVITES, r),
  }
}
