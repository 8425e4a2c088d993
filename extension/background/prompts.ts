/**
 * The presence prompt: an extension window that asks the user whether a site
 * may see their presence, and as whom.
 *
 * At most one prompt per origin is open at a time; a second request joins it
 * and brings it to the front. Which prompts are open lives in
 * storage.session, so a restarted worker finds them; the callers waiting for
 * an answer are in memory, and a caller whose worker restarted asks again
 * (requestPermission is idempotent) and joins the same prompt. Closing the
 * window counts as "Don't allow".
 */
import { P2PError } from '../../src/errors.js'
import { mayPromptAgain, type PromptDecision } from '../../src/permissions/grant.js'
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import type { Identity } from '../../src/protocol/messages.js'
import { toOrigin } from './broadcast.js'
import { deniedAt, grantFor, rememberDenial, saveGrant } from './grants.js'
import { createSiteIdentity, identityByUrl, mainIdentity } from './identities.js'
import { SessionMap } from './session-map.js'

export const PROMPT_PATH = 'extension/prompt/prompt.html'
/** Open prompt windows by origin. */
const openPrompts = new SessionMap('prompts')

interface Waiter {
  resolve: (identity: Identity) => void
  reject: (err: P2PError) => void
}
const waiters = new Map<string, Set<Waiter>>()

function waitForDecision(origin: string): Promise<Identity> {
  return new Promise((resolve, reject) => {
    const set = waiters.get(origin) ?? new Set<Waiter>()
    set.add({ resolve, reject })
    waiters.set(origin, set)
  })
}

function settle(origin: string, outcome: { identity: Identity } | { error: P2PError }): void {
  const set = waiters.get(origin)
  waiters.delete(origin)
  for (const w of set ?? []) {
    if ('identity' in outcome) w.resolve(outcome.identity)
    else w.reject(outcome.error)
  }
}

/** Focuses the origin's open prompt, or opens one. */
async function showPrompt(origin: string): Promise<void> {
  const existing = await openPrompts.get(origin)
  if (existing !== undefined) {
    try {
      await chrome.windows.update(existing, { focused: true, drawAttention: true })
      return
    } catch {
      // The window is gone (closed while the worker slept): open a new one.
    }
  }
  const url = `${chrome.runtime.getURL(PROMPT_PATH)}?origin=${encodeURIComponent(origin)}`
  const win = await chrome.windows.create({
    url,
    type: 'popup',
    width: 440,
    height: 620,
    focused: true,
  })
  if (win?.id === undefined) throw P2PError.from(new Error('could not open the permission prompt'))
  await openPrompts.set(origin, win.id)
}

/** `p2p.requestPermission()` for `origin`. */
export async function requestPermission(
  origin: string | null,
  gesture: boolean,
): Promise<Identity> {
  if (!isGrantableOrigin(origin)) {
    throw P2PError.PERMISSION_DENIED('presence can only be granted to http(s) sites')
  }
  const grant = await grantFor(origin)
  if (grant) return identityByUrl(grant.identity)
  if (!mayPromptAgain(await deniedAt(origin), Date.now(), gesture)) {
    throw P2PError.PERMISSION_DENIED(
      'the user chose "Don\'t allow" for this site; ask again after a click in the page, or later',
    )
  }
  const decision = waitForDecision(origin)
  try {
    await showPrompt(origin)
  } catch (err) {
    settle(origin, { error: P2PError.from(err) })
  }
  return decision
}

/** The user's answer, from the prompt page (or the window closing). */
export async function decide(origin: string, decision: PromptDecision): Promise<void> {
  const windowId = await openPrompts.get(origin)
  await openPrompts.set(origin, null)
  if (decision.allow) {
    try {
      const identity =
        decision.identity === 'main' ? await mainIdentity() : await createSiteIdentity(origin)
      await saveGrant({
        origin,
        identity: identity.url,
        friends: decision.friends,
        grantedAt: Date.now(),
      })
      settle(origin, { identity })
      await toOrigin(origin, 'permissionchange', { state: 'granted' })
    } catch (err) {
      settle(origin, { error: P2PError.from(err) })
    }
  } else {
    await rememberDenial(origin, Date.now())
    settle(origin, { error: P2PError.PERMISSION_DENIED() })
    await toOrigin(origin, 'permissionchange', { state: 'denied' })
  }
  if (windowId !== undefined) await chrome.windows.remove(windowId).catch(() => undefined)
}

/** A window closed: if it was a prompt still waiting, that is "Don't allow". */
export async function onWindowRemoved(windowId: number): Promise<void> {
  const open = await openPrompts.all()
  const origin = Object.keys(open).find((o) => open[o] === windowId)
  if (origin) await decide(origin, { allow: false, identity: 'main', friends: false })
}
