/**
 * In-page helpers shared by the bench's peer stacks (raw tracker client,
 * Trystero, and the extension's lobby): one clock for every profile, and a
 * count of connected peers with the time each arrived.
 */

/**
 * Milliseconds on a clock every page on this machine shares (wall-clock time
 * origin plus the monotonic clock), so times from two profiles subtract.
 */
export function now(): number {
  return performance.timeOrigin + performance.now()
}

/** What every peer stack page offers the bench (as `window.bench<Stack>`). */
export interface PeerStackApi {
  /** Joins `topic` through the tracker at `tracker`; resolves with the join time. */
  join(tracker: string, topic: string): Promise<number>
  /** When `n` peers are connected (the time of the n-th), or after `timeoutMs` with at: null. */
  waitPeers(n: number, timeoutMs: number): Promise<PeerCount>
}

export interface PeerCount {
  count: number
  /** When the n-th peer connected, on the shared clock; null if it did not in time. */
  at: number | null
}

/** Connected peers, each counted once, with their arrival times. */
export class PeerCounter {
  private readonly times: number[] = []
  private readonly ids = new Set<string>()
  private readonly waiters = new Set<() => void>()

  /** Records a connected peer (again: ignored). */
  add(id: string): void {
    if (this.ids.has(id)) return
    this.ids.add(id)
    this.times.push(now())
    for (const wake of this.waiters) wake()
  }

  wait(n: number, timeoutMs: number): Promise<PeerCount> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const at = this.times[n - 1]
        if (at === undefined) return false
        done({ count: this.times.length, at })
        return true
      }
      const timer = setTimeout(() => done({ count: this.times.length, at: null }), timeoutMs)
      const done = (result: PeerCount) => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve(result)
      }
      const wake = () => void check()
      if (!check()) this.waiters.add(wake)
    })
  }
}

/** 40 random hex characters (a peer id or an info hash). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
