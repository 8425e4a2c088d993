import assert from 'node:assert/strict'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import {
  FRAME_PAYLOAD,
  MAX_HELD,
  RECORD_HEADER,
  Reassembler,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  nextFrame,
  type Delivered,
  type Kind,
  type Outgoing,
} from './frames.js'
import { ITEM_OVERHEAD } from './value.js'

function message(seq: number, size: number, kind: Kind = 'data'): Outgoing {
  return { kind, seq, body: new Uint8Array(size).map((_, i) => (i * 7 + seq) % 256), sent: 0 }
}

/** Every frame the queue turns into, consuming it as a channel would. */
function drain(queue: Outgoing[], budget = FRAME_PAYLOAD): Uint8Array[] {
  const frames: Uint8Array[] = []
  while (queue.length > 0) {
    const next = nextFrame(queue, budget)
    assert.ok(next)
    assert.ok(next.frame.length <= budget)
    frames.push(next.frame)
    queue.splice(0, next.commit().done)
  }
  return frames
}

test('small messages share a frame; a big one is cut into frames under the cap', () => {
  const small = drain([message(1, 10), message(2, 20), message(3, 30)])
  assert.equal(small.length, 1)
  const big = drain([message(1, 5 * 1024 * 1024)])
  assert.equal(big.length, Math.ceil((5 * 1024 * 1024) / (FRAME_PAYLOAD - RECORD_HEADER)))
})

test('a frame that is refused is offered again unchanged', () => {
  const queue = [message(1, 100_000)]
  const first = nextFrame(queue)
  const again = nextFrame(queue)
  assert.deepEqual(first?.frame, again?.frame)
  again?.commit()
  assert.notDeepEqual(nextFrame(queue)?.frame, first?.frame)
})

test('the reassembler gives back every message whole and in order', () => {
  const sent = [message(1, 5), message(2, 200_000, 'request'), message(3, 0), message(4, 70_000)]
  const copies = sent.map((m) => ({ ...m, body: Uint8Array.from(m.body) }))
  const inbox = new Reassembler()
  const got: Delivered[] = []
  for (const frame of drain(sent, 9000)) got.push(...inbox.push(frame, 0))
  assert.deepEqual(
    got.map((m) => [m.kind, m.seq, m.body.length]),
    copies.map((m) => [m.kind, m.seq, m.body.length]),
  )
  got.forEach((m, i) => assert.deepEqual(m.body, copies[i]?.body))
  assert.equal(inbox.waiting, false)
})

test('out of order: held behind a gap, delivered once; duplicates dropped', () => {
  const frames = [1, 2, 3].map((seq) => drain([message(seq, 10)])[0]!)
  const inbox = new Reassembler({ gapMs: 100 })
  assert.deepEqual(inbox.push(frames[1]!, 0), [])
  assert.deepEqual(inbox.push(frames[2]!, 0), [])
  assert.equal(inbox.waiting, true)
  assert.deepEqual(
    inbox.push(frames[0]!, 0).map((m) => m.seq),
    [1, 2, 3],
  )
  assert.deepEqual(inbox.push(frames[0]!, 0), [])
  assert.deepEqual(inbox.push(frames[2]!, 0), [])
})

test('a gap that never fills is given up after gapMs', () => {
  const frames = [1, 2, 3].map((seq) => drain([message(seq, 10)])[0]!)
  const inbox = new Reassembler({ gapMs: 100 })
  inbox.push(frames[1]!, 0)
  inbox.push(frames[2]!, 50)
  assert.deepEqual(inbox.expire(90), [])
  assert.deepEqual(
    inbox.expire(200).map((m) => m.seq),
    [2, 3],
  )
  assert.deepEqual(inbox.push(frames[0]!, 300), [], 'the late one counts as lost')
})

test('a big message arriving slowly is kept while its pieces come, then dropped when they stop', () => {
  const pieces = drain([message(1, 5 * FRAME_PAYLOAD)], FRAME_PAYLOAD)
  assert.ok(pieces.length >= 5)
  const inbox = new Reassembler({ gapMs: 100 })
  let now = 0
  const got: Delivered[] = []
  for (const piece of pieces) {
    now += 80 // slower than gapMs in total, never gapMs between two pieces
    got.push(...inbox.expire(now), ...inbox.push(piece, now))
  }
  assert.deepEqual(
    got.map((m) => m.seq),
    [1],
  )

  const stalled = new Reassembler({ gapMs: 100 })
  const [head, ...rest] = drain([message(1, 3 * FRAME_PAYLOAD)], FRAME_PAYLOAD)
  stalled.push(head!, 0)
  stalled.expire(150)
  const late = rest.flatMap((piece) => stalled.push(piece, 160))
  assert.deepEqual(late, [], 'pieces after the message was given up do not make a message')
})

