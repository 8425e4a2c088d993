// The engine's per-peer views of a lobby (extension/engine/lobby-peers.ts):
// steps queued for a peer run in order with the alias the pages know.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LobbyPeer } from '../../src/lobby/lobby.js'
import { PeerViews, peerAlias } from '../../extension/engine/lobby-peers.js'

const tick = () => new Promise((r) => setTimeout(r, 0))

test('a step queued just before the peer left runs with its alias, before its peer-leave', async () => {
  const events: string[] = []
  const aliasKey = new Uint8Array(32).fill(1)
  const views = new PeerViews({
    origin: 'https://a.example',
    name: 'room',
    aliasKey,
    replicator: null,
    toAll: (name) => events.push(name),
    notify: () => undefined,
  })
  const peer: LobbyPeer = {
    peerId: 'p'.repeat(64),
    identityUrl: `hyper://${'a'.repeat(64)}`,
    sessionData: null,
    path: 'tracker',
    profile: { name: 'Ann', created: 1 },
  }
  views.joined(peer)
  await tick()
  await tick()
  // A message arrives and the peer leaves in the same task, as on a close.
  views.after(peer.peerId, (alias) => events.push(`message from ${alias}`))
  views.left(peer)
  await tick()
  await tick()
  const alias = await peerAlias(aliasKey, 'https://a.example', peer.peerId)
  assert.deepEqual(events, ['peer-join', `message from ${alias}`, 'peer-leave'])
})
