/**
 * `npm run screenshots`: PNGs, light and dark, in docs/screenshots/.
 *
 * - The `<p2p-*>` elements in their main states, live: the built extension
 *   in four Chromium profiles meeting over WebRTC through a local tracker
 *   (scripts/lib/element-shots.ts). States that need hosting or friends, or
 *   a failure, are still drawn against the in-memory provider of the element
 *   tests (scripts/lib/screenshot-scenes.ts).
 * - The extension's own popup, permission prompt and options page, from the
 *   freshly built extension (dist/chrome) loaded in Chromium
 *   (scripts/lib/extension-shots.ts).
 *
 * `npm run screenshots -- lobby` shoots only those whose name contains "lobby".
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { build, type Rollup } from 'vite'
import { findChromium } from './lib/chromium.js'
import { LIVE_ELEMENT_SHOTS, shootLiveElements } from './lib/element-shots.js'
import { EXTENSION_SHOTS, shootExtension } from './lib/extension-shots.js'
import { SITE_PAGE as PAGE } from './lib/site-page.js'

const root = resolve(import.meta.dirname, '..')
const outDir = resolve(root, 'docs/screenshots')
const schemes = ['light', 'dark'] as const

/** The scenes and the elements as one ES module, built by Vite like the extension's bundle. */
async function bundle(): Promise<string> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      target: 'chrome116',
      lib: { entry: resolve(root, 'scripts/lib/screenshot-scenes.ts'), formats: ['es'] },
      rollupOptions: { output: { codeSplitting: false } },
    },
  })
  const output = (Array.isArray(result) ? result[0] : result) as Rollup.RollupOutput
  const chunk = output.output.find((o) => o.type === 'chunk')
  if (!chunk || chunk.type !== 'chunk') throw new Error('the scene bundle is empty')
  return chunk.code
}

async function shoot(browser: Browser, code: string, name: string): Promise<string[]> {
  const written: string[] = []
  for (const scheme of schemes) {
    const page = await browser.newPage({ deviceScaleFactor: 2, colorScheme: scheme })
    try {
      const errors: string[] = []
      page.on('pageerror', (err) => errors.push(err.message))
      await page.setViewportSize({ width: 1000, height: 900 })
      await page.setContent(PAGE)
      await page.addScriptTag({ type: 'module', content: code })
      await page.waitForFunction(() => 'porchlightScenes' in window)
      await page.evaluate((n) => window.porchlightScenes.show(n), name)
      if (errors.length > 0) throw new Error(`${name}: ${errors.join('; ')}`)
      const file = resolve(outDir, `${name}-${scheme}.png`)
      await page.locator('#stage').screenshot({ path: file, animations: 'allow' })
      written.push(file)
    } finally {
      await page.close()
    }
  }
  return written
}

async function shootElements(filter: string): Promise<void> {
  const code = await bundle()
  const args = ['--disable-gpu', '--no-first-run', '--disable-background-networking']
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  const browser = await chromium.launch({ executablePath: findChromium(), args })
  try {
    const probe = await browser.newPage()
    await probe.setContent(PAGE)
    await probe.addScriptTag({ type: 'module', content: code })
    await probe.waitForFunction(() => 'porchlightScenes' in window)
    const live: readonly string[] = LIVE_ELEMENT_SHOTS
    const names = (await probe.evaluate(() => window.porchlightScenes.names)).filter(
      (n) => n.includes(filter) && !live.includes(n),
    )
    await probe.close()
    for (const name of names) {
      const files = await shoot(browser, code, name)
      for (const file of files) console.log(`wrote ${file.slice(root.length + 1)}`)
    }
  } finally {
    await browser.close()
  }
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? ''
  mkdirSync(outDir, { recursive: true })
  await shootElements(filter)
  const fromExtension: readonly string[] = [...EXTENSION_SHOTS, ...LIVE_ELEMENT_SHOTS]
  if (fromExtension.some((name) => name.includes(filter))) {
    // Loopback only: no public STUN servers (the build's default).
    execFileSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
      stdio: 'inherit',
      env: { ...process.env, PORCHLIGHT_ICE: 'none' },
    })
    const files = [
      ...(await shootLiveElements(outDir, filter)),
      ...(await shootExtension(outDir, filter)),
    ]
    for (const file of files) console.log(`wrote ${file.slice(root.length + 1)}`)
  }
}

await main()
