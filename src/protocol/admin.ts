/**
 * Calls from the extension's own pages (popup, prompt, options) to the
 * service worker, over the PORT_ADMIN port. The service worker accepts that
 * port only from pages of the extension's own origin.
 */
import { P2PError } from '../errors.js'
import type { Grant, PromptDecision } from '../permissions/grant.js'
import { isGrantableOrigin } from '../permissions/origin.js'
import type { Identity } from './messages.js'
import { noParams, Validator } from './params.js'
import { isRecord, own } from './validate.js'

export interface PromptInfo {
  origin: string
  /** The identity the site would see if the user picks the main one. */
  main: Identity
}

export interface AdminMethods {
  'grants.list': { params: undefined; result: Grant[] }
  'grants.revoke': { params: { origin: string }; result: null }
  'prompt.info': { params: { origin: string }; result: PromptInfo }
  'prompt.decide': { params: { origin: string } & PromptDecision; result: null }
  /** Sent by an open prompt so the worker stays up while the user decides. */
  'prompt.keepalive': { params: undefined; result: null }
  'settings.trackers': { params: undefined; result: string[] }
}
export type AdminMethod = keyof AdminMethods

function originParam(raw: unknown): { origin: string } {
  const origin = isRecord(raw) ? own(raw, 'origin') : undefined
  if (typeof origin !== 'string' || !isGrantableOrigin(origin)) {
    throw P2PError.INVALID_ARGUMENT('origin must be an http(s) origin')
  }
  return { origin }
}

export const adminParams = new Validator<AdminMethods>({
  'grants.list': noParams('grants.list'),
  'grants.revoke': originParam,
  'prompt.info': originParam,
  'prompt.decide': (raw) => {
    const { origin } = originParam(raw)
    const r = raw as Record<string, unknown>
    const allow = own(r, 'allow')
    const identity = own(r, 'identity')
    if (typeof allow !== 'boolean') throw P2PError.INVALID_ARGUMENT('allow must be a boolean')
    if (identity !== 'main' && identity !== 'site') {
      throw P2PError.INVALID_ARGUMENT('identity must be "main" or "site"')
    }
    return { origin, allow, identity, friends: own(r, 'friends') === true }
  },
  'prompt.keepalive': noParams('prompt.keepalive'),
  'settings.trackers': noParams('settings.trackers'),
})
