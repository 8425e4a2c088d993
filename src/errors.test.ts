import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { P2PError } from './errors.js'

describe('P2PError', () => {
  it('carries its code in the message and survives the wire', () => {
    const err = P2PError.PAYLOAD_TOO_LARGE(300, 256)
    assert.equal(err.code, 'payload-too-large')
    assert.match(err.message, /^payload-too-large: 300 bytes/)
    const back = P2PError.fromWire(JSON.parse(JSON.stringify(err.toWire())))
    assert.ok(back instanceof P2PError)
    assert.equal(back.code, 'payload-too-large')
    assert.equal(back.message, err.message)
  })

  it('rebuilds garbage as internal and caps long messages', () => {
    assert.equal(P2PError.fromWire(null).code, 'internal')
    assert.equal(P2PError.fromWire({ code: 'toString' }).code, 'internal')
    const long = P2PError.fromWire({ code: 'timeout', message: 'x'.repeat(10_000) })
    assert.ok(long.message.length < 600)
  })

  it('keeps the code of an error that already is one', () => {
    const err = P2PError.RATE_LIMITED()
    assert.equal(P2PError.from(err), err)
    assert.equal(P2PError.from(new TypeError('boom')).code, 'internal')
  })
})
