// Browser tests in real Chromium: `npm run test:browser` (node --import tsx, so
// this file can use the TypeScript helpers in scripts/lib).
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { chromeLauncher } from '@web/test-runner'
import { findChromium } from './scripts/lib/chromium.ts'
import { prebundlePlugin, trackerPlugin } from './scripts/lib/wtr-plugins.ts'

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
  files: ['src/**/*.browser.test.ts', 'components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  concurrency: 1,
  testFramework: { config: { timeout: 30_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    prebundlePlugin(['@thaunknown/simple-peer/lite.js']),
    trackerPlugin(),
  ],
}
