/**
 * `npm run bench [-- --quick] [-- --only <group>]`: Porchlight measured side by side
 * with its anchors in one run on this machine (issue 10), in real Chromium
 * profiles with the built extension, against a local tracker on 127.0.0.1.
 *
 * Prints the table, writes bench/results.json and bench/results.svg. The
 * bench starts its tracker on a free port and builds its own copy of the
 * extension for it into a temporary folder (./lib/extensions.ts): it always
 * measures the current source and leaves dist/chrome alone. Quick mode takes fewer
 * runs per median (5 instead of 10) and caps the 8-profile meshes at 20 s
 * instead of 60 s. `--only storage` (or injected, api, memory, first-peer,
 * data, mesh) runs one group, `--only first-peer,data` several in their usual
 * order (as in the full run, sharing profiles); either writes no results files.
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { findChromium } from '../scripts/lib/chromium.js'
import { startTracker } from '../scripts/lib/tracker.js'
import { createContext, type BenchContext } from './lib/context.js'
import { buildPorchlight } from './lib/extensions.js'
import { serveBenchPages } from './lib/pages.js'
import { notes, results, table, writeResults } from './lib/report.js'
import { row, type Row } from './lib/rows.js'
import { apiRows } from './rows/api.js'
import { dataRows } from './rows/datachannel.js'
import { firstPeerRows } from './rows/first-peer.js'
import { injectedRows } from './rows/injected.js'
import { idleMemoryRows } from './rows/memory.js'
import { meshRows } from './rows/mesh.js'
import { storageRows } from './rows/storage.js'

const root = resolve(import.meta.dirname, '..')
const argv = process.argv.slice(2)
const args = new Set(argv)
const quick = args.has('--quick')
const only = args.has('--only') ? argv[argv.indexOf('--only') + 1] : undefined
const groups = only ? new Set(only.split(',')) : null
const started = Date.now()
const log = (message: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`)

/** Runs one group of rows; a failure becomes one failed row instead of ending the bench. */
async function group(name: string, fn: () => Promise<Row[]>): Promise<Row[]> {
  if (groups && !groups.has(name)) return []
  log(name)
  try {
    return await fn()
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err)
    log(`${name} failed: ${message}`)
    return [row({ id: `${name}.error`, figure: name, value: null, unit: 'ms', error: message })]
  }
}

const tracker = await startTracker()
log(`building the extension for ${tracker.url}`)
const extension = buildPorchlight(tracker.url)
const site = await serveBenchPages()
const ctx: BenchContext = createContext({ quick, tracker, site, extensionDir: extension.dir, log })
const rows: Row[] = []
try {
  log(`${quick ? 'quick' : 'full'} bench, tracker ${tracker.url}, pages ${site.origin}`)
  rows.push(...(await group('storage', () => storageRows(ctx))))
  rows.push(...(await group('injected', () => injectedRows(ctx))))
  rows.push(...(await group('api', () => apiRows(ctx))))
  const memory = await group('memory', () => idleMemoryRows(ctx))
  rows.push(...memory)
  rows.push(...(await group('first-peer', () => firstPeerRows(ctx))))
  rows.push(...(await group('data', () => dataRows(ctx))))
  rows.push(...(await group('mesh', () => meshRows(ctx, memory[0]?.value ?? null))))
} finally {
  await ctx.close()
  await site.close()
  await tracker.close()
  extension.remove()
}

const chromium = execFileSync(findChromium(), ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim()
const seconds = Math.round((Date.now() - started) / 1000)
const res = results(rows, { quick, chromium, seconds })
if (!only) writeResults(resolve(root, 'bench'), res)
console.log(`\n${table(rows)}\n`)
for (const line of notes(rows)) console.log(line)
console.log(
  `\n${res.mode} run, ${seconds} s, ${res.machine.cpus} × ${res.machine.model}, ${chromium}; ` +
    (only
      ? `group ${only} only, no files written`
      : 'wrote bench/results.json and bench/results.svg'),
)
