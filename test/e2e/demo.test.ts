/**
 * `npm start -- --headless`: the demo builds, starts its tracker and site,
 * drives Alice and Bob, writes both screenshots and exits 0.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'

const root = resolve(import.meta.dirname, '../..')

describe('the demo', () => {
  it('runs headless: Alice and Bob meet on the porch and hear each other', async () => {
    const out = resolve(root, 'demo-output')
    rmSync(out, { recursive: true, force: true })
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--headless'], {
      cwd: root,
      // Free ports, so a tracker or site already running elsewhere is no matter.
      env: { ...process.env, PORT: '0', DEMO_PORT: '0' },
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const code = await new Promise<number | null>((r) => child.on('close', r))
    assert.equal(code, 0, output)
    for (const name of ['Alice', 'Bob']) {
      assert.match(output, new RegExp(`${name}\\s+provider announced: Porchlight`))
      assert.match(
        output,
        new RegExp(`${name}\\s+permission for http://127\\.0\\.0\\.1:\\d+: prompt`),
      )
      const [who, what] = name === 'Alice' ? ['Bob', 'making tea'] : ['Alice', 'reading the news']
      assert.match(output, new RegExp(`${name}\\s+lobby "porch": connected`))
      assert.match(output, new RegExp(`${name}\\s+${who} is here`))
      assert.match(output, new RegExp(`${name}\\s+${who} says: ${who} is ${what}`))
      const png = resolve(out, `${name.toLowerCase()}.png`)
      assert.ok(existsSync(png), `${png} exists`)
      assert.ok(statSync(png).size > 5000, `${png} is a real screenshot`)
    }
  })
})
