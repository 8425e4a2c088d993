/**
 * Service worker entry. Listeners are registered synchronously at top level so
 * a worker woken by an event finds them; no state lives only in memory.
 */
import { PORT_ADMIN, PORT_ENGINE, PORT_PAGE } from '../../src/protocol/messages.js'
import { acceptAdminPort } from './admin.js'
import { onRelayRequest } from './elements.js'
import { acceptEnginePort, setEngineLostHandler, setNoticeHandler } from './engine-link.js'
import { onFriendsNotice } from './friends.js'
import { acceptPagePort } from './gatekeeper.js'
import { onLaneMessage, onLaneOpen, type WorkerMessageEvent } from './lanes.js'
import { documentGone, engineLost, onEngineNotice } from './lobbies.js'
import { pagesWithPorts } from './page-ports.js'
import { onWindowRemoved } from './prompts.js'

chrome.runtime.onConnect.addListener((port) => {
  if (port.name === PORT_PAGE) acceptPagePort(port)
  else if (port.name === PORT_ADMIN) acceptAdminPort(port)
  else if (port.name === PORT_ENGINE) acceptEnginePort(port)
  else port.disconnect()
})

chrome.runtime.onMessage.addListener(onRelayRequest)
chrome.runtime.onMessage.addListener(onLaneOpen)
self.addEventListener('message', (event) => onLaneMessage(event as unknown as WorkerMessageEvent))
chrome.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId))
chrome.tabs.onRemoved.addListener((tabId) => documentGone({ tabId }))
setNoticeHandler((notice) =>
  notice.t === 'friends' ? void onFriendsNotice(notice) : void onEngineNotice(notice),
)
setEngineLostHandler(() => engineLost(pagesWithPorts()))
