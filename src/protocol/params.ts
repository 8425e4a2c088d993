/**
 * Per-method parameter checks for the page API. The gatekeeper runs these on
 * every request before anything else sees the params; a failure is
 * `invalid-argument` with a message that says what was wrong.
 */
import { P2PError } from '../errors.js'
import type { PageMethod, PageMethods } from './messages.js'

type Check<M extends PageMethod> = (raw: unknown) => PageMethods[M]['params']

export function none(method: string) {
  return (raw: unknown): undefined => {
    if (raw !== undefined && raw !== null) {
      throw P2PError.INVALID_ARGUMENT(`${method}() takes no arguments`)
    }
    return undefined
  }
}

const CHECKS: { [M in PageMethod]: Check<M> } = {
  permission: none('permission'),
  status: none('status'),
  identity: none('identity'),
}

export function isPageMethod(method: string): method is PageMethod {
  return Object.hasOwn(CHECKS, method)
}

/** Validates `params` for `method`, throwing `invalid-argument` when they do not fit. */
export function checkParams<M extends PageMethod>(
  method: M,
  raw: unknown,
): PageMethods[M]['params'] {
  return CHECKS[method](raw)
}
