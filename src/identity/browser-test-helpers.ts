/** Shared by the identity module's browser tests. */
import { assert } from 'chai'
import { P2PError } from '../errors.js'

let counter = 0

/** A database name no other test uses. */
export function freshName(what: string): string {
  return `${what}-test-${Date.now()}-${counter++}`
}

/** Asserts that `fn` fails with a P2PError of `code` (and a message matching `message`). */
export async function expectP2PError(
  fn: () => Promise<unknown> | unknown,
  code: string,
  message?: RegExp,
): Promise<P2PError> {
  try {
    await fn()
  } catch (err) {
    assert.instanceOf(err, P2PError)
    const e = err as P2PError
    assert.equal(e.code, code, e.message)
    if (message) assert.match(e.message, message)
    return e
  }
  throw new Error(`expected a ${code} error`)
}
