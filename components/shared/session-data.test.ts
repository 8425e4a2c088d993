/// <reference types="mocha" />
import { expect } from '@open-wc/testing'
import { fakePeer } from '../test-support/fake-provider.js'
import { clean, defaultStatus, MAX_STATUS_LENGTH, statusOf } from './session-data.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('session-data status', () => {
  it('shows text, or the status field of JSON', () => {
    expect(defaultStatus(bytes('Editing page 3'))).to.equal('Editing page 3')
    expect(defaultStatus(bytes('{"status":"Away","x":1}'))).to.equal('Away')
    expect(defaultStatus(bytes('{"x":1}'))).to.equal('{"x":1}')
    expect(defaultStatus(bytes('{not json'))).to.equal('{not json')
  })

  it('shows nothing for binary data', () => {
    expect(defaultStatus(new Uint8Array([0xff, 0xfe, 0x00, 0x80]))).to.equal('')
  })

  it('keeps one short line without control characters', () => {
    expect(clean('a\u0000b\n\tc')).to.equal('a b c')
    const long = clean('x'.repeat(300))
    expect(Array.from(long)).to.have.length(MAX_STATUS_LENGTH)
    expect(long.endsWith('…')).to.equal(true)
  })

  it('uses a formatter, and survives one that throws', () => {
    const peer = fakePeer(null, 'hello')
    expect(statusOf(peer, (d) => `${d.byteLength}`)).to.equal('5')
    expect(
      statusOf(peer, () => {
        throw new Error('bad formatter')
      }),
    ).to.equal('')
    expect(statusOf(fakePeer(null))).to.equal('')
  })
})
