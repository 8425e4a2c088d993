/** The admin API's parameter checks: what the service worker refuses before the engine sees it. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { P2PError } from '../errors.js'
import { adminParams } from './admin.js'

const isAdminMethod = (m: string) => adminParams.has(m)
const checkAdminParams = (m: Parameters<typeof adminParams.params>[0], raw: unknown) =>
  adminParams.params(m, raw)

const URL = `hyper://${'a'.repeat(64)}`

function refused(fn: () => unknown, message: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof P2PError)
    assert.equal(err.code, 'invalid-argument')
    assert.match(err.message, message)
    return true
  })
}

describe('admin params', () => {
  it('knows the admin methods and nothing else', () => {
    assert.equal(isAdminMethod('identities.rename'), true)
    assert.equal(isAdminMethod('identity'), false)
    assert.equal(isAdminMethod('toString'), false)
  })

  it('passes well-formed calls through as fresh objects', () => {
    assert.equal(checkAdminParams('identities.list', undefined), undefined)
    assert.deepEqual(checkAdminParams('identities.create', undefined), {})
    assert.deepEqual(checkAdminParams('identities.create', { name: 'A' }), { name: 'A' })
    assert.deepEqual(checkAdminParams('identities.rename', { url: URL, name: 'B' }), {
      url: URL,
      name: 'B',
    })
    assert.deepEqual(checkAdminParams('identities.delete', { url: URL, confirm: true }), {
      url: URL,
      confirm: true,
    })
    assert.deepEqual(checkAdminParams('identities.import', { text: 'x', takeOver: true }), {
      text: 'x',
      takeOver: true,
    })
  })

  it('refuses missing confirmation, unknown parameters and wrong types', () => {
    refused(() => checkAdminParams('identities.delete', { url: URL }), /confirm: true/)
    refused(() => checkAdminParams('identities.delete', { url: URL, confirm: 'yes' }), /confirm/)
    refused(() => checkAdminParams('identities.rename', { url: URL, name: 'B', x: 1 }), /"x"/)
    refused(() => checkAdminParams('identities.rename', { url: URL }), /name/)
    refused(() => checkAdminParams('identities.import', { text: 'x', takeOver: 1 }), /takeOver/)
    refused(() => checkAdminParams('identities.export', 'hyper://'), /object/)
    refused(() => checkAdminParams('identities.list', { all: true }), /no arguments/)
  })
})
