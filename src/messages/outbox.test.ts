import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Delivered } from './frames.js'
import { Inbox } from './inbox.js'
import { Outbox } from './outbox.js'
import { ITEM_OVERHEAD } from './value.js'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('a backed-up channel makes the outbox wait, then it sends everything in order', async () => {
  let open = false
  const inbox = new Inbox()
  const got: Delivered[] = []
  const outbox: Outbox = new Outbox((frame) => {
    if (!open) return false
    got.push(...inbox.push(frame, 0))
    // The peer acks what it has (a messenger does so a moment later).
    queueMicrotask(() => outbox.acked(inbox.epoch, inbox.delivered))
    return true
  }, 10_000_000)
  for (let i = 0; i < 5; i++) outbox.push('data', new Uint8Array(100_000).fill(i))
  assert.equal(outbox.queued, 5 * (100_000 + ITEM_OVERHEAD))
  let drained = false
  void outbox.whenBelow(0).then(() => (drained = true))
  await tick(20)
  assert.equal(drained, false, 'nothing went while the channel refused')
  open = true
  await tick(20)
  assert.equal(drained, true)
  assert.equal(outbox.queued, 0)
  assert.deepEqual(
    got.map((m) => [m.seq, m.body[0], m.body.length]),
    [0, 1, 2, 3, 4].map((i) => [i + 1, i, 100_000]),
  )
})

test('a full queue refuses more with rate-limited; closing releases waiters', async () => {
  const outbox = new Outbox(() => false, 250_000)
  outbox.push('data', new Uint8Array(200_000))
  assert.throws(() => outbox.push('data', new Uint8Array(100_000)), /rate-limited/)
  const waiting = outbox.whenBelow(0)
  outbox.close()
  await waiting
  assert.equal(outbox.queued, 0)
})

test('a tight loop of tiny messages hits the cap: each counts its overhead', () => {
  const max = 1024 * 1024
  const outbox = new Outbox(() => false, max)
  let pushed = 0
  assert.throws(() => {
    for (; pushed < 1_000_000; pushed++) outbox.push('data', Uint8Array.of(0))
  }, /rate-limited/)
  assert.ok(pushed <= max / ITEM_OVERHEAD, `${pushed} messages of one byte were queued`)
  assert.ok(outbox.queued <= max)
  outbox.close()
})

test('a gone peer closes the outbox', () => {
  const outbox = new Outbox(() => 'gone', 1000)
  outbox.push('data', new Uint8Array(10))
  assert.equal(outbox.closed, true)
})

/** One side of a peer pair as the messenger builds it on a peer-join. */
function end(name: string, wire: { to?: End }, got: string[]): End {
  const self: End = {
    outbox: new Outbox((frame) => {
      for (const m of wire.to?.inbox.push(frame, 0) ?? []) wire.to?.got.push(text(m))
      return true
    }, 10_000_000),
    inbox: new Inbox({ onPeerRestart: () => self.outbox.restart() }),
    got,
    name,
  }
  return self
}
interface End {
  outbox: Outbox
  inbox: Inbox
  got: string[]
  name: string
}
const text = (m: Delivered) => new TextDecoder().decode(m.body)
const say = (from: End, label: string, n: number) => {
  for (let i = 0; i < n; i++) from.outbox.push('data', new TextEncoder().encode(`${label}${i}`))
}
const numbered = (label: string, n: number) => [...Array(n).keys()].map((i) => `${label}${i}`)

test('one side starts over while the other kept it: fresh messages arrive both ways at once', () => {
  const toB: { to?: End } = {}
  const toA: { to?: End } = {}
  let a = end('a', toB, [])
  const b = end('b', toA, [])
  toB.to = b
  toA.to = a
  a.outbox.start(false)
  b.outbox.start(false)
  say(a, 'a', 100)
  say(b, 'b', 100)
  assert.deepEqual(b.got, numbered('a', 100))
  assert.deepEqual(a.got, numbered('b', 100))
  // A lost B and met it again (a fresh peer-join there); B kept A throughout.
  a.outbox.close()
  a = end('a', toB, [])
  toA.to = a
  a.outbox.start(false)
  say(a, 'c', 100)
  say(b, 'd', 100)
  assert.deepEqual(b.got, [...numbered('a', 100), ...numbered('c', 100)])
  assert.deepEqual(a.got, numbered('d', 100), 'without waiting for a gap to time out')
  assert.equal(a.inbox.waiting, false)
  assert.equal(b.inbox.waiting, false)
})

