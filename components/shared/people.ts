/**
 * From connections to people: a lobby lists one {@link Peer} per connection,
 * and one identity open in two browsers (or re-announced by a tracker) is two
 * connections. The elements show people, so they group by identity URL.
 */
import type { Identity, Peer } from '../../src/index.js'

/** One identity in a lobby and the connections it has there. */
export interface Person {
  /** The identity URL, or `peer:<id>` for a connection not authenticated yet. */
  readonly key: string
  readonly identity: Identity | null
  /** Its connections, in the order they arrived; never empty. */
  readonly peers: readonly Peer[]
  /** True for the identity this page runs as (its other browsers included). */
  readonly isSelf: boolean
}

/** The key {@link groupByIdentity} groups a connection under. */
export function personKey(peer: Peer): string {
  return peer.identity?.url ? peer.identity.url.toLowerCase() : `peer:${peer.id}`
}

/**
 * The people behind some connections, one per identity, in order of first
 * arrival; with `self`, the page's own identity comes first and holds its
 * other connections too.
 */
export function groupByIdentity(peers: readonly Peer[], self?: Peer | null): Person[] {
  const byKey = new Map<string, { identity: Identity | null; peers: Peer[] }>()
  const selfKey = self ? personKey(self) : null
  if (self && selfKey) byKey.set(selfKey, { identity: self.identity, peers: [self] })
  for (const peer of peers) {
    const key = personKey(peer)
    const entry = byKey.get(key)
    if (!entry) byKey.set(key, { identity: peer.identity, peers: [peer] })
    else if (!entry.peers.some((p) => p.id === peer.id)) entry.peers.push(peer)
  }
  return [...byKey].map(([key, { identity, peers: list }]) => ({
    key,
    identity,
    peers: list,
    isSelf: key === selfKey,
  }))
}

/** How an identity is named on screen. */
export function displayName(identity: Identity | null | undefined): string {
  const name = identity?.name.trim()
  if (name) return name
  return identity ? `Someone (${shortUrl(identity.url)})` : 'Someone connecting'
}

/** `hyper://0a1b2c…7e8f9a` — enough of a key to tell identities apart, short enough to read. */
export function shortUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([0-9a-f]{16,})(.*)$/iu.exec(url)
  if (!match) return url.length > 32 ? `${url.slice(0, 20)}…${url.slice(-8)}` : url
  const [, scheme = '', key = '', rest = ''] = match
  return `${scheme}${key.slice(0, 6)}…${key.slice(-6)}${rest}`
}
