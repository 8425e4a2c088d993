/** The admin API's parameter checks: what the service worker refuses before the engine sees it. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { adminParams } from './admin.js'
import { assertInvalid } from '../../test/support/assert-p2p.js'

const isAdminMethod = (m: string) => adminParams.has(m)
const checkAdminParams = (m: Parameters<typeof adminParams.params>[0], raw: unknown) =>
  adminParams.params(m, raw)

const URL = `hyper://${'a'.repeat(64)}`

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
    assertInvalid(() => checkAdminParams('identities.delete', { url: URL }), /confirm: true/)
    assertInvalid(
      () => checkAdminParams('identities.delete', { url: URL, confirm: 'yes' }),
      /confirm/,
    )
    assertInvalid(() => checkAdminParams('identities.rename', { url: URL, name: 'B', x: 1 }), /"x"/)
    assertInvalid(() => checkAdminParams('identities.rename', { url: URL }), /name/)
    assertInvalid(
      () => checkAdminParams('identities.import', { text: 'x', takeOver: 1 }),
      /takeOver/,
    )
    assertInvalid(() => checkAdminParams('identities.export', 'hyper://'), /object/)
    assertInvalid(() => checkAdminParams('identities.list', { all: true }), /no arguments/)
  })
})
