/**
 * web-test-runner plugins for the browser tests (`npm run test:browser`):
 *
 * - `trackerPlugin()`: real bittorrent-tracker servers on 127.0.0.1, started
 *   and stopped by the tests through server commands (`tracker-start`,
 *   `tracker-stop`, `tracker-swarms`), so each test gets its own tracker and
 *   can take one down to check reconnection.
 * - `prebundlePlugin(specifiers)`: serves the listed npm entry points as one
 *   esbuild ES module each. @thaunknown/simple-peer is ESM but pulls CommonJS
 *   (streamx, debug, err-code) and node's `events`, which the dev server's
 *   plain node-resolve cannot hand to a browser.
 */
import { build } from 'esbuild'
import type { TestRunnerPlugin } from '@web/test-runner'
import { startTracker, type RunningTracker } from './tracker.js'

interface StartPayload {
  /** Reuse a port, to bring a stopped tracker back at the same URL. */
  port?: number
  /** Announce interval the tracker hands out, in ms (the tracker divides it by 5 for WebSocket clients). */
  interval?: number
}

function payloadRecord(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {}
}

/** Tracker servers the browser tests start and stop through server commands. */
export function trackerPlugin(): TestRunnerPlugin {
  const running = new Map<string, RunningTracker>()
  return {
    name: 'porchlight-tracker',
    async executeCommand({ command, payload }) {
      const args = payloadRecord(payload)
      if (command === 'tracker-start') {
        const opts: StartPayload = {}
        if (typeof args.port === 'number') opts.port = args.port
        if (typeof args.interval === 'number') opts.interval = args.interval
        const tracker = await startTracker(opts)
        running.set(tracker.url, tracker)
        return { url: tracker.url, port: tracker.port }
      }
      if (command === 'tracker-stop') {
        const tracker = running.get(String(args.url))
        running.delete(String(args.url))
        await tracker?.close()
        return true
      }
      if (command === 'tracker-swarms') {
        const tracker = running.get(String(args.url))
        return tracker ? Object.fromEntries(tracker.swarms()) : null
      }
      return undefined
    },
    async serverStop() {
      await Promise.all([...running.values()].map((t) => t.close()))
      running.clear()
    },
  }
}

const PREFIX = '/__prebundled__/'

/** Serves each listed bare specifier as a single browser ES module built by esbuild. */
export function prebundlePlugin(specifiers: readonly string[]): TestRunnerPlugin {
  const wanted = new Set(specifiers)
  const cache = new Map<string, Promise<string>>()
  const bundle = (specifier: string): Promise<string> => {
    let code = cache.get(specifier)
    if (!code) {
      const run = (contents: string) =>
        build({
          stdin: { contents, resolveDir: process.cwd() },
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'browser',
          target: 'chrome116',
          define: { global: 'globalThis' },
          logLevel: 'silent',
        }).then((out) => out.outputFiles[0]?.text ?? '')
      const all = `export * from '${specifier}'`
      // Not every entry has a default export; try with it first.
      code = run(`${all}\nexport { default } from '${specifier}'`).catch(() => run(all))
      cache.set(specifier, code)
    }
    return code
  }
  return {
    name: 'porchlight-prebundle',
    resolveImport({ source }) {
      if (wanted.has(source)) return `${PREFIX}${encodeURIComponent(source)}.js`
      return undefined
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined
      const specifier = decodeURIComponent(context.path.slice(PREFIX.length, -'.js'.length))
      if (!wanted.has(specifier)) return undefined
      return { body: await bundle(specifier), type: 'js' }
    },
  }
}
