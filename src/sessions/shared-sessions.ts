/**
 * Tabs of one site share a hosted or joined session (one Lobby per session
 * URL and identity: ../../extension/engine/sessions.ts), so what a second
 * tab asks for must match what the first one got:
 *
 * - hosting again with another password or maxPeers is `invalid-argument`
 *   (the session cannot have both; the page leaves it first);
 * - joining with another password than the tab that got in does not ride on
 *   that tab's admission: it is `wrong-password` (the host took the first
 *   one), unless that tab got in without a password (the session is open).
 *   While the first tab's join is still being decided, the second waits for
 *   its outcome; if it failed, the second tries on its own.
 */
import { equalBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'

/** The options a session is hosted with. */
export interface HostedOptions {
  maxPeers: number
  /** The session key from the password, or null for an open session. */
  key: Uint8Array | null
}

function sameKey(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b)
}

/** Throws `invalid-argument` when `wanted` differs from the options `name` is hosted with. */
export function checkSameHosting(
  hosted: HostedOptions | undefined,
  wanted: HostedOptions,
  name: string,
): void {
  if (!hosted) return
  const leave = 'leave it first, or host it with the same options'
  if (hosted.maxPeers !== wanted.maxPeers) {
    throw P2PError.INVALID_ARGUMENT(
      `"${name}" is already hosted here with maxPeers ${hosted.maxPeers}; ${leave}`,
    )
  }
  if (!sameKey(hosted.key, wanted.key)) {
    const had = hosted.key ? 'another password' : 'no password'
    throw P2PError.INVALID_ARGUMENT(`"${name}" is already hosted here with ${had}; ${leave}`)
  }
}

interface Attempt {
  key: Uint8Array | null
  admitted: boolean
  /** Resolves once the join is decided, either way. */
  settled: Promise<void>
}

/** The joins of this engine by session (identity and URL), and the key each got in with. */
export class SessionJoins {
  readonly #attempts = new Map<string, Attempt>()

  /**
   * Runs `join` for session `id` with `key`, or lets the caller share the
   * join already made with the same key (`join` then only adds a handle).
   * Call `admitted(id)` once the host let us in and `ended(id)` when the
   * session's lobby closes.
   */
  async run<T>(id: string, key: Uint8Array | null, join: () => Promise<T>): Promise<T> {
    for (;;) {
      const other = this.#attempts.get(id)
      if (!other || sameKey(other.key, key)) break
      if (other.admitted) {
        if (other.key === null) break // an open session: any password gets in
        throw new P2PError(
          'wrong-password',
          'the password for this session is wrong (another tab is in it with another one)',
        )
      }
      await other.settled
    }
    if (this.#attempts.has(id)) return join()
    let settle = () => {}
    const attempt: Attempt = {
      key,
      admitted: false,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    }
    this.#attempts.set(id, attempt)
    try {
      return await join()
    } catch (err) {
      if (this.#attempts.get(id) === attempt && !attempt.admitted) this.#attempts.delete(id)
      throw err
    } finally {
      settle()
    }
  }

  /** The host let session `id` in. */
  admitted(id: string): void {
    const attempt = this.#attempts.get(id)
    if (attempt) attempt.admitted = true
  }

  /** Session `id`'s lobby closed. */
  ended(id: string): void {
    this.#attempts.delete(id)
  }
}
