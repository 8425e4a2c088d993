/**
 * Friends as a page gets them (API.md "Friends and sessions"): everything
 * the extension answers is checked and rebuilt; a malformed entry is dropped.
 */
import type { Friend, SessionInfo } from '../../src/api/types.js'
import { isRecord, own } from '../../src/protocol/validate.js'

function session(raw: unknown): SessionInfo | undefined {
  if (!isRecord(raw)) return undefined
  const [name, url, lastUpdate, peers, maxPeers, prot] = [
    'name',
    'url',
    'lastUpdate',
    'peers',
    'maxPeers',
    'protected',
  ].map((k) => own(raw, k))
  if (typeof name !== 'string' || typeof url !== 'string' || typeof prot !== 'boolean') {
    return undefined
  }
  if (typeof lastUpdate !== 'number' || typeof peers !== 'number' || typeof maxPeers !== 'number') {
    return undefined
  }
  return Object.freeze({ name, url, lastUpdate, peers, maxPeers, protected: prot })
}

/** One friend, or null when `raw` is not one. */
export function parseFriend(raw: unknown): Friend | null {
  if (!isRecord(raw)) return null
  const identity = own(raw, 'identity')
  const online = own(raw, 'online')
  if (!isRecord(identity) || typeof online !== 'boolean') return null
  const url = own(identity, 'url')
  const name = own(identity, 'name')
  const created = own(identity, 'created')
  if (typeof url !== 'string' || typeof name !== 'string' || typeof created !== 'number') {
    return null
  }
  const live = session(own(raw, 'session'))
  const friend: Friend = { identity: Object.freeze({ url, name, created }), online }
  if (live) friend.session = live
  return Object.freeze(friend)
}

export function parseFriends(raw: unknown): Friend[] {
  return (Array.isArray(raw) ? raw : []).flatMap((f: unknown) => parseFriend(f) ?? [])
}
