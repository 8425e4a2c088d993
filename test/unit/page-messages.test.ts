// The page's lobby messages (extension/page/lobby-messages.ts) against a fake
// extension: what a page is told at once, before anything is posted.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Peer } from '../../src/api/types.js'
import { P2PError } from '../../src/errors.js'
import { PageMessages } from '../../extension/page/lobby-messages.js'

const DIRECT = 'd'.repeat(16)
const MESH = 'e'.repeat(16)

function page() {
  const calls: Array<{ method: string; params: unknown; answer(): void }> = []
  const peers = new Map<string, Peer>([
    [DIRECT, { id: DIRECT, identity: null, sessionData: null, path: 'tracker' }],
    [MESH, { id: MESH, identity: null, sessionData: null, path: 'mesh' }],
  ])
  const messages = new PageMessages({
    lobby: 'a'.repeat(32),
    call: (method, params) =>
      new Promise((resolve) => {
        calls.push({ method, params, answer: () => resolve(undefined) })
        if (method !== 'lobby.handle') resolve(undefined)
      }),
    peer: (alias) => peers.get(alias) ?? { id: alias, identity: null, sessionData: null },
    has: (alias) => peers.has(alias),
    open: () => undefined,
    emit: () => undefined,
  })
  return { messages, calls }
}

const notConnected = (err: unknown) => err instanceof P2PError && err.code === 'not-connected'

test('send to a peer known only through the mesh throws not-connected, nothing is posted', async () => {
  const { messages, calls } = page()
  assert.throws(() => messages.send(MESH, 'hi'), notConnected)
  await messages.send(DIRECT, 'hi')
  assert.deepEqual(
    calls.map((c) => c.method),
    ['lobby.post'],
  )
})

test('handle() resolves once the extension registered the module, not before', async () => {
  const { messages, calls } = page()
  let registered = false
  const done = messages.handle('My.Module', () => 1).then(() => (registered = true))
  await new Promise((r) => setTimeout(r, 10))
  assert.equal(registered, false, 'resolved before the extension answered')
  assert.deepEqual(calls[0]?.params, { lobby: 'a'.repeat(32), module: 'My.Module', on: true })
  calls[0]?.answer()
  await done
  assert.equal(registered, true)
  assert.throws(() => messages.handle('bad name!', () => 1), /invalid-argument/)
})
