/**
 * The extensions the bench loads, each built into a temporary folder:
 *
 * - Porchlight itself, by scripts/build.mjs with `PORCHLIGHT_TRACKERS` set to
 *   the bench's own tracker (on a free port) and `PORCHLIGHT_OUT_DIR` set to
 *   the folder: the bench always measures the current source, and never
 *   collides with whatever else listens on the default tracker port.
 * - The echo extension (bench/echo-extension/): test-only, its service
 *   worker echoes every message, so the page API's round trip has a bare
 *   page ⇄ service worker floor measured in the same run. Porchlight ships
 *   no echo.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

const root = resolve(import.meta.dirname, '../..')

export interface BuiltExtension {
  dir: string
  remove(): void
}

function tempDir(what: string): BuiltExtension {
  const dir = mkdtempSync(join(tmpdir(), `porchlight-bench-${what}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Builds Porchlight for the tracker at `trackerUrl`. */
export function buildPorchlight(trackerUrl: string): BuiltExtension {
  const out = tempDir('extension')
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Loopback only: no public STUN servers (the build's default) to wait for.
    env: {
      ...process.env,
      PORCHLIGHT_TRACKERS: trackerUrl,
      PORCHLIGHT_OUT_DIR: out.dir,
      PORCHLIGHT_ICE: 'none',
    },
  })
  return out
}

const echoManifest = {
  manifest_version: 3,
  name: 'Porchlight bench echo',
  version: '1.0.0',
  background: { service_worker: 'worker.js' },
  content_scripts: [
    { matches: ['<all_urls>'], js: ['content.js'], run_at: 'document_start', world: 'ISOLATED' },
  ],
}

export async function buildEchoExtension(): Promise<BuiltExtension> {
  const out = tempDir('echo')
  await build({
    entryPoints: ['worker', 'content'].map((name) => join(root, `bench/echo-extension/${name}.ts`)),
    outdir: out.dir,
    bundle: true,
    format: 'iife',
    target: 'chrome116',
    logLevel: 'error',
  })
  writeFileSync(join(out.dir, 'manifest.json'), JSON.stringify(echoManifest, null, 2))
  return out
}
