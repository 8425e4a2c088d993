/**
 * `npm start`: builds the extension, starts the embedded tracker and the demo
 * site on 127.0.0.1, and opens the demo page in two Chromium profiles,
 * "Alice" and "Bob", each with the extension loaded. Each names its identity,
 * shows its presence on the porch (the page's `<p2p-lobby>`), allows it in
 * the extension's prompt and says what it is up to (session-data); each then
 * sees the other by name with that status line.
 *
 * With a display it opens windows and runs until Ctrl-C. Without one (or with
 * `--headless`) it runs headless, prints a timeline, writes screenshots into
 * demo-output/ and exits.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { configureProfile } from './lib/admin.js'
import { ChromiumNotFound, findChromium, launchProfile, type Profile } from './lib/chromium.js'
import { serveStatic, type StaticServer } from './lib/static-server.js'
import { startTracker, type RunningTracker } from './lib/tracker.js'

const root = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const headless = args.includes('--headless') || !process.env.DISPLAY
const outDir = resolve(root, 'demo-output')
const trackerPort = Number(process.env.PORT ?? 8000)
const sitePort = Number(process.env.DEMO_PORT ?? 8080)
const t0 = Date.now()

function say(who: string, text: string): void {
  const t = ((Date.now() - t0) / 1000).toFixed(2).padStart(6)
  console.log(`${t}s  ${who.padEnd(8)} ${text}`)
}

function fail(message: string): never {
  console.error(`\n${message}`)
  process.exit(1)
}

try {
  findChromium()
} catch (err) {
  fail(err instanceof ChromiumNotFound ? err.message : String(err))
}

say('build', 'building the extension into dist/chrome')
const built = spawnSync(process.execPath, [resolve(root, 'scripts/build.mjs')], {
  stdio: 'inherit',
  // The demo runs on this machine: no public STUN servers (the build's
  // default). It is `npm run build:test`'s build, whose dist/chrome it shares.
  env: { ...process.env, PORCHLIGHT_ICE: 'none', PORCHLIGHT_TEST_HOOKS: 'on' },
})
if (built.status !== 0) fail('The build failed; see above.')

let tracker: RunningTracker | null = null
let trackerUrl = `ws://127.0.0.1:${trackerPort}`
try {
  tracker = await startTracker({ port: trackerPort })
  trackerUrl = tracker.url
  say('tracker', `listening on ${tracker.url}`)
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
  say('tracker', `port ${trackerPort} is taken; using the tracker already running there`)
}

let site: StaticServer
try {
  site = await serveStatic(resolve(root, 'demo'), { port: sitePort })
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
  site = await serveStatic(resolve(root, 'demo'))
}
say('site', `demo site on ${site.origin}`)

const people = ['Alice', 'Bob']
const profiles: Profile[] = []
const pages: Page[] = []

async function shutdown(code: number): Promise<never> {
  await Promise.all(profiles.map((p) => p.close()))
  await site.close()
  await tracker?.close()
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

try {
  for (const name of people) {
    const profile = await launchProfile({ name, headless })
    profiles.push(profile)
    say(name, `Chromium started${headless ? ' (headless)' : ''}, extension ${profile.extensionId}`)
    const page = profile.context.pages()[0] ?? (await profile.context.newPage())
    page.on('console', (msg) => {
      const text = msg.text()
      if (text.startsWith('[porch] ')) say(name, text.slice(8))
    })
    pages.push(page)
    await setUp(profile, name)
    await page.goto(`${site.origin}/index.html`)
  }
  await Promise.all(
    pages.map((page) => page.waitForSelector('body[data-ready]', { timeout: 30_000 })),
  )
  await Promise.all(pages.map((page, i) => meet(profiles[i]!, page, people[i]!)))
  await Promise.all(
    pages.map((page) => page.waitForSelector('body[data-heard]', { timeout: 60_000 })),
  )
} catch (err) {
  console.error(err)
  await shutdown(1)
}

/**
 * Names the profile's identity and points it at the demo's tracker, through
 * the extension's admin channel (what the options page does).
 */
async function setUp(profile: Profile, name: string): Promise<void> {
  await configureProfile(profile, { name, trackers: [trackerUrl] })
  say(name, `identity named, tracker ${trackerUrl}`)
}

/** Shows the person's presence on the porch, allows it, and says what they are up to. */
async function meet(profile: Profile, page: Page, name: string): Promise<void> {
  const prompt = profile.context.waitForEvent('page', {
    predicate: (p) => p.url().includes('/extension/prompt/prompt.html'),
    timeout: 30_000,
  })
  await page.getByRole('button', { name: 'Show my presence' }).click()
  const window = await prompt
  await window.waitForLoadState()
  await window.getByRole('button', { name: 'Allow', exact: true }).click()
  say(name, 'allowed presence on the porch')
  await page.locator('#status-form:not([hidden])').waitFor({ timeout: 30_000 })
  await page.fill('#status', `${name} is ${name === 'Alice' ? 'reading the news' : 'making tea'}`)
  await page.click('#status-form button')
}

if (headless) {
  mkdirSync(outDir, { recursive: true })
  for (const [i, page] of pages.entries()) {
    const file = resolve(outDir, `${people[i]!.toLowerCase()}.png`)
    await page.screenshot({ path: file })
    say(people[i]!, `screenshot ${file}`)
  }
  say('demo', 'done')
  await shutdown(0)
} else {
  say('demo', 'running: close the windows or press Ctrl-C to stop')
  await Promise.all(profiles.map((p) => new Promise((r) => p.context.once('close', r))))
  await shutdown(0)
}
