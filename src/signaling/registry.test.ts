// The signaling backends' registry (./registry.ts): a module in ./adapters/
// with an `adapter` descriptor is all a backend takes. The extension finds the
// modules with a Vite glob (./adapters.ts); here the folder is read the same
// way, and a fixture backend stands for a new file.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { test } from 'node:test'
import { assertInvalid } from '../../test/support/assert-p2p.js'
import * as echo from '../../test/fixtures/signaling-adapters/echo.js'
import { isPeerPath, pathCountsOf, samePathCounts } from '../protocol/lobby.js'
import type { AdapterContext } from './registry.js'
import { adapterRegistry } from './registry.js'

/** What `import.meta.glob('./adapters/*.ts', { eager: true })` gives, read from disk. */
async function adapterModules(): Promise<Record<string, unknown>> {
  const dir = new URL('./adapters/', import.meta.url)
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  const entries = await Promise.all(
    files.map(async (f) => [`./adapters/${f}`, (await import(new URL(f, dir).href)) as unknown]),
  )
  return Object.fromEntries(entries) as Record<string, unknown>
}

test('the built-in backends are the files in adapters/, trackers first', async () => {
  const registry = adapterRegistry(await adapterModules())
  assert.deepEqual(registry.paths, ['tracker', 'relay', 'lobby-log'])
  assert.deepEqual(registry.channels, ['lobby-log', 'lobby-log-invite', 'signal'])
  assert.equal(registry.label('lobby-log'), 'lobby log')
  assert.equal(registry.label('mesh'), 'other members')
})

test('a new module with a descriptor is picked up: path, label, channel, order, pages', async () => {
  const registry = adapterRegistry({ ...(await adapterModules()), './adapters/echo.ts': echo })
  // It subscribes after the trackers and before the relay (its rank), …
  assert.deepEqual(registry.paths, ['tracker', 'echo', 'relay', 'lobby-log'])
  // … the swarm speaks its channel, the popup says its label, …
  assert.ok(registry.channels.includes('echo-signal'))
  assert.equal(registry.label('echo'), 'echo chamber')
  // … the engine makes it like any other, …
  const made = await registry.descriptors[1]!.create({} as AdapterContext)
  assert.ok(made.adapter instanceof echo.EchoAdapter)
  assert.equal(made.adapter.path, 'echo')
  assert.equal(made.adapter.channel, 'echo-signal')
  // … and pages take its connections' path and counts.
  assert.ok(isPeerPath('echo'))
  assert.deepEqual(pathCountsOf({ echo: 2, tracker: 1, relay: 0 }), { echo: 2, tracker: 1 })
  assert.ok(!samePathCounts({ echo: 1 }, { echo: 2 }))
})

test('a malformed or clashing descriptor is refused with invalid-argument', async () => {
  const real = await adapterModules()
  const withEcho = (changes: object) => ({
    ...real,
    './adapters/echo.ts': { adapter: { ...echo.adapter, ...changes } },
  })
  assertInvalid(() => adapterRegistry(withEcho({ path: 'relay' })), /path relay is taken/)
  assertInvalid(() => adapterRegistry(withEcho({ channels: ['signal'] })), /channel signal/)
  assertInvalid(() => adapterRegistry(withEcho({ path: 'mesh' })), /path is malformed/)
  assertInvalid(() => adapterRegistry(withEcho({ path: 'Echo Path' })), /path is malformed/)
  assertInvalid(() => adapterRegistry(withEcho({ label: '' })), /label/)
  assertInvalid(() => adapterRegistry(withEcho({ create: 'no' })), /create/)
  assertInvalid(() => adapterRegistry({ './adapters/x.ts': {} }), /not exported/)
})

test('pages refuse paths that are not spelled as one', () => {
  for (const bad of ['', 'Tracker', '-x', 'a'.repeat(25), '__proto__', 3, null]) {
    assert.ok(!isPeerPath(bad), String(bad))
  }
  assert.deepEqual(pathCountsOf({ 'Bad Path': 1, mesh: 1.5, relay: -1, tracker: 3 }), {
    tracker: 3,
  })
})
