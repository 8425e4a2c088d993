/**
 * Bytes injected into a page that never uses Porchlight: every content
 * script the manifest puts into all pages, gzipped. The bench also checks in
 * a real tab that such a page gets nothing more (no element bundle).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BenchContext } from '../lib/context.js'
import { row, type Row } from '../lib/rows.js'

interface Manifest {
  content_scripts?: Array<{ matches: string[]; js?: string[] }>
}

export async function injectedRows(ctx: BenchContext): Promise<Row[]> {
  const dir = ctx.extensionDir
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest
  const files = (manifest.content_scripts ?? [])
    .filter((c) => c.matches.includes('<all_urls>'))
    .flatMap((c) => c.js ?? [])
  const gz = (file: string) => ({
    file,
    bytes: gzipSync(readFileSync(join(dir, file))).length,
  })
  const sizes = files.map(gz)

  // A page that never calls window.p2p gets the provider and nothing else.
  const [profile] = await ctx.profiles(1)
  const page = await ctx.open(profile!, 'blank')
  try {
    await page.waitForFunction(() => 'p2p' in window, null, { timeout: 10_000 })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const defined = await page.evaluate(() =>
      ['p2p-lobby', 'p2p-identity'].filter((tag) => customElements.get(tag)),
    )
    // Counted if it ever happens: then the idle page got the element bundle too.
    if (defined.length) sizes.push(gz('elements.js'))
  } finally {
    await page.close()
  }
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0)
  return [
    row({
      id: 'injected.bytes',
      figure: 'injected into a page that never uses it (gz)',
      value: total,
      unit: 'B',
      target: { bound: 'max', value: 2048, of: 'value' },
      note: sizes.map((s) => `${s.file} ${s.bytes} B`).join(' + '),
    }),
  ]
}
