/** The session-data params check: the one place the gatekeeper and a lobby lane apply the size rule. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toBase64 } from '../bytes.js'
import { P2PError } from '../errors.js'
import { assertInvalid } from '../../test/support/assert-p2p.js'
import { checkSetSessionData } from './lobby.js'

const LOBBY = 'ab'.repeat(16)
const of = (n: number) => toBase64(new Uint8Array(n).fill(7))

describe('checkSetSessionData', () => {
  it('passes base64 of up to 256 bytes', () => {
    assert.deepEqual(checkSetSessionData({ lobby: LOBBY, data: of(256) }), {
      lobby: LOBBY,
      data: of(256),
    })
  })

  it('refuses 257 bytes, which the length pre-check lets through', () => {
    assert.ok(of(257).length <= 344)
    assert.throws(
      () => checkSetSessionData({ lobby: LOBBY, data: of(257) }),
      (err: unknown) => err instanceof P2PError && err.code === 'payload-too-large',
    )
  })

  it('refuses what is not base64', () => {
    assertInvalid(() => checkSetSessionData({ lobby: LOBBY, data: 'not base64!' }), /base64/)
  })
})