test('a message behind a gap waits while the message before it is still arriving', () => {
  const [first, second] = [
    drain([message(1, 3 * FRAME_PAYLOAD)], FRAME_PAYLOAD),
    drain([message(2, 10)]),
  ]
  const inbox = new Reassembler({ gapMs: 100 })
  inbox.push(first[0]!, 0)
  inbox.push(second[0]!, 10) // came on another connection, ahead of the rest of 1
  inbox.push(first[1]!, 90)
  assert.deepEqual(inbox.expire(150), [], 'message 1 progressed 60 ms ago: 2 keeps waiting')
  const got = first.slice(2).flatMap((piece) => inbox.push(piece, 160))
  assert.deepEqual(
    got.map((m) => m.seq),
    [1, 2],
  )
})

test('malformed records are protocol-error', () => {
  const good = drain([message(1, 10)])[0]!
  const mutate = (fn: (dv: DataView, b: Uint8Array) => void) => {
    const b = Uint8Array.from(good)
    fn(new DataView(b.buffer), b)
    return b
  }
  const cases = [
    good.subarray(0, 5),
    mutate((dv) => dv.setUint8(0, 9)),
    mutate((dv) => dv.setUint32(1, 0)),
    mutate((dv) => dv.setUint32(5, 0x7fff_ffff)),
    mutate((dv) => dv.setUint32(9, 5)),
    mutate((dv) => dv.setUint32(13, 100)),
  ]
  for (const bytes of cases) {
    assert.throws(
      () => new Reassembler().push(bytes, 0),
      (err: unknown) => err instanceof P2PError && err.code === 'protocol-error',
    )
  }
})

test('too many messages interleaved at once is refused', () => {
  const inbox = new Reassembler()
  const piece = (seq: number) => {
    const q = [message(seq, 100_000)]
    return nextFrame(q, 1000)!.frame
  }
  for (let seq = 1; seq <= 4; seq++) inbox.push(piece(seq), 0)
  assert.throws(() => inbox.push(piece(5), 0), /interleaved/)
})

test('request and response bodies round-trip', () => {
  const req = decodeRequest(encodeRequest(7, 'My.Echo.Module', new Uint8Array([1, 2])))
  assert.equal(req.id, 7)
  assert.equal(req.module, 'My.Echo.Module')
  assert.deepEqual([...req.value], [1, 2])
  assert.throws(() => encodeRequest(1, 'bad name!', new Uint8Array()), /invalid-argument/)
  const ok = decodeResponse(encodeResponse(9, { ok: true, value: new Uint8Array([3]) }))
  assert.deepEqual(ok, { id: 9, answer: { ok: true, value: new Uint8Array([3]) } })
  const failed = decodeResponse(
    encodeResponse(9, { ok: false, error: new P2PError('timeout', 'slow') }),
  )
  assert.equal(failed.answer.ok, false)
  if (!failed.answer.ok) assert.equal(failed.answer.error.code, 'timeout')
  const junk = Uint8Array.from([0, 0, 0, 1, 1, 0xff])
  const fromJunk = decodeResponse(junk).answer
  assert.equal(fromJunk.ok ? 'ok' : fromJunk.error.code, 'internal')
})

/** One record of `size` bytes placed at `offset` of message `seq` (`total` bytes). */
function record(seq: number, total: number, offset: number, size: number): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER + size)
  const dv = new DataView(out.buffer)
  dv.setUint8(0, 1)
  dv.setUint32(1, seq)
  dv.setUint32(5, total)
  dv.setUint32(9, offset)
  dv.setUint32(13, size)
  return out
}

const isProtocolError = (err: unknown) => err instanceof P2PError && err.code === 'protocol-error'

test('a trickled message holds the rest back for maxGapMs at most, not for ever', () => {
  const inbox = new Reassembler({ gapMs: 100, maxGapMs: 1_000 })
  const complete = [2, 3, 4].map((seq) => drain([message(seq, 10)])[0]!)
  let now = 0
  complete.forEach((frame) => inbox.push(frame, now))
  const got: number[] = []
  // One byte of message 1 every 50 ms: always progress, never done.
  for (let offset = 0; now < 2_000; offset++) {
    now += 50
    got.push(...inbox.push(record(1, 1_000, offset, 1), now).map((m) => m.seq))
    got.push(...inbox.expire(now).map((m) => m.seq))
  }
  assert.deepEqual(got, [2, 3, 4])
  assert.equal(inbox.waiting, false, 'the trickled message was given up with its gap')
  assert.equal(inbox.heldBytes, 0)
})

