/**
 * The bench's own web pages: each `bench/page/<name>.ts` is bundled with
 * esbuild (the same browser shims as the extension, so hypercore runs) into
 * a temporary folder with a `<name>.html` that loads it, and the folder is
 * served on loopback by scripts/lib/static-server.ts.
 *
 * `blank.html` is a page with no script at all: a site that never uses
 * Porchlight.
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { serveStatic, type StaticServer } from '../../scripts/lib/static-server.js'
import {
  browserAliases,
  browserDefines,
  browserInjectFile,
} from '../../scripts/lib/browser-shims.mjs'

/** The in-page modules under bench/page/ (each sets one `window.bench*` API). */
export const PAGES = ['raw', 'trystero', 'storage', 'api', 'lobby'] as const
export type PageName = (typeof PAGES)[number]

export interface BenchSite extends StaticServer {
  /** The URL of page `name` (or of the blank page). */
  url(name: PageName | 'blank'): string
}

const root = resolve(import.meta.dirname, '../..')

function html(title: string, script?: string): string {
  const tag = script ? `<script type="module" src="./${script}"></script>` : ''
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${tag}</head><body></body></html>\n`
}

/** Bundles every bench page and serves them; `close()` also removes the folder. */
export async function serveBenchPages(): Promise<BenchSite> {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-bench-pages-'))
  await build({
    entryPoints: PAGES.map((name) => resolve(root, `bench/page/${name}.ts`)),
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome116',
    minify: false,
    alias: browserAliases,
    define: { ...browserDefines, __PORCHLIGHT_VERSION__: '"bench"' },
    inject: [browserInjectFile],
    logLevel: 'error',
  })
  for (const name of PAGES) writeFileSync(join(dir, `${name}.html`), html(name, `${name}.js`))
  writeFileSync(join(dir, 'blank.html'), html('blank'))
  const server = await serveStatic(dir)
  return {
    ...server,
    url: (name) => `${server.origin}/${name}.html`,
    async close() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
