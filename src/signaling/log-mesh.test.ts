// LogMesh's invite channel over a fake swarm (no WebRTC): invites are signed,
// limited per neighbour and per inviter, and de-duplicated.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import crypto from 'hypercore-crypto'
import { bytesToHex } from '@noble/curves/utils.js'
import { generateLocalPeer, type LocalPeerInfo } from '../swarm/local-peer.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { Swarm } from '../swarm/swarm.js'
import { LOG_INVITE_CHANNEL } from './adapters/lobby-log.js'
import { encodeInvite, signInvite } from './log-invite.js'
import { LogMesh } from './log-mesh.js'
import type { RelayGuardOptions } from './relay-guard.js'

type Handler = (peer: RemotePeer, conn: unknown, payload: Uint8Array) => void

async function mesh(inviteGuard?: RelayGuardOptions, keyPair = crypto.keyPair()) {
  const handlers = new Map<string, Handler>()
  const swarm = {
    local: await generateLocalPeer(),
    on: () => () => undefined,
    handleChannel: (channel: string, fn: Handler) => {
      handlers.set(channel, fn)
      return () => undefined
    },
    peers: () => [],
  } as unknown as Swarm
  const logMesh = new LogMesh({ swarm, keyPair, ...(inviteGuard ? { inviteGuard } : {}) })
  const invited: string[] = []
  logMesh.onInvite((from) => invited.push(from))
  const neighbour = (peerId: string) => ({ peerId }) as RemotePeer
  const deliver = (from: string, payload: Uint8Array) =>
    handlers.get(LOG_INVITE_CHANNEL)!(neighbour(from), null, payload)
  return { logMesh, invited, deliver, me: bytesToHex(keyPair.publicKey) }
}

const settle = () => new Promise((r) => setTimeout(r, 50))
const idOf = (n: number) => n.toString(16).padStart(32, '0')
const keyOf = (p: LocalPeerInfo) => bytesToHex(p.identityKey)
const NEIGHBOUR = '11'.repeat(20)
const NONCE = '5a'.repeat(32)

test('a signed invite reaches the listener once; a forged one never', async () => {
  const { logMesh, invited, deliver, me } = await mesh()
  const alice = await generateLocalPeer()
  const mallory = await generateLocalPeer()
  const invite = await signInvite(alice, me, idOf(1), NONCE)
  deliver(NEIGHBOUR, encodeInvite({ invite, hops: 3 }))
  deliver(NEIGHBOUR, encodeInvite({ invite, hops: 2 }))
  // Mallory cannot make us follow Alice's log with her own signature, nor invite unsigned.
  const forged = { ...(await signInvite(mallory, me, idOf(2), NONCE)), identityKey: keyOf(alice) }
  deliver(NEIGHBOUR, encodeInvite({ invite: forged, hops: 3 }))
  deliver(NEIGHBOUR, new TextEncoder().encode(JSON.stringify({ to: me, from: keyOf(alice) })))
  await settle()
  assert.deepEqual(invited, [keyOf(alice)])
  await logMesh.destroy()
})

test('a neighbour over its rate, or an inviter over its own, is not heard', async () => {
  const { logMesh, invited, deliver, me } = await mesh({
    perNeighbour: { burst: 3, perSecond: 0.001 },
    perSender: { burst: 2, perSecond: 0.001 },
  })
  const peers = await Promise.all([1, 2, 3, 4].map(() => generateLocalPeer()))
  // One neighbour hands over four inviters' invites: only its first three are read.
  for (const [i, p] of peers.entries()) {
    deliver(NEIGHBOUR, encodeInvite({ invite: await signInvite(p, me, idOf(i), NONCE), hops: 1 }))
  }
  await settle()
  assert.deepEqual(invited, peers.slice(0, 3).map(keyOf))
  // One inviter through many neighbours: its rate holds whichever way it comes.
  const [eve] = peers
  for (let i = 0; i < 4; i++) {
    const invite = await signInvite(eve!, me, idOf(100 + i), NONCE)
    deliver(String(i).repeat(40), encodeInvite({ invite, hops: 1 }))
  }
  await settle()
  assert.equal(invited.filter((k) => k === keyOf(eve!)).length, 2)
  await logMesh.destroy()
})

test('a log made again (a new swarm of the identity) is another core, never a fork', async () => {
  const keyPair = crypto.keyPair()
  const first = await mesh(undefined, keyPair)
  const again = await mesh(undefined, keyPair)
  assert.equal(first.me, again.me)
  assert.notEqual(first.logMesh.key, again.logMesh.key)
  assert.notEqual(first.logMesh.nonce, again.logMesh.nonce)
  await first.logMesh.destroy()
  await again.logMesh.destroy()
})

test('an identity’s current log is the one its latest invite names; a reply reaches no listener', async () => {
  const { logMesh, invited, deliver, me } = await mesh()
  const alice = await generateLocalPeer()
  const [old, fresh] = ['01'.repeat(32), '02'.repeat(32)]
  const stop = logMesh.follow(keyOf(alice), () => undefined)
  const now = Date.now()
  const send = async (nonce: string, reply: boolean, ts: number, n: number) =>
    deliver(
      NEIGHBOUR,
      encodeInvite({ invite: await signInvite(alice, me, idOf(n), nonce, reply, ts), hops: 1 }),
    )
  await send(old, false, now - 2_000, 1)
  await settle()
  assert.equal(logMesh.logOf(keyOf(alice)), old)
  // Alice's next swarm: its invite (here a reply) names the new log, which is followed now.
  await send(fresh, true, now - 1_000, 2)
  await settle()
  assert.equal(logMesh.logOf(keyOf(alice)), fresh)
  // An older invite, late, does not take us back.
  await send(old, false, now - 1_500, 3)
  await settle()
  assert.equal(logMesh.logOf(keyOf(alice)), fresh)
  assert.deepEqual(invited, [keyOf(alice), keyOf(alice)], 'the reply was not an invite')
  stop()
  await logMesh.destroy()
})