test('frames of a replaced epoch that come late are dropped, not taken for news', () => {
  const frames: Uint8Array[] = []
  const first = new Outbox((f) => (frames.push(f), true), 1e6)
  first.start(false)
  first.push('data', Uint8Array.of(1))
  const second = new Outbox((f) => (frames.push(f), true), 1e6)
  second.start(false)
  second.push('data', Uint8Array.of(2))
  const inbox = new Inbox()
  const got = [frames[0], frames[1], frames[2], frames[3], frames[0], frames[1]].flatMap((f) =>
    inbox.push(f!, 0).map((m) => m.body[0]),
  )
  assert.deepEqual(got, [1, 2])
})

test('a route that dies loses nothing: what was not acked goes again on the new one, once', () => {
  const inbox = new Inbox()
  const got: string[] = []
  let route = 1
  let dead = false
  const lost: Uint8Array[] = []
  const acks: Array<() => void> = []
  let seen = route
  const outbox: Outbox = new Outbox((frame) => {
    if (route !== seen) {
      seen = route
      return 'moved'
    }
    if (dead) {
      lost.push(frame)
      return true
    }
    for (const m of inbox.push(frame, 0)) got.push(text(m))
    acks.push(() => outbox.acked(inbox.epoch, inbox.delivered))
    return true
  }, 10_000_000)
  const flushAcks = () => acks.splice(0).forEach((ack) => ack())
  outbox.start(false)
  const send = (from: number, to: number) => {
    for (let i = from; i < to; i++) outbox.push('data', new TextEncoder().encode(`m${i}`))
  }
  send(0, 10)
  flushAcks()
  assert.equal(outbox.queued, 0, 'all acked')
  dead = true
  send(10, 20)
  assert.ok(outbox.queued > 0, 'what the dead route took is kept')
  dead = false
  route = 2
  send(20, 30)
  flushAcks()
  assert.deepEqual(got, numbered('m', 30))
  // Frames of the dead route that turn up after all are dropped as seen.
  for (const frame of lost) for (const m of inbox.push(frame, 0)) got.push(text(m))
  assert.deepEqual(got, numbered('m', 30))
  assert.equal(outbox.queued, 0)
  outbox.close()
})

test('a big message cut off mid-way goes again whole; pieces already there are not counted twice', () => {
  const inbox = new Inbox()
  const got: Delivered[] = []
  let route = 1
  let seen = 1
  let frames = 0
  const outbox = new Outbox((frame) => {
    if (route !== seen) {
      seen = route
      return 'moved'
    }
    frames++
    if (frames === 3) {
      route = 2 // the route dies with the message half sent: this frame is lost
      return true
    }
    got.push(...inbox.push(frame, 0))
    return true
  }, 100_000_000)
  outbox.start(false)
  const big = new Uint8Array(1_000_000).map((_, i) => i % 251)
  outbox.push('data', big)
  assert.equal(got.length, 1)
  assert.deepEqual(got[0]?.body, big)
  outbox.close()
})

test('moved(): what the dead route took goes again at once, with nothing new to send', () => {
  const inbox = new Inbox()
  const got: string[] = []
  let dead = false
  const outbox: Outbox = new Outbox((frame) => {
    if (!dead) for (const m of inbox.push(frame, 0)) got.push(text(m))
    return true
  }, 10_000_000)
  outbox.start(false)
  dead = true
  for (let i = 0; i < 5; i++) outbox.push('data', new TextEncoder().encode(`m${i}`))
  assert.equal(outbox.unacked, 6, 'the start and five messages wait for their ack')
  dead = false
  outbox.moved()
  assert.deepEqual(got, numbered('m', 5))
  outbox.acked(inbox.epoch, inbox.delivered)
  assert.equal(outbox.unacked, 0)
  assert.equal(outbox.queued, 0)
  outbox.close()
})

test('messages sent before the peer had its stream go again once its start arrives', () => {
  const got: string[] = []
  let ready = false
  // The receiving side before its peer-join: the frames find no stream.
  let inbox: Inbox | null = null
  const outbox: Outbox = new Outbox((frame) => {
    if (ready && inbox) for (const m of inbox.push(frame, 0)) got.push(text(m))
    return true
  }, 10_000_000)
  const mine = new Inbox({ onPeerStart: () => outbox.moved() })
  outbox.start(false)
  outbox.push('data', new TextEncoder().encode('hello'))
  assert.deepEqual(got, [], 'nobody there yet')
  // Its stream opens, and its outbox's start reaches us.
  inbox = new Inbox()
  ready = true
  const theirs = new Outbox((frame) => {
    mine.push(frame, 0)
    return true
  }, 10_000_000)
  theirs.start(false)
  assert.deepEqual(got, ['hello'])
  // A later start (a reply) sends nothing twice: the peer drops copies by number.
  outbox.moved()
  assert.deepEqual(got, ['hello'])
  outbox.close()
  theirs.close()
})
