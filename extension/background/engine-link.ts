/**
 * The service worker's side of the engine document: `ensureEngine()` creates
 * the offscreen document on demand (one shared in-flight promise, checked with
 * `runtime.getContexts`), and `engineRequest()` sends it a call.
 *
 * The engine opens the runtime.Port itself, when it loads and whenever the
 * service worker asks it to (after the worker was stopped and started again),
 * so a restarted worker finds the engine and its connections as they were.
 */
import { P2PError } from '../../src/errors.js'
import { RpcClient } from '../../src/protocol/client.js'
import { isRecord } from '../../src/protocol/validate.js'
import {
  ENGINE_CONNECT,
  type EngineMethod,
  type EngineMethods,
} from '../../src/protocol/messages.js'

export const ENGINE_PATH = 'extension/engine/engine.html'
const ENGINE_START_TIMEOUT_MS = 10_000
const ENGINE_CALL_TIMEOUT_MS = 20_000

let port: chrome.runtime.Port | null = null
let starting: Promise<chrome.runtime.Port> | null = null
const portWaiters = new Set<(p: chrome.runtime.Port) => void>()
const rpc = new RpcClient()
let onNotice: (raw: Record<string, unknown>) => void = () => undefined
let onLost: () => void = () => undefined

/**
 * Who is told when the engine document goes away while this worker runs (it
 * crashed or was closed: every lobby in it is gone). A worker that was
 * stopped meanwhile does not notice; its pages' lobbies then close as their
 * documents go.
 */
export function setEngineLostHandler(fn: () => void): void {
  onLost = fn
}

/** Who handles what the engine says outside answers (events for pages, values to retain). */
export function setNoticeHandler(fn: (raw: Record<string, unknown>) => void): void {
  onNotice = fn
}

function engineUrl(): string {
  return chrome.runtime.getURL(ENGINE_PATH)
}

/** Called from the top-level onConnect listener for ports named PORT_ENGINE. */
export function acceptEnginePort(p: chrome.runtime.Port): void {
  if (p.sender?.id !== chrome.runtime.id || p.sender.url !== engineUrl()) {
    p.disconnect()
    return
  }
  port?.disconnect()
  port = p
  p.onMessage.addListener((raw: unknown) => {
    if (!rpc.receive(raw) && isRecord(raw)) onNotice(raw)
  })
  p.onDisconnect.addListener(() => {
    if (port !== p) return
    port = null
    rpc.failAll(P2PError.EXTENSION_UNAVAILABLE('the engine restarted during this call; try again'))
    onLost()
  })
  for (const resolve of portWaiters) resolve(p)
  portWaiters.clear()
}

async function engineExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [engineUrl()],
  })
  return contexts.length > 0
}

async function start(): Promise<chrome.runtime.Port> {
  const connected = new Promise<chrome.runtime.Port>((resolve, reject) => {
    const timer = setTimeout(() => {
      portWaiters.delete(done)
      reject(P2PError.TIMEOUT('the engine document', ENGINE_START_TIMEOUT_MS))
    }, ENGINE_START_TIMEOUT_MS)
    const done = (p: chrome.runtime.Port) => {
      clearTimeout(timer)
      resolve(p)
    }
    portWaiters.add(done)
  })
  if (await engineExists()) {
    // The worker restarted but the engine lives on: ask it to connect again.
    await chrome.runtime.sendMessage({ type: ENGINE_CONNECT }).catch(() => undefined)
  } else {
    try {
      await chrome.offscreen.createDocument({
        url: ENGINE_PATH,
        reasons: [chrome.offscreen.Reason.WEB_RTC],
        justification: 'Porchlight keeps WebRTC peer connections and identity archives open here.',
      })
    } catch (err) {
      // Another call created it in the meantime; anything else is real.
      if (!(await engineExists())) throw P2PError.from(err)
    }
  }
  return connected
}

/** The engine's port, creating the engine document when there is none. */
export function ensureEngine(): Promise<chrome.runtime.Port> {
  if (port) return Promise.resolve(port)
  starting ??= start().finally(() => {
    starting = null
  })
  return starting
}

/** Sends one call to the engine on behalf of `origin` (null: the extension itself). */
export async function engineRequest<M extends EngineMethod>(
  method: M,
  origin: string | null,
  params?: EngineMethods[M]['params'],
): Promise<EngineMethods[M]['result']> {
  const p = await ensureEngine()
  const send = (message: unknown) =>
    p.postMessage({ ...(message as object), origin: origin ?? 'null' })
  return rpc.call(send, method, params, ENGINE_CALL_TIMEOUT_MS)
}

/** Whether the engine document exists (without starting it). */
export async function engineRunning(): Promise<boolean> {
  return port !== null || (await engineExists())
}

/** Like engineRequest, but does nothing when there is no engine (never starts one). */
export async function engineRequestIfRunning<M extends EngineMethod>(
  method: M,
  origin: string | null,
  params?: EngineMethods[M]['params'],
): Promise<void> {
  if (await engineRunning()) await engineRequest(method, origin, params)
}
