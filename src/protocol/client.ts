/**
 * The calling side of a request/response channel: numbers requests, matches
 * answers by id, rebuilds errors as P2PError. Transport-agnostic: give it a
 * `send` and feed it what arrives with `receive`. Used by the page provider,
 * the extension pages' admin channel and the worker's link to the engine.
 */
import { P2PError } from '../errors.js'
import type { Response } from './messages.js'
import { parseResponse } from './validate.js'

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: P2PError) => void
  timer?: ReturnType<typeof setTimeout>
}

export class RpcClient {
  #nextId = 1
  readonly #pending = new Map<number, Pending>()

  /** Sends one call; `timeoutMs` rejects with `timeout` if no answer comes. */
  call<T>(
    send: (message: unknown) => void,
    method: string,
    params?: unknown,
    timeoutMs?: number,
  ): Promise<T> {
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { resolve: resolve as (value: unknown) => void, reject }
      if (timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(id)
          reject(P2PError.TIMEOUT(method, timeoutMs))
        }, timeoutMs)
      }
      this.#pending.set(id, pending)
      try {
        send(params === undefined ? { t: 'req', id, method } : { t: 'req', id, method, params })
      } catch {
        this.#settle(id, {
          t: 'res',
          id,
          ok: false,
          error: P2PError.EXTENSION_UNAVAILABLE().toWire(),
        })
      }
    })
  }

  /** Calls still waiting for their answer. */
  get waiting(): number {
    return this.#pending.size
  }

  /** Feeds an incoming message; returns false when it is not an answer to one of ours. */
  receive(raw: unknown): boolean {
    const res = parseResponse(raw)
    return res !== null && this.#settle(res.id, res)
  }

  /** Fails every call still waiting (the channel broke). */
  failAll(err: P2PError): void {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, { t: 'res', id, ok: false, error: err.toWire() })
    }
  }

  #settle(id: number, res: Response): boolean {
    const call = this.#pending.get(id)
    if (!call) return false
    this.#pending.delete(id)
    clearTimeout(call.timer)
    if (res.ok) call.resolve(res.result)
    else call.reject(P2PError.fromWire(res.error))
    return true
  }
}
