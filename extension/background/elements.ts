/**
 * Scripts injected into pages on demand: the content bridge's relay, and the
 * <p2p-*> elements.
 *
 * The relay goes into the isolated world of the one document whose loader
 * asked (see LOAD_RELAY in src/protocol/handshake.ts).
 *
 * Defining the <p2p-*> elements in a page. The page script asks only when the
 * page uses an element or calls the API, so pages that never do carry just
 * the small page script. The bundle is injected with `scripting` into the
 * page's MAIN world, which the page's Content-Security-Policy does not block
 * (an `import()` of an extension URL from the page would be).
 */
import { P2PError } from '../../src/errors.js'
import { LOAD_RELAY, RELAY_FILE } from '../../src/protocol/handshake.js'

export const ELEMENTS_FILE = 'elements.js'

export async function defineElements(
  frame: { tabId: number; frameId: number } | null,
): Promise<void> {
  if (!frame) throw P2PError.INVALID_ARGUMENT('elements can only be defined in a web page')
  await chrome.scripting.executeScript({
    target: { tabId: frame.tabId, frameIds: [frame.frameId] },
    world: 'MAIN',
    files: [ELEMENTS_FILE],
    injectImmediately: true,
  })
}

/**
 * `runtime.onMessage` listener: injects the relay for a content bridge that
 * asks. Answers true once the relay ran, false if it could not be injected;
 * ignores anything else (it returns false: no answer is coming).
 */
export function onRelayRequest(
  message: unknown,
  sender: chrome.runtime.MessageSender,
  respond: (ok: boolean) => void,
): boolean {
  const tabId = sender.tab?.id
  const documentId = sender.documentId
  if (message !== LOAD_RELAY || sender.id !== chrome.runtime.id) return false
  if (tabId === undefined || documentId === undefined) return false
  chrome.scripting
    .executeScript({
      target: { tabId, documentIds: [documentId] },
      files: [RELAY_FILE],
      injectImmediately: true,
    })
    .then(
      () => respond(true),
      () => respond(false),
    )
  return true
}
