/**
 * `npm run screenshots`: PNGs, light and dark, in docs/screenshots/, all
 * from the freshly built extension (dist/chrome) in Chromium:
 *
 * - the `<p2p-*>` elements in their main states, live: four profiles meet
 *   over WebRTC through a local tracker, befriend each other through
 *   invites and host sessions (scripts/lib/element-shots.ts,
 *   scripts/lib/session-shots.ts), and Ada's toolbar popup among them;
 * - the extension's permission prompt and options page
 *   (scripts/lib/extension-shots.ts).
 *
 * `npm run screenshots -- lobby` shoots only those whose name contains "lobby".
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { LIVE_ELEMENT_SHOTS, shootLiveElements } from './lib/element-shots.js'
import { EXTENSION_SHOTS, shootExtension } from './lib/extension-shots.js'

const root = resolve(import.meta.dirname, '..')
const outDir = resolve(root, 'docs/screenshots')

async function main(): Promise<void> {
  const filter = process.argv[2] ?? ''
  mkdirSync(outDir, { recursive: true })
  const names: readonly string[] = [...EXTENSION_SHOTS, ...LIVE_ELEMENT_SHOTS]
  if (!names.some((name) => name.includes(filter))) {
    throw new Error(`no screenshot's name contains "${filter}"; they are ${names.join(', ')}`)
  }
  // Loopback only: no public STUN servers (the build's default).
  execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
    stdio: 'inherit',
    // Test hooks on: the session shots shorten session.json's heartbeat.
    env: { ...process.env, PORCHLIGHT_ICE: 'none', PORCHLIGHT_TEST_HOOKS: 'on' },
  })
  const files = [
    ...(await shootLiveElements(outDir, filter)),
    ...(await shootExtension(outDir, filter)),
  ]
  for (const file of files) console.log(`wrote ${file.slice(root.length + 1)}`)
}

await main()
