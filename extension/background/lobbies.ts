/**
 * The service worker's part in lobbies: it checks and forwards the pages'
 * lobby calls to the engine (with the granted identity, the user's trackers
 * and ICE servers, the calling document and the origin's retained
 * session-data), relays the
 * engine's lobby events to the documents they are for, retains session-data
 * per origin, and tells the engine when documents go away.
 */
import { P2PError } from '../../src/errors.js'
import type { JoinParams, LobbyWire, RetainedSessionData } from '../../src/protocol/lobby.js'
import { ENGINE_LOST, type FrameOwner, type GoneFrames } from '../../src/protocol/messages.js'
import { isHandle, own, parseFrameOwner } from '../../src/protocol/validate.js'
import { engineRequest, engineRequestIfRunning } from './engine-link.js'
import type { GrantedContext } from './handlers.js'
import { pagePortOf } from './page-ports.js'
import { retained, retainOwn, retainPeer } from './retained.js'
import { iceServers, trackers } from './settings.js'

/** The calling document, which lobby handles belong to. */
export function ownerOf(ctx: GrantedContext): FrameOwner {
  if (!ctx.frame) throw P2PError.INVALID_ARGUMENT('lobbies need a page in a tab')
  return ctx.frame
}

// Lobby names arrive NFC-normalised by the gatekeeper's param checks (src/protocol/lobby.ts).

export async function joinLobby(ctx: GrantedContext, params: JoinParams): Promise<LobbyWire> {
  const own = (await retained(ctx.origin, params.name)).self
  return engineRequest('lobby.join', ctx.origin, {
    ...params,
    identity: ctx.grant.identity,
    trackers: await trackers(),
    ice: await iceServers(),
    owner: ownerOf(ctx),
    sessionData: own,
  })
}

export async function setSessionData(
  ctx: GrantedContext,
  params: { lobby: string; data: string },
): Promise<null> {
  const { name } = await engineRequest('lobby.setSessionData', ctx.origin, {
    ...params,
    owner: ownerOf(ctx),
  })
  // Not awaited: the page's call need not wait for a strict-durability write
  // (2–4 ms measured). The write's transaction is opened now, so a later read
  // (retainedSessionData, a join) is ordered after it all the same.
  retainOwn(ctx.origin, name, params.data).catch((err: unknown) => {
    console.error('Porchlight: could not retain session data', err)
  })
  return null
}

export async function leaveLobby(ctx: GrantedContext, params: { lobby: string }): Promise<null> {
  await engineRequestIfRunning('lobby.leave', ctx.origin, { ...params, owner: ownerOf(ctx) })
  return null
}

export function retainedSessionData(
  ctx: GrantedContext,
  params: { name: string },
): Promise<RetainedSessionData> {
  return retained(ctx.origin, params.name)
}

/** A document's port closed (unload, navigation, tab closed): its lobbies close. */
export function documentGone(owner: GoneFrames): void {
  engineRequestIfRunning('frames.gone', null, owner).catch(() => undefined)
}

/** The engine went away: the pages' bridges close the lobbies they hold (see ENGINE_LOST). */
export function engineLost(pages: ReadonlyArray<{ origin: string; frame: FrameOwner }>): void {
  for (const { origin, frame } of pages) {
    const target = frame.documentId
      ? { frameId: frame.frameId, documentId: frame.documentId }
      : { frameId: frame.frameId }
    chrome.tabs
      .sendMessage(frame.tabId, { t: 'evt', name: ENGINE_LOST, origin }, target)
      .catch(() => undefined)
  }
}

/** A notice from the engine: an event for one document, or a value to retain. */
export async function onEngineNotice(raw: Record<string, unknown>): Promise<void> {
  const origin = own(raw, 'origin')
  if (typeof origin !== 'string') return
  if (own(raw, 't') === 'retain-own') {
    const name = own(raw, 'name')
    const data = own(raw, 'data')
    if (typeof name === 'string' && typeof data === 'string') await retainOwn(origin, name, data)
    return
  }
  if (own(raw, 't') === 'retain') {
    const name = own(raw, 'name')
    const identity = own(raw, 'identity')
    const data = own(raw, 'data')
    if (typeof name === 'string' && typeof identity === 'string' && typeof data === 'string') {
      await retainPeer(origin, name, identity, data)
    }
    return
  }
  const to = parseFrameOwner(own(raw, 'to'))
  const lobby = own(raw, 'lobby')
  if (own(raw, 't') !== 'evt' || !to || !isHandle(lobby)) return
  const message = {
    t: 'evt',
    name: own(raw, 'name'),
    data: own(raw, 'data'),
    lobby,
    seq: own(raw, 'seq'),
    origin,
  }
  // Over the document's own port when it has one open (it does while in a
  // lobby): several times quicker than a tabs.sendMessage per event.
  const port = pagePortOf(to)
  if (port) {
    try {
      port.postMessage(message)
      return
    } catch {
      // Disconnected meanwhile: try the other way.
    }
  }
  const target = to.documentId
    ? { frameId: to.frameId, documentId: to.documentId }
    : { frameId: to.frameId }
  try {
    await chrome.tabs.sendMessage(to.tabId, message, target)
  } catch (err) {
    // Nobody there any more: the document went away while we were not looking.
    if (/receiving end does not exist|no tab with id|no frame with id/i.test(String(err))) {
      documentGone(to)
    }
  }
}
