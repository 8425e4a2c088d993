/**
 * Helpers for the browser tests (web-test-runner, real Chromium): real
 * trackers on 127.0.0.1 through server commands (scripts/lib/wtr-plugins.ts),
 * and polling with a deadline.
 */
import { executeServerCommand } from '@web/test-runner-commands'

export interface TestTracker {
  url: string
  port: number
  /** Info hash (hex) → number of peers the tracker holds for it. */
  swarms(): Promise<Record<string, number>>
  stop(): Promise<void>
}

/** Starts a real bittorrent-tracker server on 127.0.0.1 (on `port` to bring one back). */
export async function startTracker(
  opts: { port?: number; interval?: number } = {},
): Promise<TestTracker> {
  const { url, port } = await executeServerCommand<{ url: string; port: number }, typeof opts>(
    'tracker-start',
    opts,
  )
  return {
    url,
    port,
    swarms: async () =>
      (await executeServerCommand<Record<string, number> | null, { url: string }>(
        'tracker-swarms',
        { url },
      )) ?? {},
    stop: async () => {
      await executeServerCommand('tracker-stop', { url })
    },
  }
}

/** Resolves when `check` returns a truthy value; rejects with `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  ms = 10_000,
  every = 50,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + ms
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (performance.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(every)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A random 40-hex id (peer ids, offer ids, topics). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
