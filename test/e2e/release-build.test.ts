/**
 * A release build (`npm run build`: `PORCHLIGHT_TEST_HOOKS` is off unless set) has no test hooks: the admin
 * call tests use to shorten session.json's heartbeat answers `not-supported`
 * there, while the same call works in the test build (`npm run build:test`,
 * which hosting.test.ts relies on) and ordinary settings work in both.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import { admin, adminCall, extensionPage, profile } from './harness.js'

const root = resolve(import.meta.dirname, '../..')

describe('release build', () => {
  let dir = ''
  let release: Profile | undefined
  let test: Profile | undefined

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-release-'))
    execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
      cwd: root,
      stdio: 'ignore',
      // The default build, minus public STUN (the test only talks to its own
      // worker): no PORCHLIGHT_TEST_HOOKS, whatever the caller's environment.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([k]) => k !== 'PORCHLIGHT_TEST_HOOKS'),
        ),
        PORCHLIGHT_ICE: 'none',
        PORCHLIGHT_OUT_DIR: dir,
      },
    })
  })
  after(async () => {
    await release?.close()
    await test?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers settings.setHeartbeat with not-supported; the test build accepts it', async () => {
    release = await profile('Release', { extensionDir: dir })
    const page = await extensionPage(release, 'extension/options/options.html')
    const answer = await adminCall(page, 'settings.setHeartbeat', { ms: 2_000 })
    assert.equal(answer.ok, false)
    assert.equal(!answer.ok && answer.error.code, 'not-supported')
    assert.ok((await admin(page, 'settings.trackers')).length > 0, 'other settings still work')

    test = await profile('TestBuild')
    const testPage = await extensionPage(test, 'extension/options/options.html')
    assert.equal(await admin(testPage, 'settings.setHeartbeat', { ms: 2_000 }), 2_000)
  })
})
