/**
 * Runs node:test on every `*.test.ts` under the folders given, except
 * `*.browser.test.ts` (web-test-runner runs those in Chromium). Node 20's
 * `--test` does not expand globs itself, so `"src/**\/*.test.ts"` in a script
 * finds nothing there. Arguments starting with `--` go to node.
 *
 *   node --import tsx scripts/node-tests.ts src test/unit
 *   node --import tsx scripts/node-tests.ts --test-concurrency=1 test/e2e
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

function collect(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) collect(path, out)
    else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.browser.test.ts')) {
      out.push(path)
    }
  }
  return out
}

const args = process.argv.slice(2)
const flags = args.filter((a) => a.startsWith('--'))
const roots = args.filter((a) => !a.startsWith('--'))
const files = roots.flatMap((root) => collect(root, [])).sort()
if (files.length === 0) {
  console.log(`no tests found under ${roots.join(', ')}`)
  process.exit(0)
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
