/**
 * web-test-runner plugins for the browser tests (`npm run test:browser`):
 *
 * - `trackerPlugin()`: real bittorrent-tracker servers on 127.0.0.1, started
 *   and stopped by the tests through server commands (`tracker-start`,
 *   `tracker-stop`, `tracker-swarms`), so each test gets its own tracker and
 *   can take one down to check reconnection.
 */
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
