/**
 * Answers request envelopes arriving on a runtime.Port: each is parsed, handed
 * to `dispatch`, and answered with its result or a typed error. Shared by the
 * page channel (gatekeeper.ts) and the admin channel (admin.ts).
 */
import type { Response } from '../../src/protocol/messages.js'
import { errorResponse, okResponse, parseRequest } from '../../src/protocol/validate.js'

export type Dispatch = (method: string, params: unknown) => Promise<unknown>

function post(port: chrome.runtime.Port, message: Response): void {
  try {
    port.postMessage(message)
  } catch {
    // The caller went away before its answer; nothing to do.
  }
}

export function serveRequests(port: chrome.runtime.Port, dispatch: Dispatch, maxBytes?: number) {
  port.onMessage.addListener((raw: unknown) => {
    const parsed = parseRequest(raw, maxBytes)
    if (!parsed.ok) {
      if (parsed.id !== null) post(port, errorResponse(parsed.id, parsed.error))
      return
    }
    const { id, method, params } = parsed.value
    dispatch(method, params).then(
      (result) => post(port, okResponse(id, result)),
      (err: unknown) => post(port, errorResponse(id, err)),
    )
  })
}
