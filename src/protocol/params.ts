/**
 * Per-method parameter checks. The receiving side runs these on every request
 * before anything else sees the params; a failure is `invalid-argument` with a
 * message that says what was wrong.
 */
import { P2PError } from '../errors.js'
import { checkHandle, checkJoin, checkRetained, checkSetSessionData } from './lobby.js'
import { checkHandleModule, checkPost } from './lobby-messages.js'
import type { PageMethod, PageMethods } from './messages.js'
import { checkHost, checkInvite } from './sessions.js'

/** A method map (an interface of method name → { params, result }). */
type MethodMap<T> = { [M in keyof T]: { params: unknown; result: unknown } }

/** One check per method of `T`, turning raw params into typed ones or throwing. */
export type Checks<T extends MethodMap<T>> = { [M in keyof T]: (raw: unknown) => T[M]['params'] }

/** The check of a method that takes no params. */
export function noParams(method: string) {
  return (raw: unknown): undefined => {
    if (raw !== undefined && raw !== null) {
      throw P2PError.INVALID_ARGUMENT(`${method}() takes no arguments`)
    }
    return undefined
  }
}

/** A validator over a map of checks: whether a name is a method, and its checked params. */
export class Validator<T extends MethodMap<T>> {
  constructor(private readonly checks: Checks<T>) {}

  has(method: string): method is Extract<keyof T, string> {
    return Object.hasOwn(this.checks, method)
  }

  params<M extends keyof T>(method: M, raw: unknown): T[M]['params'] {
    return this.checks[method](raw)
  }
}

export const pageParams = new Validator<PageMethods>({
  permission: noParams('permission'),
  requestPermission: noParams('requestPermission'),
  revokePermission: noParams('revokePermission'),
  status: noParams('status'),
  loadElements: noParams('loadElements'),
  identity: noParams('identity'),
  joinLobby: checkJoin,
  'lobby.setSessionData': checkSetSessionData,
  'lobby.leave': checkHandle('leave'),
  retainedSessionData: checkRetained,
  host: checkHost,
  friends: noParams('friends'),
  createInvite: noParams('createInvite'),
  acceptInvite: checkInvite,
  joinIntent: noParams('joinIntent'),
  'lobby.post': checkPost,
  'lobby.handle': checkHandleModule,
})

export function isPageMethod(method: string): method is PageMethod {
  return pageParams.has(method)
}

/** Validates `params` for `method`, throwing `invalid-argument` when they do not fit. */
export function checkParams<M extends PageMethod>(
  method: M,
  raw: unknown,
): PageMethods[M]['params'] {
  return pageParams.params(method, raw)
}
