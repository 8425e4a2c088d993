/**
 * Assertions on P2PError for unit tests: one check of "refused with a typed
 * `invalid-argument`", shared by the protocol and identity format tests.
 */
import assert from 'node:assert/strict'
import { P2PError } from '../../src/errors.js'

/** `fn` throws a P2PError with code `invalid-argument` (and a message matching `message`). */
export function assertInvalid(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof P2PError)
    assert.equal(err.code, 'invalid-argument')
    if (message) assert.match(err.message, message)
    return true
  })
}
