// Pure logic of hosted sessions: URLs and topics, liveness of session.json,
// the password proof, the admission messages, and the host's retry waits.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Session } from '../identity/records.js'
import { lobbyTopic } from '../signaling/topic.js'
import { decodeAdmission, encodeAdmission } from './admission.js'
import { Attempts } from './attempts.js'
import { clampHeartbeat, hostInterval, isLive, MAX_HEARTBEAT_MS, staleAt } from './liveness.js'
import { checkProof, deriveSessionKey, proveKey, type ProofContext } from './password.js'
import { parseSessionUrl, sessionTopic, sessionUrl } from './session-url.js'

const HOST = `hyper://${'ab'.repeat(32)}`
const ORIGIN = 'https://game.example'

describe('session urls', () => {
  it('round-trips and canonicalises', () => {
    const url = sessionUrl({ host: HOST, name: 'Game night', origin: ORIGIN })
    assert.equal(url, `${HOST}?lobby=Game+night&origin=https%3A%2F%2Fgame.example`)
    assert.deepEqual(parseSessionUrl(url), { host: HOST, name: 'Game night', origin: ORIGIN })
  })

  it('refuses malformed urls with invalid-argument', () => {
    for (const bad of [
      HOST,
      `${HOST}?lobby=x`,
      `${HOST}?lobby=x&origin=ftp%3A%2F%2Fa`,
      `${HOST}?lobby=x&origin=${encodeURIComponent(ORIGIN)}&extra=1`,
      'hyper://nothex?lobby=x&origin=https%3A%2F%2Fa.b',
      42,
    ]) {
      assert.throws(() => parseSessionUrl(bad), { code: 'invalid-argument' }, String(bad))
    }
  })

  it('has a topic of its own: not the plain lobby of that name, not another host', async () => {
    const topic = await sessionTopic({ host: HOST, name: 'Game night', origin: ORIGIN })
    const plain = await lobbyTopic(ORIGIN, 'Game night')
    const other = await sessionTopic({
      host: `hyper://${'cd'.repeat(32)}`,
      name: 'Game night',
      origin: ORIGIN,
    })
    assert.notEqual(topic.hex, plain.hex)
    assert.notEqual(topic.hex, other.hex)
  })
})

describe('session liveness', () => {
  const session = (heartbeat_ms?: number, last_update = 1_000): Session => ({
    name: 'x',
    url: HOST,
    last_update,
    peers: 1,
    max_peers: 2,
    protected: false,
    ...(heartbeat_ms === undefined ? {} : { heartbeat_ms }),
  })
  const SEEN = 50_000 // our clock when the latest version arrived

  it('is live for two of the host’s intervals after its latest version arrived', () => {
    assert.equal(isLive(session(2_000), SEEN, SEEN + 4_000), true)
    assert.equal(isLive(session(2_000), SEEN, SEEN + 4_001), false)
    assert.equal(staleAt(session(2_000), SEEN), SEEN + 4_000)
  })

  it('a host beating every 5 minutes stays live for 10, whatever the reader’s own setting', () => {
    assert.equal(isLive(session(5 * 60_000), SEEN, SEEN + 9 * 60_000), true)
    assert.equal(isLive(session(5 * 60_000), SEEN, SEEN + 10 * 60_000 + 1), false)
  })

  it('judges by our clock only: a skewed last_update changes nothing', () => {
    for (const lastUpdate of [0, SEEN - 3_600_000, SEEN + 3_600_000]) {
      assert.equal(isLive(session(2_000, lastUpdate), SEEN, SEEN + 3_000), true)
      assert.equal(isLive(session(2_000, lastUpdate), SEEN, SEEN + 5_000), false)
    }
  })

  it('takes the seed’s 5 minutes from a host that does not state its interval', () => {
    assert.equal(hostInterval(session()), MAX_HEARTBEAT_MS)
    assert.equal(isLive(session(), SEEN, SEEN + 2 * MAX_HEARTBEAT_MS), true)
    assert.equal(isLive(session(), SEEN, SEEN + 2 * MAX_HEARTBEAT_MS + 1), false)
  })

  it('clamps a stated interval to 500 ms–5 min', () => {
    assert.equal(hostInterval(session(1)), 500)
    assert.equal(hostInterval(session(3_600_000)), MAX_HEARTBEAT_MS)
  })

  it('clamps the interval to the seed’s 5 minutes', () => {
    assert.equal(clampHeartbeat(10 * 60_000), MAX_HEARTBEAT_MS)
    assert.equal(clampHeartbeat(1), 500)
    assert.equal(clampHeartbeat('soon'), 60_000)
  })
})