test('duplicate and overlapping pieces count only their new bytes; adjacent ones complete a message', () => {
  const dup = new Reassembler()
  dup.push(record(1, 20, 0, 10), 0)
  assert.deepEqual(dup.push(record(1, 20, 0, 10), 0), [])
  assert.deepEqual(dup.push(record(1, 20, 5, 10), 0), [], 'five new bytes: 15 of 20')
  assert.equal(dup.push(record(1, 20, 10, 10), 0).length, 1)
  const ok = new Reassembler()
  ok.push(record(1, 30, 20, 10), 0)
  ok.push(record(1, 30, 0, 10), 0)
  assert.deepEqual(
    ok.push(record(1, 30, 10, 10), 0).map((m) => m.body.length),
    [30],
  )
  // Before, ten copies of the first piece counted as the whole message.
  const repeated = new Reassembler()
  for (let i = 0; i < 10; i++) assert.deepEqual(repeated.push(record(1, 100, 0, 10), 0), [])
  assert.equal(repeated.waiting, true)
  const scattered = new Reassembler()
  assert.throws(() => {
    for (let i = 0; i < 100; i++) scattered.push(record(1, 1000, i * 2, 1), 0)
  }, isProtocolError)
})

test('a repeated piece is no progress: it does not keep a stalled message alive', () => {
  const inbox = new Reassembler({ gapMs: 100 })
  inbox.push(record(1, 100, 0, 10), 0)
  inbox.push(record(1, 100, 0, 10), 60)
  inbox.push(record(1, 100, 5, 5), 90)
  inbox.expire(150)
  assert.equal(inbox.waiting, false, 'no new byte since 0 ms: given up at 150')
})

test('ack records carry epoch and seq, and are not messages', () => {
  const ack = new Uint8Array(RECORD_HEADER + 8)
  const dv = new DataView(ack.buffer)
  dv.setUint8(0, 5)
  dv.setUint32(5, 8)
  dv.setUint32(13, 8)
  dv.setUint32(RECORD_HEADER, 77)
  dv.setUint32(RECORD_HEADER + 4, 3)
  const inbox = new Reassembler()
  assert.deepEqual(inbox.push(ack, 0), [])
  assert.deepEqual(inbox.takeAcks(), [[77, 3]])
  dv.setUint32(1, 1) // an ack with a seq is malformed
  assert.throws(() => new Reassembler().push(ack, 0), isProtocolError)
})

test('held bytes are capped per stream: more is protocol-error', () => {
  const inbox = new Reassembler({ maxHeld: 250_000 })
  inbox.push(record(1, 100_000, 0, 1), 0)
  inbox.push(record(2, 100_000, 0, 1), 0)
  assert.equal(inbox.heldBytes, 200_000 + 2 * ITEM_OVERHEAD)
  assert.throws(() => inbox.push(record(3, 100_000, 0, 1), 0), isProtocolError)
  // Room for two of ten bytes and one of five, with their overhead: not a third of ten.
  const whole = new Reassembler({ maxHeld: 2 * (10 + ITEM_OVERHEAD) + 5 + ITEM_OVERHEAD })
  for (const seq of [2, 3]) whole.push(drain([message(seq, 10)])[0]!, 0)
  assert.throws(() => whole.push(drain([message(4, 10)])[0]!, 0), isProtocolError)
  assert.deepEqual(
    whole.push(drain([message(1, 5)])[0]!, 0).map((m) => m.seq),
    [1, 2, 3],
  )
  assert.equal(whole.heldBytes, 0)
})

test('tiny messages held behind a gap are capped by count too: a flood of empty ones is protocol-error', () => {
  // A hostile peer holds back seq 1 and sends empty messages 2, 3, 4…: each
  // costs ITEM_OVERHEAD, so the default byte cap stops them long before this.
  const inbox = new Reassembler({ gapMs: 100, maxGapMs: 1_000 })
  const frame = (from: number, count: number) => {
    const out = new Uint8Array(count * RECORD_HEADER)
    for (let i = 0; i < count; i++) out.set(record(from + i, 0, 0, 0), i * RECORD_HEADER)
    return out
  }
  const flood = 400_000
  assert.throws(() => {
    for (let seq = 2; seq < flood; seq += 1000) inbox.push(frame(seq, 1000), 0)
  }, isProtocolError)
  assert.ok(inbox.heldBytes <= MAX_HELD)
  // What it holds is released in order, without a RangeError on the way.
  const got = [...inbox.expire(2_000), ...inbox.flush()].map((m) => m.seq)
  assert.ok(got.length > 0 && got.length <= MAX_HELD / ITEM_OVERHEAD)
  assert.deepEqual(
    got,
    got.map((_, i) => i + 2),
  )
  assert.equal(inbox.waiting, false)
})
