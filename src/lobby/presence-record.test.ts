import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { MAX_AGE } from '../signaling/relay-envelope.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import { PresenceBook } from './presence-book.js'
import {
  MAX_PRESENCE_BYTES,
  MAX_PRESENCE_HOPS,
  decodePresence,
  encodeData,
  encodePresence,
  presenceData,
  presenceIdentity,
  signPresence,
  verifyPresence,
  type PresenceRecord,
} from './presence-record.js'

const TOPIC = 'ab'.repeat(20)
const code = (c: string) => (err: unknown) => err instanceof P2PError && err.code === c

async function record(over: Partial<PresenceRecord> = {}, seq = 1): Promise<PresenceRecord> {
  const local = await generateLocalPeer()
  const rec = await signPresence(local, {
    topic: TOPIC,
    seq,
    ttl: 30_000,
    ts: Date.now(),
    gone: false,
    profile: { name: 'Ada', created: 1 },
    data: encodeData(new TextEncoder().encode('reading')),
  })
  return { ...rec, ...over }
}

test('a presence record verifies, survives the wire and names its author', async () => {
  const rec = await record()
  const back = decodePresence(encodePresence({ t: 'presence', hops: 99, rec }))
  assert.ok(back)
  assert.equal(back.hops, MAX_PRESENCE_HOPS, 'hops are capped')
  assert.deepEqual(back.rec, rec)
  await verifyPresence(back.rec)
  assert.equal(presenceIdentity(rec), `hyper://${rec.identityKey}`)
  assert.equal(new TextDecoder().decode(presenceData(rec) ?? new Uint8Array()), 'reading')
})

test('a forwarder cannot alter any signed field of a record', async () => {
  const rec = await record()
  const other = await generateLocalPeer()
  const changes: Array<Partial<PresenceRecord>> = [
    { data: encodeData(new TextEncoder().encode('forged')) },
    { data: null },
    { seq: rec.seq + 1 },
    { ttl: 120_000 },
    { gone: true },
    { profile: { name: 'Mallory', created: 1 } },
    { profile: null },
    { topic: 'ef'.repeat(20) },
    { from: other.peerId },
  ]
  for (const change of changes) {
    await assert.rejects(verifyPresence({ ...rec, ...change }), code('unauthenticated'))
  }
  // Another key cannot sign for the author's peer id.
  const forged = await signPresence(other, { ...rec })
  await assert.rejects(verifyPresence({ ...forged, from: rec.from }), code('unauthenticated'))
})

test('stale records, oversized and malformed messages are typed errors', async () => {
  const old = await record({}, 1)
  await assert.rejects(verifyPresence(old, old.ts + MAX_AGE + 1), code('protocol-error'))
  const big = new Uint8Array(MAX_PRESENCE_BYTES + 1).fill(32)
  assert.throws(() => decodePresence(big), code('payload-too-large'))
  assert.throws(() => decodePresence(new Uint8Array([0xff])), code('protocol-error'))
  const rec = await record()
  const tooMuchData = encodeData(new Uint8Array(257))
  const wire = (r: unknown) =>
    new TextEncoder().encode(JSON.stringify({ t: 'presence', hops: 1, rec: r }))
  assert.throws(
    () => decodePresence(wire({ ...rec, data: tooMuchData })),
    code('payload-too-large'),
  )
  assert.throws(() => decodePresence(wire({ ...rec, seq: -1 })), code('protocol-error'))
  assert.throws(
    () => decodePresence(wire({ ...rec, profile: { name: '' } })),
    code('protocol-error'),
  )
  assert.equal(decodePresence(new TextEncoder().encode('{"t":"later"}')), null)
})

test('the book keeps the latest record, drops copies, refuses replays and floods', async () => {
  let now = 1_000
  const book = new PresenceBook({ now: () => now, perAuthor: { burst: 2, perSecond: 1 } })
  const first = await record({}, 10)
  assert.equal(book.take(first, 3), 'new')
  assert.equal(book.isCopy(first), true)
  assert.equal(book.take(first, 3), 'copy')
  assert.equal(book.get(first.from)?.rec, first)
  assert.throws(() => book.take({ ...first, seq: 9 }, 3), code('protocol-error'))
  assert.equal(book.take({ ...first, seq: 11 }, 3), 'new')
  assert.throws(() => book.take({ ...first, seq: 12 }, 3), code('rate-limited'))
  now += 1_000
  assert.equal(book.take({ ...first, seq: 12 }, 3), 'new')
  assert.deepEqual(book.expired(), [])
  now += 30_000
  assert.equal(book.get(first.from), undefined, 'expired when not refreshed')
  assert.deepEqual(book.expired(), [first.from])
  // Its seq is remembered past the expiry: an old copy is still a replay.
  assert.throws(() => book.take({ ...first, seq: 11 }, 3), code('protocol-error'))
  const gone = await record({ gone: true }, 5)
  assert.equal(book.take(gone, 3), 'new')
  assert.equal(book.get(gone.from), undefined, 'a leaving author holds no record')
})

test('one neighbour cannot flood the book', () => {
  const book = new PresenceBook({ now: () => 0, perNeighbour: { burst: 3, perSecond: 1 } })
  for (let i = 0; i < 3; i++) book.fromNeighbour('n')
  assert.throws(() => book.fromNeighbour('n'), code('rate-limited'))
  book.fromNeighbour('other')
})
