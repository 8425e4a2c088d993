/**
 * Parameter checks for the admin API (AdminMethods), run by the service
 * worker on every call from the extension's own pages before the engine
 * sees it. Trusted callers still send malformed data by mistake: a failure is
 * `invalid-argument` saying what was wrong.
 */
import { P2PError } from '../errors.js'
import type { AdminMethod, AdminMethods } from './messages.js'
import { none } from './params.js'
import { isRecord, own } from './validate.js'

/** Longest export text the admin API carries, in characters. */
export const MAX_IMPORT_CHARS = 8 * 1024 * 1024

type Check<M extends AdminMethod> = (raw: unknown) => AdminMethods[M]['params']

function object(method: string, raw: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isRecord(raw)) throw P2PError.INVALID_ARGUMENT(`${method} takes an object`)
  const extra = Object.keys(raw).find((k) => !keys.includes(k))
  if (extra !== undefined) {
    throw P2PError.INVALID_ARGUMENT(`${method}: unknown parameter "${extra.slice(0, 40)}"`)
  }
  return raw
}

function string(method: string, obj: Record<string, unknown>, key: string, max: number): string {
  const value = own(obj, key)
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw P2PError.INVALID_ARGUMENT(`${method}: ${key} must be a string of 1–${max} characters`)
  }
  return value
}

const url = (method: string, obj: Record<string, unknown>) => string(method, obj, 'url', 200)
const name = (method: string, obj: Record<string, unknown>) => string(method, obj, 'name', 256)

const CHECKS: { [M in AdminMethod]: Check<M> } = {
  'identities.list': none('identities.list'),
  'identities.main': none('identities.main'),
  'identities.setMain': (raw) => ({ url: url('setMain', object('setMain', raw, ['url'])) }),
  'identities.create': (raw) => {
    if (raw === undefined || raw === null) return {}
    const obj = object('create', raw, ['name'])
    return own(obj, 'name') === undefined ? {} : { name: name('create', obj) }
  },
  'identities.rename': (raw) => {
    const obj = object('rename', raw, ['url', 'name'])
    return { url: url('rename', obj), name: name('rename', obj) }
  },
  'identities.delete': (raw) => {
    const obj = object('delete', raw, ['url', 'confirm'])
    if (own(obj, 'confirm') !== true) {
      throw P2PError.INVALID_ARGUMENT(
        'delete: deleting an identity cannot be undone; pass confirm: true once the user confirmed',
      )
    }
    return { url: url('delete', obj), confirm: true }
  },
  'identities.export': (raw) => ({ url: url('export', object('export', raw, ['url'])) }),
  'identities.import': (raw) => {
    const obj = object('import', raw, ['text', 'takeOver'])
    const takeOver = own(obj, 'takeOver')
    if (takeOver !== undefined && typeof takeOver !== 'boolean') {
      throw P2PError.INVALID_ARGUMENT('import: takeOver must be a boolean')
    }
    const text = string('import', obj, 'text', MAX_IMPORT_CHARS)
    return takeOver === undefined ? { text } : { text, takeOver }
  },
}

export function isAdminMethod(method: string): method is AdminMethod {
  return Object.hasOwn(CHECKS, method)
}

/** Validates `params` for the admin call `method`, throwing `invalid-argument` when they do not fit. */
export function checkAdminParams<M extends AdminMethod>(
  method: M,
  raw: unknown,
): AdminMethods[M]['params'] {
  return CHECKS[method](raw)
}
