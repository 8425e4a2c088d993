/**
 * Answering requests on a port: parse every message as an untrusted request,
 * hand good ones to `dispatch`, and post back a result or a typed error. Used
 * by the gatekeeper (pages), the admin channel (extension pages) and the
 * engine (the service worker), so every context answers the same way.
 */
import type { Request, Response } from './messages.js'
import { errorResponse, okResponse, parseRequest } from './validate.js'

/** The part of a runtime.Port (or MessagePort wrapper) that serving needs. */
export interface PortLike {
  postMessage(message: unknown): void
  onMessage: { addListener(fn: (message: unknown) => void): void }
}

export interface ServeOptions {
  /** Largest params accepted, in bytes of JSON. */
  maxBytes?: number
}

function post(port: PortLike, message: Response): void {
  try {
    port.postMessage(message)
  } catch {
    // The other side went away before its answer: nothing to do.
  }
}

export function serve(
  port: PortLike,
  dispatch: (req: Request, raw: Record<string, unknown>) => Promise<unknown>,
  opts: ServeOptions = {},
): void {
  port.onMessage.addListener((raw: unknown) => {
    const parsed = opts.maxBytes ? parseRequest(raw, opts.maxBytes) : parseRequest(raw)
    if (!parsed.ok) {
      if (parsed.id !== null) post(port, errorResponse(parsed.id, parsed.error))
      return
    }
    const req = parsed.value
    let result: Promise<unknown>
    try {
      result = dispatch(req, raw as Record<string, unknown>)
    } catch (err) {
      result = Promise.reject(err)
    }
    result.then(
      (value) => post(port, okResponse(req.id, value ?? null)),
      (err: unknown) => post(port, errorResponse(req.id, err)),
    )
  })
}
