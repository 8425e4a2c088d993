/**
 * A lobby's `not-connected` trouble as its pages hear it: the swarm reports
 * one error per failed connection attempt, and a lobby that cannot reach
 * anyone retries often; pages hear the first of such a run only, until a
 * connection succeeds again. The latest error stays readable (the popup
 * shows it).
 */
import type { P2PError, WireError } from '../errors.js'

export class ConnectProblem {
  #latest: WireError | null = null

  /**
   * Notes an error of the lobby; true when pages should hear it: every error
   * but a `not-connected` that follows another without a connection between.
   */
  report(error: P2PError): boolean {
    if (error.code !== 'not-connected') return true
    const first = this.#latest === null
    this.#latest = error.toWire()
    return first
  }

  /** A peer connected: the next `not-connected` is news again. */
  connected(): void {
    this.#latest = null
  }

  /** The latest `not-connected` error since the last connection, if any. */
  get latest(): WireError | null {
    return this.#latest
  }
}
