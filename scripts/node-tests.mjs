#!/usr/bin/env node
/**
 * Runs node:test (through tsx) over every `*.test.ts` under the folders given,
 * skipping `*.browser.test.ts` (those run in Chromium via web-test-runner).
 * Node 20's `--test` does not expand globs itself, hence this walker.
 *
 *   node scripts/node-tests.mjs [--node-test-flag ...] dir [dir ...]
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

function walk(dir) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(path)
    return e.name.endsWith('.test.ts') && !e.name.endsWith('.browser.test.ts') ? [path] : []
  })
}

const argv = process.argv.slice(2)
const flags = argv.filter((a) => a.startsWith('--'))
const files = argv
  .filter((a) => !a.startsWith('--'))
  .flatMap((dir) => walk(resolve(root, dir)))
  .map((f) => relative(root, f))
  .sort()
if (files.length === 0) {
  console.log('no tests found')
  process.exit(0)
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files]
const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
process.exit(status ?? 1)
