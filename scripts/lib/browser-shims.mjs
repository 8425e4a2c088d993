/**
 * What hypercore and its Node-flavoured dependencies need to run in a
 * browser document, in one place for both bundlers that build browser code:
 * Vite/rolldown (vite.config.ts, the extension) and esbuild
 * (web-test-runner.config.mjs, the browser tests).
 *
 * - `sodium-native` → src/identity/sodium-native.cjs: sodium-javascript plus
 *   the Ed25519 scalar multiplication the Noise handshake needs.
 * - `global` → `globalThis`.
 * - free `Buffer` and `process` → the `buffer` and `process` packages, only
 *   in modules that use them.
 */
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** Module aliases: bare specifier → file. */
export const browserAliases = {
  'sodium-native': resolve(root, 'src/identity/sodium-native.cjs'),
}

/** Compile-time replacements. */
export const browserDefines = {
  global: 'globalThis',
}

/** Free globals → imports, in @rollup/plugin-inject's format (rolldown's `transform.inject`). */
export const browserInject = {
  Buffer: ['buffer', 'Buffer'],
  process: 'process',
}

/** The same for esbuild, whose `inject` takes files exporting the globals. */
export const browserInjectFile = resolve(root, 'scripts/lib/browser-globals.js')
