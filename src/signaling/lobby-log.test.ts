// The lobby-log adapter over a fake LogNetwork: a host reads the logs of the
// joiners who invited it most recently, and no more than `maxFollowed`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateLocalPeer } from '../swarm/local-peer.js'
import type { TopicHandlers } from './adapter.js'
import { LobbyLog } from './lobby-log.js'
import type { LogNetwork } from './log-mesh.js'
import { topicFromHex } from './topic.js'

const topic = topicFromHex('34'.repeat(20))

test('a host answers each invite and follows the latest inviters only, up to maxFollowed', async () => {
  const local = await generateLocalPeer()
  let onInvite: (key: string) => void = () => undefined
  const followed: string[] = []
  const replies: string[] = []
  const stopped: string[] = []
  const net: LogNetwork = {
    identityKey: '',
    append: () => Promise.resolve(),
    follow: (key) => {
      followed.push(key)
      return () => stopped.push(key)
    },
    invite: (key, reply) => void (reply && replies.push(key)),
    onInvite: (listener) => {
      onInvite = listener
      return () => undefined
    },
  }
  const log = new LobbyLog({ local, network: net, maxFollowed: 3, hostInterval: 60_000 })
  log.init(local.peerId)
  const stopHost = log.host(topic)
  log.subscribe(topic, { offersWanted: () => 0 } as unknown as TopicHandlers)
  const key = (n: number) => n.toString(16).padStart(64, '0')
  try {
    for (const n of [1, 2, 3]) onInvite(key(n))
    onInvite(key(1)) // a joiner inviting again is the most recent, not a new log
    assert.deepEqual(followed, [key(1), key(2), key(3)])
    // Each invite is answered with a reply naming our log (a reply asks for none back).
    assert.deepEqual(replies, [1, 2, 3, 1].map(key))
    for (const n of [4, 5]) onInvite(key(n))
    // Past the cap: the least recent inviters (2, then 3) stop being read.
    assert.deepEqual(followed, [1, 2, 3, 4, 5].map(key))
    assert.deepEqual(stopped, [key(2), key(3)])
    stopHost()
    assert.deepEqual(stopped.sort(), [2, 3, 1, 4, 5].map(key).sort())
  } finally {
    log.deactivate()
  }
})

test('a joiner invites the host at once, to learn its log, before any host entry', async () => {
  const local = await generateLocalPeer()
  const invites: Array<[string, boolean]> = []
  const net: LogNetwork = {
    identityKey: '',
    append: () => Promise.resolve(),
    follow: () => () => undefined,
    invite: (key, reply) => void invites.push([key, reply ?? false]),
    onInvite: () => () => undefined,
  }
  const log = new LobbyLog({ local, network: net, answerTimeout: 60_000 })
  log.init(local.peerId)
  const host = 'ab'.repeat(32)
  try {
    log.join(topic, host)
    log.subscribe(topic, { offersWanted: () => 1 } as unknown as TopicHandlers)
    assert.deepEqual(invites, [[host, false]])
  } finally {
    log.deactivate()
  }
})
