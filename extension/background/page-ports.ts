/**
 * The documents with a page port open to this worker now (mostly those in a
 * lobby), by port. Their closing tells the worker a document is gone; while
 * open, they are also the quick way to push that document its events.
 */
import type { FrameOwner } from '../../src/protocol/messages.js'

const openPages = new Map<chrome.runtime.Port, { origin: string; frame: FrameOwner }>()

/** Records an open port of a document in a tab, until it disconnects. */
export function trackPagePort(port: chrome.runtime.Port, origin: string, frame: FrameOwner): void {
  openPages.set(port, { origin, frame })
  port.onDisconnect.addListener(() => openPages.delete(port))
}

/** The documents that have a port to this worker open (each once). */
export function pagesWithPorts(): Array<{ origin: string; frame: FrameOwner }> {
  return [...openPages.values()]
}

/** The open port of exactly this document, if any. */
export function pagePortOf(owner: FrameOwner): chrome.runtime.Port | undefined {
  if (!owner.documentId) return undefined
  for (const [port, { frame }] of openPages) {
    // Same frame and document: a port of an earlier document in that frame is not it.
    if (
      frame.tabId === owner.tabId &&
      frame.frameId === owner.frameId &&
      frame.documentId === owner.documentId
    ) {
      return port
    }
  }
  return undefined
}

/** The document a message or port comes from, as the browser attests it; null outside a tab. */
export function frameOwnerOf(sender: chrome.runtime.MessageSender | undefined): FrameOwner | null {
  if (sender?.tab?.id === undefined || sender.frameId === undefined) return null
  return {
    tabId: sender.tab.id,
    frameId: sender.frameId,
    ...(sender.documentId ? { documentId: sender.documentId } : {}),
  }
}
