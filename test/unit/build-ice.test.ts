// The default build uses public STUN servers; every build made for tests, the
// demo, screenshots and the bench must say `PORCHLIGHT_ICE=none` itself, or
// those runs would reach for servers outside the machine.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { test } from 'node:test'

const ROOT = resolve(import.meta.dirname, '../..')

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : []
  })
}

test('every scripted build sets PORCHLIGHT_ICE=none', () => {
  const builders = ['scripts', 'bench', 'test']
    .flatMap(sources)
    .filter((file) => /['"]scripts\/build\.mjs['"]/.test(readFileSync(join(ROOT, file), 'utf8')))
  // demo, screenshots, bench at least: a rename must not make this test vacuous.
  assert.ok(builders.length >= 3, `found only ${builders.join(', ')}`)
  for (const file of builders) {
    const text = readFileSync(join(ROOT, file), 'utf8')
    assert.match(
      text,
      /PORCHLIGHT_ICE: 'none'/,
      `${relative(ROOT, join(ROOT, file))} builds with STUN`,
    )
  }
})

test('npm test builds with PORCHLIGHT_ICE=none and its test hooks on', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  assert.match(
    pkg.scripts['build:test'] ?? '',
    /^PORCHLIGHT_ICE=none PORCHLIGHT_TEST_HOOKS=on node scripts\/build\.mjs$/,
  )
  assert.match(pkg.scripts.test ?? '', /^npm run build:test && /)
  assert.doesNotMatch(pkg.scripts.test ?? '', /npm run build &&/)
})
