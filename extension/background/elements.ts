/**
 * Defining the <p2p-*> elements in a page. The page script asks only when the
 * page uses an element or calls the API, so pages that never do carry just
 * the small page script. The bundle is injected with `scripting` into the
 * page's MAIN world, which the page's Content-Security-Policy does not block
 * (an `import()` of an extension URL from the page would be).
 */
import { P2PError } from '../../src/errors.js'

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
