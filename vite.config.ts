/**
 * One multi-entry build for the extension's module contexts, plus one IIFE
 * build per classic script (the content bridge's loader and relay, the
 * MAIN-world page script and the element bundle: a content script with
 * `import` does nothing). scripts/build.mjs runs them in order with `mode`
 * set to `extension`, `bridge`, `relay`, `provider` or `elements`; then
 * `library`: the elements as an ES module for sites that bundle them
 * themselves (dist/elements/, package.json `exports["./elements"]`).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type UserConfig } from 'vite'
import { iceFromEnv } from './src/protocol/ice.js'
// Identity layer (hypercore in the engine document): browser shims, shared with the browser tests.
import { browserAliases, browserDefines, browserInject } from './scripts/lib/browser-shims.mjs'

const root = import.meta.dirname
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }

/** Trackers the build knows by default; `PORCHLIGHT_TRACKERS` (comma-separated) replaces them. */
export function trackersFromEnv(env: string | undefined): string[] {
  const list = (env ?? 'ws://127.0.0.1:8000')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const url of list) {
    if (!/^wss?:\/\//.test(url))
      throw new Error(`PORCHLIGHT_TRACKERS: "${url}" is not a ws:// or wss:// URL`)
  }
  return list
}

/**
 * Whether the build answers the admin calls that exist for tests (e.g.
 * `settings.setHeartbeat`): `off` (the default: `npm run build` and the demo;
 * the worker answers them `not-supported`) or `on`, which `npm run build:test`
 * and the screenshots set. `PORCHLIGHT_TEST_HOOKS` sets it.
 */
export function testHooksFromEnv(env: string | undefined): boolean {
  const value = (env ?? 'off').trim() || 'off'
  if (value !== 'on' && value !== 'off') {
    throw new Error(`PORCHLIGHT_TEST_HOOKS: "${value}" is neither on nor off`)
  }
  return value === 'on'
}

/** `PORCHLIGHT_OUT_DIR` builds elsewhere (the bench builds a copy for its own tracker). */
const outDir = resolve(root, process.env.PORCHLIGHT_OUT_DIR ?? 'dist/chrome')

/** Classic scripts, one IIFE build each: content scripts, and the element bundle that is injected into pages. */
const classic: Record<string, string> = {
  bridge: 'extension/content/bridge.ts',
  relay: 'extension/content/relay.ts',
  provider: 'extension/page/provider.ts',
  elements: 'extension/page/bundle.ts',
}

export default defineConfig(({ mode }): UserConfig => {
  const shared: UserConfig = {
    root,
    publicDir: false,
    logLevel: 'warn',
    define: {
      __PORCHLIGHT_VERSION__: JSON.stringify(pkg.version),
      __PORCHLIGHT_TRACKERS__: JSON.stringify(trackersFromEnv(process.env.PORCHLIGHT_TRACKERS)),
      // STUN/TURN servers: public STUN unless `PORCHLIGHT_ICE` says (`none` for tests; src/protocol/ice.ts).
      __PORCHLIGHT_ICE__: JSON.stringify(iceFromEnv(process.env.PORCHLIGHT_ICE)),
      __PORCHLIGHT_TEST_HOOKS__: JSON.stringify(
        testHooksFromEnv(process.env.PORCHLIGHT_TEST_HOOKS),
      ),
      ...browserDefines, // identity layer: global → globalThis
    },
    // Identity layer: sodium-native → the sodium shim (scripts/lib/browser-shims.mjs).
    resolve: { alias: browserAliases },
  }
  if (mode === 'library') {
    return {
      ...shared,
      build: {
        outDir: resolve(root, 'dist/elements'),
        emptyOutDir: true,
        target: 'es2022',
        minify: false,
        sourcemap: true,
        // Lit is bundled in: a site needs nothing else, and its own Lit (if any) is left alone.
        lib: {
          entry: resolve(root, 'components/index.ts'),
          formats: ['es'],
          fileName: () => 'elements.js',
        },
      },
    }
  }
  const entry = classic[mode]
  if (entry) {
    return {
      ...shared,
      build: {
        outDir,
        emptyOutDir: false,
        target: 'chrome116',
        minify: true,
        rollupOptions: {
          input: resolve(root, entry),
          output: { format: 'iife', entryFileNames: `${mode}.js` },
        },
      },
    }
  }
  return {
    ...shared,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome116',
      modulePreload: false,
      minify: true,
      sourcemap: true,
      rollupOptions: {
        // Identity layer: free Buffer/process in dependencies → the buffer/process packages.
        transform: { inject: browserInject },
        input: {
          background: resolve(root, 'extension/background/index.ts'),
          engine: resolve(root, 'extension/engine/engine.html'),
          popup: resolve(root, 'extension/popup/popup.html'),
          prompt: resolve(root, 'extension/prompt/prompt.html'),
          options: resolve(root, 'extension/options/options.html'),
          lane: resolve(root, 'extension/lane/lane.html'),
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
        },
      },
    },
  }
})
