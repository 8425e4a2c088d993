/** ICE server checks: what the options page and the build may configure, and what is refused. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { adminParams } from './admin.js'
import {
  checkIceServers,
  iceFromEnv,
  iceServerView,
  isIceUrl,
  MAX_ICE_SERVERS,
  PUBLIC_STUN,
} from './ice.js'
import { assertInvalid } from '../../test/support/assert-p2p.js'

describe('ICE servers', () => {
  it('takes stun:, stuns:, turn: and turns: URLs Chromium understands', () => {
    for (const url of [
      'stun:stun.l.google.com:19302',
      'stun:203.0.113.1',
      'stuns:stun.example.org:5349',
      'turn:203.0.113.1:3478?transport=udp',
      'turns:turn.example.org:443?transport=tcp',
      'turn:[2001:db8::1]:3478',
    ]) {
      assert.equal(isIceUrl(url), true, url)
    }
    for (const url of [
      'http://stun.example.org',
      'stun:',
      'stun:host:0',
      'stun:host:70000',
      'stun:host?transport=udp',
      'turn:user@host',
      'stun:host name',
      `stun:${'a'.repeat(300)}`,
    ]) {
      assert.equal(isIceUrl(url), false, url)
    }
  })

  it('needs TURN credentials and refuses them on STUN', () => {
    const turn = { urls: 'turn:203.0.113.1:3478', username: 'u', credential: 'p' }
    assert.deepEqual(checkIceServers([turn], 'x'), [turn])
    assertInvalid(() => checkIceServers([{ urls: 'turn:203.0.113.1' }], 'x'), /needs a username/)
    assertInvalid(
      () => checkIceServers([{ urls: 'turn:203.0.113.1', username: 'u' }], 'x'),
      /and a credential/,
    )
    // The options page re-sends a TURN server without its credential (kept by the worker).
    assert.deepEqual(checkIceServers([{ urls: 'turn:h', username: 'u' }], 'x', true), [
      { urls: 'turn:h', username: 'u' },
    ])
    assertInvalid(
      () => checkIceServers([{ urls: 'stun:h', username: 'u', credential: 'p' }], 'x'),
      /STUN server takes no username/,
    )
    assertInvalid(
      () => checkIceServers([{ urls: 'stun:h', extra: 1 }], 'x'),
      /unknown field "extra"/,
    )
    assertInvalid(
      () => checkIceServers([{ urls: 'turn:h', username: '', credential: 'p' }], 'x'),
      /1–/,
    )
    assertInvalid(
      () => checkIceServers([{ urls: 'turn:h', username: 'u', credential: 'p'.repeat(257) }], 'x'),
      /credential must be/,
    )
  })

  it('caps the list and merges duplicates', () => {
    const many = Array.from({ length: MAX_ICE_SERVERS + 1 }, (_, i) => ({ urls: `stun:h${i}` }))
    assertInvalid(() => checkIceServers(many, 'x'), /0–8 servers/)
    assertInvalid(() => checkIceServers('stun:h', 'x'), /0–8 servers/)
    assert.deepEqual(checkIceServers([{ urls: 'stun:h' }, { urls: 'stun:h' }], 'x'), [
      { urls: 'stun:h' },
    ])
    assert.deepEqual(checkIceServers([], 'x'), [])
  })

  it('shows the options page no credential', () => {
    const view = iceServerView({ urls: 'turn:h', username: 'u', credential: 'secret' })
    assert.deepEqual(view, { urls: 'turn:h', username: 'u', hasCredential: true })
    assert.doesNotMatch(JSON.stringify(view), /secret/)
  })

  it('reads PORCHLIGHT_ICE: public STUN by default, none, URLs or JSON', () => {
    assert.deepEqual(iceFromEnv(undefined), PUBLIC_STUN)
    assert.deepEqual(iceFromEnv(''), PUBLIC_STUN)
    assert.deepEqual(iceFromEnv('  '), PUBLIC_STUN)
    assert.deepEqual(iceFromEnv('public'), PUBLIC_STUN)
    assert.deepEqual(iceFromEnv('none'), [])
    assert.deepEqual(iceFromEnv(' none '), [])
    // The default is a list real browsers can use: STUN only, valid, within the cap.
    assert.ok(PUBLIC_STUN.length > 0 && PUBLIC_STUN.length <= MAX_ICE_SERVERS)
    assert.deepEqual(checkIceServers([...PUBLIC_STUN], 'x'), PUBLIC_STUN)
    for (const server of PUBLIC_STUN) assert.match(server.urls, /^stun:/)
    assert.deepEqual(iceFromEnv('stun:a:1, stun:b:2'), [{ urls: 'stun:a:1' }, { urls: 'stun:b:2' }])
    const turn = [{ urls: 'turn:t:3478', username: 'u', credential: 'p' }]
    assert.deepEqual(iceFromEnv(JSON.stringify(turn)), turn)
    assertInvalid(() => iceFromEnv('turn:t:3478'), /needs a username/)
    assertInvalid(() => iceFromEnv('[oops'), /not valid JSON/)
  })

  it('settings.setIce checks its servers', () => {
    const servers = [{ urls: 'stun:h:1' }]
    assert.deepEqual(adminParams.params('settings.setIce', { servers }), { servers })
    assertInvalid(
      () => adminParams.params('settings.setIce', { servers, more: 1 }),
      /unknown parameter/,
    )
    assertInvalid(
      () => adminParams.params('settings.setIce', { servers: [{ urls: 'ws://h' }] }),
      /URL/,
    )
  })
})
