/**
 * Helpers for the browser tests (web-test-runner, real Chromium): real
 * trackers on 127.0.0.1 through server commands (scripts/lib/wtr-plugins.ts),
 * and polling with a deadline.
 */
import { executeServerCommand } from '@web/test-runner-commands'
import type { SignalingAdapter } from '../../src/signaling/adapter.js'
import { topicFromHex, type Topic } from '../../src/signaling/topic.js'
import { PeerRelay } from '../../src/signaling/peer-relay.js'
import { WebTorrentTracker } from '../../src/signaling/webtorrent-tracker.js'
import type { HeartbeatOptions } from '../../src/swarm/heartbeat.js'
import { generateLocalPeer } from '../../src/swarm/local-peer.js'
import type { RecoveryOptions } from '../../src/swarm/recovery.js'
import { Swarm } from '../../src/swarm/swarm.js'

export interface TestTracker {
  url: string
  port: number
  /** Info hash (hex) → number of peers the tracker holds for it. */
  swarms(): Promise<Record<string, number>>
  stop(): Promise<void>
}

const running = new Set<TestTracker>()

/**
 * Starts a real bittorrent-tracker server on 127.0.0.1 (on `port` to bring
 * one back); `stopTrackers()` in afterEach stops whatever a test left running.
 */
export async function startTracker(
  opts: { port?: number; interval?: number } = {},
): Promise<TestTracker> {
  const { url, port } = await executeServerCommand<{ url: string; port: number }, typeof opts>(
    'tracker-start',
    opts,
  )
  const tracker: TestTracker = {
    url,
    port,
    swarms: async () =>
      (await executeServerCommand<Record<string, number> | null, { url: string }>(
        'tracker-swarms',
        { url },
      )) ?? {},
    stop: async () => {
      if (!running.delete(tracker)) return
      await executeServerCommand('tracker-stop', { url })
    },
  }
  running.add(tracker)
  return tracker
}

/** Stops every tracker a test left running. */
export async function stopTrackers(): Promise<void> {
  await Promise.all([...running].map((t) => t.stop()))
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

/** A random 40-hex id (peer ids, offer ids). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A random topic, where a test needs none derived from a lobby. */
export function randomTopic(): Topic {
  return topicFromHex(randomId())
}

/**
 * Holds the answers of every adapter it wraps until `count` of them arrived,
 * then delivers them all in one go: two browsers completing their offers at
 * the same instant, the classic simultaneous open. The tracker stays real.
 */
export function answerGate(count: number) {
  const held: Array<() => void> = []
  return (inner: SignalingAdapter): SignalingAdapter => ({
    name: inner.name,
    init: (peerId) => inner.init(peerId),
    subscribe: (topic, handlers) =>
      inner.subscribe(topic, {
        ...handlers,
        onAnswer: (answer) => {
          if (held.length >= count) return handlers.onAnswer(answer)
          held.push(() => handlers.onAnswer(answer))
          if (held.length === count) for (const release of held) release()
        },
      }),
    announce: (topic, hint) => inner.announce(topic, hint),
    deactivate: () => inner.deactivate(),
    status: () => inner.status(),
  })
}

export interface TestSwarmOptions {
  /** Re-announce interval, ms (2 s unless given). */
  announceInterval?: number
  /** Also signal through the peer relay. */
  relay?: boolean
  /** Instead of the 300 ms heartbeat that gives up after 1.5 s. */
  heartbeat?: HeartbeatOptions
  recovery?: Partial<RecoveryOptions>
  /** Offers made ahead (SwarmOptions.offerPool; none unless given) and how long they wait, ms. */
  offerPool?: number
  offerPoolTtl?: number
  /** The channels it speaks (SwarmOptions.extensions; all by default). */
  extensions?: readonly string[]
}

/**
 * A swarm on `urls` with a fresh identity and test timings: re-announces
 * every `announceInterval`, quick backoff, a 300 ms heartbeat that gives up
 * after 1.5 s, duplicates closed after 0.5 s (each unless `opts` says).
 */
export async function testSwarm(urls: string[], opts: TestSwarmOptions = {}): Promise<Swarm> {
  const local = await generateLocalPeer()
  return new Swarm({
    local,
    adapters: [
      new WebTorrentTracker({
        urls,
        announceInterval: opts.announceInterval ?? 2_000,
        minAnnounceGap: 200,
        backoff: { initial: 100, max: 500, jitter: 0 },
      }),
      ...(opts.relay ? [new PeerRelay({ local })] : []),
    ],
    heartbeat: opts.heartbeat ?? { interval: 300, timeout: 1_500 },
    ...(opts.recovery ? { recovery: opts.recovery } : {}),
    ...(opts.offerPool ? { offerPool: opts.offerPool } : {}),
    ...(opts.offerPoolTtl ? { offerPoolTtl: opts.offerPoolTtl } : {}),
    ...(opts.extensions ? { extensions: opts.extensions } : {}),
    duplicateGrace: 500,
  })
}

/**
 * Makes this page's data channels cuttable; call it at the top of a test
 * file, before any connection. `cut()`: from then on whatever is sent over
 * the data channels already in use is lost (both ways when both sides are in
 * this page), a path that carries nothing while channels opened later work.
 * A ready connection pings every 300 ms, so every channel open at a cut has
 * sent before it.
 */
export function cuttableChannels(): { cut(): { restore(): void } } {
  /** When each data channel first sent something. */
  const firstSend = new WeakMap<RTCDataChannel, number>()
  /** Channels first used before this are cut (their sends dropped). */
  let cutAt = Number.NEGATIVE_INFINITY
  const proto = RTCDataChannel.prototype
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'send')
  const original = descriptor?.value as ((this: RTCDataChannel, ...args: unknown[]) => void) | null
  if (!descriptor || !original) throw new Error('no RTCDataChannel.send')
  Object.defineProperty(proto, 'send', {
    ...descriptor,
    value: function (this: RTCDataChannel, ...args: unknown[]) {
      const first = firstSend.get(this) ?? performance.now()
      firstSend.set(this, first)
      if (first >= cutAt) original.apply(this, args)
    },
  })
  return {
    cut() {
      cutAt = performance.now()
      return {
        restore: () => {
          cutAt = Number.NEGATIVE_INFINITY
        },
      }
    },
  }
}
