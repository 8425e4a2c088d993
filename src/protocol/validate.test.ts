import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_REQUEST_BYTES } from './messages.js'
import { parseEvent, parseRequest, parseResponse } from './validate.js'

describe('parseRequest', () => {
  it('accepts a well-formed request and copies only its fields', () => {
    const parsed = parseRequest({ t: 'req', id: 7, method: 'permission', extra: 'dropped' })
    assert.deepEqual(parsed, { ok: true, value: { t: 'req', id: 7, method: 'permission' } })
  })

  it('keeps JSON params', () => {
    const parsed = parseRequest({ t: 'req', id: 1, method: 'x', params: { a: [1, 'b'] } })
    assert.ok(parsed.ok)
    assert.deepEqual(parsed.value.params, { a: [1, 'b'] })
  })

  for (const [what, raw] of [
    ['null', null],
    ['a string', 'req'],
    ['an array', [1, 2]],
    ['a response', { t: 'res', id: 1 }],
    ['no id', { t: 'req', method: 'permission' }],
    ['a negative id', { t: 'req', id: -1, method: 'permission' }],
    ['a fractional id', { t: 'req', id: 1.5, method: 'permission' }],
    ['a string id', { t: 'req', id: '1', method: 'permission' }],
    ['an inherited t', Object.create({ t: 'req', id: 1, method: 'permission' })],
  ] as const) {
    it(`refuses ${what} without an id to answer`, () => {
      const parsed = parseRequest(raw)
      assert.equal(parsed.ok, false)
      if (!parsed.ok) {
        assert.equal(parsed.id, null)
        assert.equal(parsed.error.code, 'invalid-argument')
      }
    })
  }

  it('answers a bad method with the request id', () => {
    for (const method of ['', 42, 'x'.repeat(65), null]) {
      const parsed = parseRequest({ t: 'req', id: 3, method })
      assert.equal(parsed.ok, false)
      if (!parsed.ok) {
        assert.equal(parsed.id, 3)
        assert.equal(parsed.error.code, 'invalid-argument')
      }
    }
  })

  it('refuses params over the size limit with payload-too-large', () => {
    const parsed = parseRequest({
      t: 'req',
      id: 4,
      method: 'm',
      params: 'x'.repeat(MAX_REQUEST_BYTES),
    })
    assert.equal(parsed.ok, false)
    if (!parsed.ok) assert.equal(parsed.error.code, 'payload-too-large')
  })

  it('refuses params that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const params of [cyclic, 10n]) {
      const parsed = parseRequest({ t: 'req', id: 5, method: 'm', params })
      assert.equal(parsed.ok, false)
      if (!parsed.ok) assert.equal(parsed.error.code, 'invalid-argument')
    }
  })

  it('leaves prototype keys inert', () => {
    const raw: unknown = JSON.parse(
      '{"t":"req","id":1,"method":"m","params":{"__proto__":{"polluted":1}}}',
    )
    const parsed = parseRequest(raw)
    assert.ok(parsed.ok)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })
})

describe('parseResponse / parseEvent', () => {
  it('rebuilds an error response with a known code', () => {
    const res = parseResponse({
      t: 'res',
      id: 2,
      ok: false,
      error: { code: 'timeout', message: 'slow' },
    })
    assert.deepEqual(res, {
      t: 'res',
      id: 2,
      ok: false,
      error: { code: 'timeout', message: 'slow' },
    })
  })

  it('turns an unknown error code into internal', () => {
    const res = parseResponse({ t: 'res', id: 2, ok: false, error: { code: 'nope', message: 'x' } })
    assert.equal(res?.ok, false)
    if (res && !res.ok) assert.equal(res.error.code, 'internal')
  })

  it('drops malformed responses and events', () => {
    assert.equal(parseResponse({ t: 'res', id: 'x', ok: true }), null)
    assert.equal(parseResponse('res'), null)
    assert.equal(parseEvent({ t: 'evt', name: '' }), null)
    assert.equal(parseEvent({ t: 'evt', name: 1 }), null)
    assert.deepEqual(
      parseEvent({ t: 'evt', name: 'permissionchange', data: { state: 'granted' } }),
      {
        t: 'evt',
        name: 'permissionchange',
        data: { state: 'granted' },
      },
    )
  })
})
