import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isGrantableOrigin, senderOrigin } from './origin.js'

describe('origins', () => {
  it('grants only http(s) origins', () => {
    assert.equal(isGrantableOrigin('https://example.com'), true)
    assert.equal(isGrantableOrigin('http://127.0.0.1:8080'), true)
    for (const bad of [
      null,
      '',
      'null',
      'file://',
      'data:text/html,hi',
      'chrome-extension://abcdefghijklmnop',
      'https://example.com/path',
      'javascript:alert(1)',
    ]) {
      assert.equal(isGrantableOrigin(bad), false, String(bad))
    }
  })

  it('reads the origin the browser attests, never anything else', () => {
    assert.equal(senderOrigin({ origin: 'https://a.example' }), 'https://a.example')
    assert.equal(senderOrigin({ origin: 'null' }), null)
    assert.equal(senderOrigin({ url: 'https://b.example/page?x=1' }), 'https://b.example')
    assert.equal(senderOrigin({ url: 'data:text/html,x' }), null)
    assert.equal(senderOrigin(undefined), null)
  })
})