describe('password proof', () => {
  const cheap = { N: 2 ** 10 }
  const url = sessionUrl({ host: HOST, name: 'Game night', origin: ORIGIN })
  const ctx = (over: Partial<ProofContext> = {}): ProofContext => ({
    topic: 'aa'.repeat(20),
    host: { identityUrl: HOST, peerId: 'h'.repeat(40) },
    guest: { identityUrl: `hyper://${'cd'.repeat(32)}`, peerId: 'g'.repeat(40) },
    challenge: new Uint8Array(32).fill(1),
    nonce: new Uint8Array(32).fill(2),
    ...over,
  })

  it('accepts the right password and refuses a wrong one', async () => {
    const host = await deriveSessionKey('hunter2', url, cheap)
    const right = await deriveSessionKey('hunter2', url, cheap)
    const wrong = await deriveSessionKey('hunter3', url, cheap)
    assert.equal(checkProof(host, ctx(), proveKey(right, ctx())), true)
    assert.equal(checkProof(host, ctx(), proveKey(wrong, ctx())), false)
  })

  it('binds the proof to the challenge and to both peers', async () => {
    const key = await deriveSessionKey('hunter2', url, cheap)
    const proof = proveKey(key, ctx())
    const replayed = [
      ctx({ challenge: new Uint8Array(32).fill(9) }),
      ctx({ guest: { identityUrl: HOST, peerId: 'g'.repeat(40) } }),
      ctx({ host: { identityUrl: HOST, peerId: 'x'.repeat(40) } }),
    ]
    for (const other of replayed) assert.equal(checkProof(key, other, proof), false)
  })

  it('salts the key with the session: one password, two sessions, two keys', async () => {
    const other = sessionUrl({ host: HOST, name: 'Other', origin: ORIGIN })
    const a = await deriveSessionKey('hunter2', url, cheap)
    const b = await deriveSessionKey('hunter2', other, cheap)
    assert.notDeepEqual(a, b)
  })

  it('sends neither the password nor its plain hash', async () => {
    const key = await deriveSessionKey('hunter2', url, cheap)
    const wire = new TextDecoder().decode(
      encodeAdmission({ t: 'proof', n: new Uint8Array(32), mac: proveKey(key, ctx()) }),
    )
    assert.ok(!wire.includes('hunter2'))
    const sha = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('hunter2')),
    ).toString('base64')
    assert.ok(!wire.includes(sha))
  })

  it('refuses an empty or huge password', async () => {
    await assert.rejects(async () => deriveSessionKey('', url, cheap), { code: 'invalid-argument' })
    await assert.rejects(async () => deriveSessionKey('x'.repeat(2000), url, cheap), {
      code: 'invalid-argument',
    })
  })
})

describe('admission messages', () => {
  it('round-trip, and anything malformed is null', () => {
    const challenge = { t: 'challenge', n: new Uint8Array(32).fill(7) } as const
    assert.deepEqual(decodeAdmission(encodeAdmission(challenge)), challenge)
    assert.deepEqual(decodeAdmission(encodeAdmission({ t: 'verdict', v: 'lobby-full' })), {
      t: 'verdict',
      v: 'lobby-full',
    })
    for (const bad of [
      '{"t":"verdict","v":"ok please"}',
      '{"t":"challenge","n":"AAAA"}',
      '{"t":"proof","n":"' + 'A'.repeat(44) + '"}',
      'not json',
      '{"t":"' + 'x'.repeat(600) + '"}',
    ]) {
      assert.equal(decodeAdmission(new TextEncoder().encode(bad)), null, bad)
    }
  })
})

describe('password attempts', () => {
  it('makes a guest wait after a wrong password, doubling, and forgets on success', () => {
    let now = 0
    const attempts = new Attempts({ initial: 1_000, max: 4_000, now: () => now })
    assert.equal(attempts.wait('bob'), 0)
    attempts.fail('bob')
    assert.equal(attempts.wait('bob'), 1_000)
    assert.equal(attempts.wait('carol'), 0, 'others are not held up')
    now = 1_000
    attempts.fail('bob')
    assert.equal(attempts.wait('bob'), 2_000)
    now = 3_000
    attempts.fail('bob')
    attempts.fail('bob')
    assert.equal(attempts.wait('bob'), 4_000, 'capped')
    attempts.succeed('bob')
    assert.equal(attempts.wait('bob'), 0)
  })

  it('limits wrong passwords from everyone together', () => {
    let now = 0
    const attempts = new Attempts({ initial: 1, perMinute: 3, now: () => now })
    for (const who of ['a', 'b', 'c']) attempts.fail(who)
    now = 10
    assert.ok(attempts.wait('fresh') > 0, 'a new identity waits too')
    now = 60_000
    assert.equal(attempts.wait('fresh'), 0)
  })

  it('does not let that shared cap lock out friends or guests who got in before', () => {
    let now = 0
    const attempts = new Attempts({ initial: 1_000, perMinute: 3, now: () => now })
    attempts.succeed('regular')
    for (const who of ['x1', 'x2', 'x3']) attempts.fail(who) // fresh identities flood
    now = 10
    assert.ok(attempts.wait('stranger') > 0, 'an unknown identity is held by the cap')
    assert.equal(attempts.wait('friend', true), 0, 'a friend is not')
    assert.equal(attempts.wait('regular'), 0, 'nor one that gave the right password before')
    attempts.fail('friend')
    assert.equal(
      attempts.wait('friend', true),
      1_000,
      'a friend still waits after its own wrong try',
    )
  })
})
