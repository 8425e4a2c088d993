import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { P2PError } from '../errors.js'
import { transcript } from '../transcript.js'
import {
  MAX_LOBBY_NAME,
  TOPIC_DOMAIN,
  lobbyTopic,
  normalizeLobbyName,
  topicFromHex,
} from './topic.js'

const rejects = (fn: () => Promise<unknown>, code: string) =>
  assert.rejects(fn, (err: unknown) => err instanceof P2PError && err.code === code)

test('a topic is the first 20 bytes of SHA-256 over the domain-separated (origin, name)', async () => {
  const topic = await lobbyTopic('https://a.example', 'lobby')
  // Built independently of transcript(): label, NUL, u32 length + bytes per field.
  const len = (s: string) => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(Buffer.byteLength(s))
    return b
  }
  const bytes = Buffer.concat([
    Buffer.from('porchlight/lobby-topic/v1'),
    Buffer.from([0]),
    len('https://a.example'),
    Buffer.from('https://a.example'),
    len('lobby'),
    Buffer.from('lobby'),
  ])
  const expected = createHash('sha256').update(bytes).digest().subarray(0, 20)
  assert.equal(topic.infoHash.length, 20)
  assert.equal(topic.hex, expected.toString('hex'))
  assert.deepEqual(Buffer.from(topic.infoHash), expected)
  assert.equal(TOPIC_DOMAIN, 'porchlight/lobby-topic/v1')
})

test('a stored vector stays stable (changing it splits every existing lobby)', async () => {
  const topic = await lobbyTopic('https://a.example', 'lobby')
  assert.equal(topic.hex, '1d1f079e333246a1da18723c81a438245b709559')
})

test('the same name on two origins gives different topics', async () => {
  const a = await lobbyTopic('https://a.example', 'lobby')
  const b = await lobbyTopic('https://b.example', 'lobby')
  const c = await lobbyTopic('http://a.example', 'lobby')
  const d = await lobbyTopic('https://a.example:8443', 'lobby')
  assert.equal(new Set([a.hex, b.hex, c.hex, d.hex]).size, 4)
})

test('fields cannot be shifted between origin and name', async () => {
  // Without length prefixes "https://a.example" + "x/lobby" could equal "https://a.examplex" + "/lobby".
  const a = transcript(TOPIC_DOMAIN, ['https://a.ex', 'ample'])
  const b = transcript(TOPIC_DOMAIN, ['https://a.exa', 'mple'])
  assert.notDeepEqual(a, b)
})

test('the topic does not contain the origin or the name in readable form', async () => {
  const topic = await lobbyTopic('https://a.example', 'lobby')
  const text = Buffer.from(topic.infoHash).toString('latin1')
  assert.ok(!text.includes('lobby') && !text.includes('example'))
})

test('names are NFC-normalised so composed and decomposed spellings meet', async () => {
  const composed = await lobbyTopic('https://a.example', 'caf\u00e9')
  const decomposed = await lobbyTopic('https://a.example', 'cafe\u0301')
  assert.equal(composed.hex, decomposed.hex)
  const other = await lobbyTopic('https://a.example', 'Café')
  assert.notEqual(other.hex, composed.hex, 'names are case-sensitive')
})

test('bad origins are refused with invalid-argument', async () => {
  for (const origin of [
    '',
    'null',
    'a.example',
    'https://a.example/',
    'https://a.example/path',
    'ftp://a.example',
    'chrome-extension://abc',
  ]) {
    await rejects(() => lobbyTopic(origin, 'lobby'), 'invalid-argument')
  }
})

test('bad names are refused with invalid-argument', async () => {
  for (const name of ['', 'x'.repeat(MAX_LOBBY_NAME + 1), 'a\nb', 'a\u0000', 'a\u0085']) {
    await rejects(() => lobbyTopic('https://a.example', name), 'invalid-argument')
  }
  await rejects(() => lobbyTopic('https://a.example', 42 as unknown as string), 'invalid-argument')
  assert.equal(normalizeLobbyName('x'.repeat(MAX_LOBBY_NAME)).length, MAX_LOBBY_NAME)
})

test('topicFromHex round-trips and checks its input', async () => {
  const topic = await lobbyTopic('https://a.example', 'lobby')
  assert.deepEqual(topicFromHex(topic.hex), topic)
  assert.throws(() => topicFromHex('ABCD'), P2PError)
  assert.throws(() => topicFromHex(topic.hex.toUpperCase()), P2PError)
})
