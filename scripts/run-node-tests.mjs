#!/usr/bin/env node
/**
 * Runs node:test on every `*.test.ts` below the given folders (Node 20's
 * --test takes no globs). Browser tests (`*.browser.test.ts`) belong to
 * web-test-runner and are skipped here.
 *
 *   node scripts/run-node-tests.mjs [--serial] DIR_OR_FILE...
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const serial = args.includes('--serial')
const dirs = args.filter((a) => !a.startsWith('--'))

function walk(dir) {
  if (!existsSync(dir)) return []
  if (dir.endsWith('.test.ts') && !statSync(dir).isDirectory()) return [dir]
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path)
    return entry.name.endsWith('.test.ts') && !entry.name.endsWith('.browser.test.ts') ? [path] : []
  })
}

const files = dirs.flatMap(walk).sort()
if (files.length === 0) {
  console.error(`no tests found in ${dirs.join(', ')}`)
  process.exit(1)
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    ...(serial ? ['--test-concurrency=1'] : []),
    ...files,
  ],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
