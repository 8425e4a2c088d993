/**
 * Pure checks of the identity module: URL parsing, profile/session
 * validation, the block format (with a stored version-1 fixture) and the
 * export text format.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { P2PError } from '../errors.js'
import { decodeBlock, encodeBlock, type Block } from './block.js'
import { decodeExport, encodeExport, EXPORT_TITLE } from './export-format.js'
import { hyperUrl, parseHyperUrl } from './hyper-url.js'
import { checkName, checkProfile, checkSession, MAX_FRIENDS } from './records.js'
import { assertInvalid } from '../../test/support/assert-p2p.js'

const KEY = 'ab'.repeat(32)
const URL = `hyper://${KEY}`

async function invalidAsync(fn: () => Promise<unknown>, message: RegExp) {
  await assert.rejects(fn, (err: unknown) => {
    assert.ok(err instanceof P2PError)
    assert.equal(err.code, 'invalid-argument')
    assert.match(err.message, message)
    return true
  })
}

describe('hyper URLs', () => {
  it('canonicalises and refuses anything else', () => {
    assert.equal(parseHyperUrl(`hyper://${KEY.toUpperCase()}/`), URL)
    assert.equal(hyperUrl(new Uint8Array(32).fill(0xab)), URL)
    for (const bad of ['', 'hyper://abc', `dat://${KEY}`, `hyper://${KEY}x`, null, 5]) {
      assertInvalid(() => parseHyperUrl(bad), /hyper:\/\/<64 hex>/)
    }
  })
})

describe('profile.json and session.json', () => {
  it('accepts a seed-000 profile and rebuilds it without extra fields', () => {
    const p = checkProfile({ name: 'Sam', created: 1509818932375, friends: [URL, URL] })
    assert.deepEqual(p, { name: 'Sam', created: 1509818932375, friends: [URL] })
  })

  it('refuses names outside 1–64 characters and control characters', () => {
    assert.equal(checkName('é'.repeat(64)), 'é'.repeat(64))
    assertInvalid(() => checkName(''), /1–64/)
    assertInvalid(() => checkName('x'.repeat(65)), /1–64/)
    assertInvalid(() => checkName('a\nb'), /control/)
    assertInvalid(() => checkName(7), /string/)
  })

  it('refuses too many friends, bad friends and unknown fields', () => {
    const many = Array.from(
      { length: MAX_FRIENDS + 1 },
      (_, i) => `hyper://${i.toString(16).padStart(64, '0')}`,
    )
    assertInvalid(() => checkProfile({ name: 'A', created: 1, friends: many }), /at most/)
    assertInvalid(() => checkProfile({ name: 'A', created: 1, friends: ['x'] }), /friends\[0\]/)
    assertInvalid(
      () => checkProfile({ name: 'A', created: 1, friends: [], x: 1 }),
      /unknown field "x"/,
    )
    assertInvalid(() => checkProfile({ name: 'A', created: 1.5, friends: [] }), /created/)
    assertInvalid(() => checkProfile(JSON.parse('{"__proto__": {"name": "A"}}')), /unknown field/)
  })

  it('checks sessions: counts, url with a lobby, protected flag', () => {
    const s = {
      name: 'Foobar',
      url: `${URL}?lobby=den`,
      last_update: 1509667197878,
      peers: 2,
      max_peers: 8,
      protected: false,
    }
    assert.deepEqual(checkSession(s), s)
    assertInvalid(() => checkSession({ ...s, peers: 9 }), /peers/)
    assertInvalid(() => checkSession({ ...s, max_peers: 0 }), /max_peers/)
    assertInvalid(() => checkSession({ ...s, url: 'https://x' }), /session url/)
    assertInvalid(() => checkSession({ ...s, protected: 'no' }), /protected/)
    // Our addition: the host's heartbeat interval, optional.
    assert.deepEqual(checkSession({ ...s, heartbeat_ms: 2_000 }), { ...s, heartbeat_ms: 2_000 })
    assertInvalid(() => checkSession({ ...s, heartbeat_ms: 0 }), /heartbeat_ms/)
    assertInvalid(() => checkSession({ ...s, heartbeat_ms: 1.5 }), /heartbeat_ms/)
    assertInvalid(() => checkSession({ ...s, heartbeat_ms: '60000' }), /heartbeat_ms/)
    assertInvalid(() => checkSession({ ...s, heartbeats: 1 }), /unknown field/)
  })
})

describe('block format v1', () => {
  // Stored fixture: a version-1 block as written by the first release. If
  // this stops decoding, archives in the field stop opening.
  const FIXTURE =
    '{"v":1,"key":"session.json","value":{"name":"Foobar","url":"hyper://' +
    KEY +
    '?lobby=den","last_update":1509667197878,"peers":2,"max_peers":8,"protected":false},' +
    '"writer":"0123456789abcdef0123456789abcdef","latest":{"profile.json":0}}'

  it('decodes the stored v1 fixture', () => {
    const block = decodeBlock(new TextEncoder().encode(FIXTURE), 1)
    assert.equal(block?.key, 'session.json')
    assert.deepEqual(block?.latest, { 'profile.json': 0 })
    assert.equal(block?.writer, '0123456789abcdef0123456789abcdef')
  })

  it('round-trips and rejects damaged or foreign blocks', () => {
    const block: Block = {
      v: 1,
      key: 'profile.json',
      value: { name: 'A', created: 1, friends: [] },
      writer: 'f'.repeat(32),
      latest: { 'session.json': 3 },
    }
    assert.deepEqual(decodeBlock(encodeBlock(block), 4), block)
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o))
    assert.equal(decodeBlock(encodeBlock(block), 3), null, 'a pointer must point backwards')
    assert.equal(decodeBlock(enc({ ...block, v: 2 }), 4), null)
    assert.equal(decodeBlock(enc({ ...block, key: 'x.json' }), 4), null)
    assert.equal(decodeBlock(enc({ ...block, value: { name: '' } }), 4), null)
    assert.equal(decodeBlock(new Uint8Array([0xff, 0xfe]), 4), null)
    assert.equal(decodeBlock(null, 4), null)
  })

  it('reads a value a newer version wrote with a field we do not know, leaving it out', () => {
    const block: Block = {
      v: 1,
      key: 'profile.json',
      value: { name: 'A', created: 1, friends: [] },
      writer: 'f'.repeat(32),
      latest: {},
    }
    const newer = { ...block, value: { name: 'A', created: 1, friends: [], avatar: 'x' } }
    const bytes = new TextEncoder().encode(JSON.stringify(newer))
    assert.deepEqual(decodeBlock(bytes, 4), block)
    // Known fields are still checked, and writing the unknown field is still refused.
    const bad = { ...block, value: { name: '', created: 1, friends: [], avatar: 'x' } }
    assert.equal(decodeBlock(new TextEncoder().encode(JSON.stringify(bad)), 4), null)
    assertInvalid(() => checkProfile(newer.value), /unknown field "avatar"/)
  })
})

describe('export text', () => {
  const payload = {
    url: URL,
    secretKey: new Uint8Array(64).fill(7),
    blocks: [new TextEncoder().encode('{"a":1}'), new Uint8Array([0, 255, 10])],
    treeHash: new Uint8Array(32).fill(9),
  }

  it('is labelled as holding the secret key and round-trips', async () => {
    const text = await encodeExport(payload, 'Alice')
    assert.ok(text.startsWith(EXPORT_TITLE))
    assert.match(text, /secret key/)
    assert.match(text, /^Name: Alice$/m)
    assert.deepEqual(await decodeExport(text), payload)
    // Pasted through a mail client: CRLF line ends and indentation.
    assert.deepEqual(await decodeExport(text.replace(/\n/g, '\r\n  ')), payload)
  })

  it('says what is wrong with a bad export', async () => {
    const text = await encodeExport(payload, 'Alice')
    await invalidAsync(() => decodeExport('nonsense'), /not a Porchlight identity export/)
    await invalidAsync(() => decodeExport(text.slice(0, -40)), /truncated/)
    await invalidAsync(() => decodeExport(text.replace(/sha256:../, 'sha256:00')), /damaged/)
    await invalidAsync(() => decodeExport({}), /must be text/)
  })
})
