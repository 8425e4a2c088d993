// ChannelStream framing, backpressure and end, over fake links (pure logic);
// then hypercore's Noise replication through two of them, as in the engine.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Hypercore from 'hypercore'
import RAM from 'random-access-memory'
import { Writable } from 'streamx'
import type { ConnectionState } from '../swarm/connection.js'
import { ChannelStream, chunk, type ChannelLink } from './channel-stream.js'

const bytes = (...values: number[]) => Uint8Array.from(values)
const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

/** A link that records frames and hands them to `peer` (when set) in order. */
class FakeLink implements ChannelLink {
  state: ConnectionState = 'ready'
  bufferedAmount = 0
  remote = { extensions: ['hypercore'] }
  readonly sent: Uint8Array[] = []
  peer: ChannelStream | null = null
  sendChannel(channel: string, scope: string, payload: Uint8Array): boolean {
    assert.equal(channel, 'hypercore')
    assert.equal(scope, '')
    if (this.state !== 'ready') return false
    const copy = Uint8Array.from(payload)
    this.sent.push(copy)
    const peer = this.peer
    if (peer) setImmediate(() => peer.receive(copy))
    return true
  }
}

function pair(chunkSize?: number) {
  const la = new FakeLink()
  const lb = new FakeLink()
  const opts = chunkSize ? { chunkSize } : {}
  const a = new ChannelStream(la, 'hypercore', opts)
  const b = new ChannelStream(lb, 'hypercore', opts)
  la.peer = b
  lb.peer = a
  return { a, b, la, lb }
}

function collect(stream: ChannelStream): { data: number[]; ended: Promise<void> } {
  const data: number[] = []
  stream.on('data', (buf) => data.push(...(buf as Uint8Array)))
  const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()))
  return { data, ended }
}

test('chunk joins small buffers, splits large ones and drops empty ones', () => {
  assert.deepEqual(chunk([bytes(1, 2), bytes(), bytes(3)], 2), [bytes(1, 2), bytes(3)])
  assert.deepEqual(chunk([bytes(1, 2, 3, 4, 5)], 2), [bytes(1, 2), bytes(3, 4), bytes(5)])
  assert.deepEqual(chunk([bytes(), bytes()], 4), [])
  assert.throws(() => chunk([bytes(1)], 0), { code: 'invalid-argument' })
})

test('a chunk size over the frame limit is refused', () => {
  const room = 64 * 1024 - 4 - 'hypercore'.length
  assert.doesNotThrow(() => new ChannelStream(new FakeLink(), 'hypercore', { chunkSize: room }))
  assert.throws(() => new ChannelStream(new FakeLink(), 'hypercore', { chunkSize: room + 1 }), {
    code: 'invalid-argument',
  })
})

test('writes arrive in order as frames of at most chunkSize, and end arrives as end', async () => {
  const { a, b, la } = pair(4)
  const got = collect(b)
  const input = Array.from({ length: 50 }, (_, i) => i)
  a.write(Uint8Array.from(input.slice(0, 7)))
  a.write(Uint8Array.from(input.slice(7, 9)))
  a.end(Uint8Array.from(input.slice(9)))
  await got.ended
  assert.deepEqual(got.data, input)
  const data = la.sent.slice(0, -1)
  assert.ok(
    data.every((f) => f[0] === 0 && f.length > 1 && f.length <= 1 + 4),
    'tagged chunks',
  )
  assert.deepEqual(la.sent.at(-1), bytes(2), 'the end is its own frame')
})

test('waits while the data channel is backed up, then sends', async () => {
  const { a, la } = pair(4)
  la.bufferedAmount = 10 * 1024 * 1024
  let drained = false
  a.write(bytes(1, 2, 3, 4, 5, 6))
  void Writable.drained(a).then(() => (drained = true))
  await tick()
  await tick()
  assert.equal(la.sent.length, 0, 'nothing sent while backed up')
  assert.equal(drained, false, 'the write is not acknowledged')
  la.bufferedAmount = 0
  await tick()
  await tick()
  assert.deepEqual(la.sent, [bytes(0, 1, 2, 3, 4), bytes(0, 5, 6)])
  assert.equal(drained, true)
})

test('fails writes with not-connected once the connection is closed', async () => {
  const { a, la } = pair()
  la.state = 'closed'
  const error = new Promise<Error>((resolve) => a.on('error', (err) => resolve(err as Error)))
  a.write(bytes(1))
  assert.equal(((await error) as Error & { code?: string }).code, 'not-connected')
  assert.equal(la.sent.length, 0)
})

test('announces itself, and skips open, empty and unknown frames', async () => {
  const { a, b, la } = pair()
  const got = collect(b)
  a.announce()
  assert.deepEqual(la.sent, [bytes(1)])
  b.receive(bytes(1))
  b.receive(bytes())
  b.receive(bytes(0))
  b.receive(bytes(9, 9))
  b.receive(bytes(0, 7))
  await tick()
  assert.deepEqual(got.data, [7])
})

test('ignores frames after the remote end and after destroy', async () => {
  const { b } = pair()
  const got = collect(b)
  b.receive(bytes(0, 1))
  b.receive(bytes(2))
  b.receive(bytes(0, 2))
  await got.ended
  assert.deepEqual(got.data, [1])
  b.destroy()
  b.receive(bytes(0, 3))
  assert.deepEqual(got.data, [1])
})

test('destroys a stream whose reader falls too far behind, not one that keeps up', async () => {
  const link = new FakeLink()
  const stalled = new ChannelStream(link, 'hypercore', { maxUnread: 1024 })
  const error = new Promise<Error>((resolve) => stalled.on('error', (err) => resolve(err as Error)))
  for (let i = 0; i < 20; i++) stalled.receive(new Uint8Array(101))
  assert.equal(((await error) as Error & { code?: string }).code, 'rate-limited')

  const flowing = new ChannelStream(link, 'hypercore', { maxUnread: 1024 })
  const got = collect(flowing)
  for (let i = 0; i < 50; i++) {
    const frame = new Uint8Array(101).fill(i)
    frame[0] = 0
    flowing.receive(frame)
    await tick()
  }
  assert.equal(got.data.length, 5_000)
  assert.equal(flowing.destroyed, false)
})

test('carries hypercore replication with the Noise key of our choice', async () => {
  const { a, b } = pair(7)
  const writer = new Hypercore(() => new RAM())
  await writer.ready()
  await writer.append([new TextEncoder().encode('hello'), new Uint8Array(40_000).fill(9)])
  const key = writer.key as Uint8Array
  const reader = new Hypercore(() => new RAM(), key)
  const keyPair = writer.keyPair as NonNullable<typeof writer.keyPair>
  const pa = Hypercore.createProtocolStream(true, { keyPair, keepAlive: false })
  const pb = Hypercore.createProtocolStream(false, { keepAlive: false })
  a.pipe(pa).pipe(a)
  b.pipe(pb).pipe(b)
  const handshake = new Promise((resolve) => pb.once('handshake', resolve))
  writer.replicate(pa)
  reader.replicate(pb)
  await handshake
  assert.deepEqual(pb.remotePublicKey, key, 'the remote Noise key is the core key')
  const block = await reader.get(1)
  assert.equal(block?.length, 40_000)
  assert.equal(new TextDecoder().decode((await reader.get(0)) ?? undefined), 'hello')
  a.destroy()
  b.destroy()
  await writer.close()
  await reader.close()
})
