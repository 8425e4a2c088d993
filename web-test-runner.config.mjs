/**
 * `npm run test:browser`: unit tests that need a real browser (IndexedDB,
 * WebRTC, custom elements) run in Chromium through web-test-runner.
 *
 * Every TypeScript module the browser asks for is bundled on the fly with
 * esbuild (CommonJS dependencies such as hypercore included), with the same
 * browser shims as the extension build (scripts/lib/browser-shims.mjs).
 * Add test globs to TEST_FILES.
 */
import { chromeLauncher } from '@web/test-runner'
import { build } from 'esbuild'
import { resolve } from 'node:path'
import { browserAliases, browserDefines, browserInjectFile } from './scripts/lib/browser-shims.mjs'
// Run under `node --import tsx` (see package.json), so TypeScript helpers load here.
import { trackerPlugin } from './scripts/lib/wtr-plugins.ts'

const root = import.meta.dirname

/** Test files, relative to the repository root. */
export const TEST_FILES = [
  'src/**/*.browser.test.ts',
  'bench/**/*.browser.test.ts',
  'extension/**/*.browser.test.ts',
  // The <p2p-*> elements: every test beside them runs in the browser.
  'components/**/*.test.ts',
]

/** Serves `*.ts` as one ES module bundle per file (tests, and workers they start). */
function bundleTypeScript() {
  return {
    name: 'porchlight-bundle-ts',
    async serve(context) {
      if (!context.path.endsWith('.ts')) return undefined
      const result = await build({
        entryPoints: [resolve(root, `.${context.path}`)],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'chrome116',
        sourcemap: 'inline',
        alias: browserAliases,
        define: { ...browserDefines, __PORCHLIGHT_VERSION__: '"test"' },
        inject: [browserInjectFile],
        logLevel: 'silent',
      })
      return { body: result.outputFiles[0].text, type: 'js' }
    },
  }
}

const args = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Loopback WebRTC between peer connections without mDNS host obfuscation.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]
if (process.getuid?.() === 0) args.push('--no-sandbox')

export default {
  rootDir: root,
  files: TEST_FILES,
  nodeResolve: false,
  concurrency: 1,
  // Real bittorrent-tracker servers on 127.0.0.1, started and stopped by the tests.
  plugins: [bundleTypeScript(), trackerPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args },
    }),
  ],
  testFramework: { config: { timeout: 30_000 } },
  testsFinishTimeout: 300_000,
  // Lit's development build warns about real mistakes in tests; its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
}
