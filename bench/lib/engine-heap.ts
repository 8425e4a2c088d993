/**
 * The engine document's JavaScript heap, read over CDP. Playwright does not
 * hand out the offscreen document as a page, so a tab's CDP session attaches
 * to it through the Target domain and sends it two commands: collect
 * garbage, then report heap usage.
 */
import type { CDPSession } from 'playwright-core'
import type { Profile } from '../../scripts/lib/chromium.js'

interface TargetInfo {
  targetId: string
  type: string
  url: string
}

/** Sends one CDP command to an attached (non-flat) target session and waits for its answer. */
function sendToTarget(cdp: CDPSession, sessionId: string, method: string): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 15_000)
    const onMessage = (e: { sessionId: string; message: string }) => {
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown }
      if (e.sessionId !== sessionId || msg.id !== id) return
      clearTimeout(timer)
      cdp.off('Target.receivedMessageFromTarget', onMessage)
      if (msg.error) reject(new Error(`${method}: ${JSON.stringify(msg.error)}`))
      else resolve(msg.result)
    }
    cdp.on('Target.receivedMessageFromTarget', onMessage)
    void cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method }),
    })
  })
}

/** Used JS heap of the engine document of `profile`, in bytes, after a garbage collection. */
export async function engineHeapBytes(profile: Profile): Promise<number> {
  const tab = await profile.context.newPage()
  const cdp = await profile.context.newCDPSession(tab)
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] }
    const scope = `chrome-extension://${profile.extensionId}/extension/engine/engine.html`
    const engine = targetInfos.find((t) => t.url.startsWith(scope))
    if (!engine) throw new Error('the engine document is not running')
    const { sessionId } = (await cdp.send('Target.attachToTarget', {
      targetId: engine.targetId,
      flatten: false,
    })) as { sessionId: string }
    await sendToTarget(cdp, sessionId, 'HeapProfiler.collectGarbage')
    const usage = (await sendToTarget(cdp, sessionId, 'Runtime.getHeapUsage')) as {
      usedSize: number
    }
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined)
    return usage.usedSize
  } finally {
    await cdp.detach().catch(() => undefined)
    await tab.close()
  }
}
