/**
 * Finding and launching Chromium with the built extension loaded, one
 * persistent profile per person. Shared by the demo, the e2e tests and the
 * bench so that all of them drive the browser the same way.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type CDPSession, type Worker } from 'playwright-core'

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

export class ChromiumNotFound extends Error {
  constructor() {
    super(
      'No Chromium found. Install it (Debian: `apt-get install chromium`) or set CHROME_PATH ' +
        `to a Chromium or Chrome binary. Looked in: ${CANDIDATES.join(', ')}`,
    )
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROME_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist`)
    return fromEnv
  }
  const found = CANDIDATES.find((p) => existsSync(p))
  if (!found) throw new ChromiumNotFound()
  return found
}

/** The part of CDP's ServiceWorker.workerVersionUpdated event read here. */
interface WorkerVersions {
  versions: Array<{ scriptURL: string; runningStatus: string }>
}

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/chrome')

export interface Profile {
  name: string
  context: BrowserContext
  userDataDir: string
  /** The extension's id in this profile. */
  extensionId: string
  /** The extension's service worker (a new one after a restart). */
  serviceWorker(): Promise<Worker>
  /** Stops every service worker of the profile, as Chrome does when idle, and waits until it is gone. */
  stopServiceWorker(): Promise<void>
  close(opts?: { keepData?: boolean }): Promise<void>
}

export interface LaunchOptions {
  name: string
  headless?: boolean
  extensionDir?: string
  /** Reuse a profile directory (to test a browser restart). */
  userDataDir?: string
  extraArgs?: string[]
  /** Device pixels per CSS pixel of every page (default 1); 2 for crisp screenshots. */
  deviceScaleFactor?: number
  /** The browser binary, or a wrapper around it (default: findChromium()). */
  executablePath?: string
}

export function chromiumArgs(extensionDir: string): string[] {
  const args = [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // No media-router probing; and loopback WebRTC without mDNS host
    // obfuscation, so profiles on one machine (and in test namespaces) connect.
    '--disable-features=DialMediaRouteProvider,MediaRouter,WebRtcHideLocalIpsWithMdns',
  ]
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  return args
}

export async function launchProfile(opts: LaunchOptions): Promise<Profile> {
  const extensionDir = opts.extensionDir ?? EXTENSION_DIR
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(
      `No built extension at ${extensionDir}: run \`npm run build:test\` (or build) first`,
    )
  }
  const userDataDir =
    opts.userDataDir ?? mkdtempSync(join(tmpdir(), `porchlight-${opts.name.toLowerCase()}-`))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.executablePath ?? findChromium(),
    headless: opts.headless ?? true,
    args: [...chromiumArgs(extensionDir), ...(opts.extraArgs ?? [])],
    viewport: { width: 1100, height: 760 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
  })
  const serviceWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
    return existing ?? context.waitForEvent('serviceworker', { timeout: 15_000 })
  }
  const sw = await serviceWorker()
  const extensionId = new URL(sw.url()).host
  let cdp: CDPSession | null = null
  return {
    name: opts.name,
    context,
    userDataDir,
    extensionId,
    serviceWorker,
    async stopServiceWorker() {
      if (!cdp) {
        const page = context.pages()[0] ?? (await context.newPage())
        cdp = await context.newCDPSession(page)
      }
      const session = cdp
      const scope = `chrome-extension://${extensionId}/`
      // Playwright reports a stopped worker late; CDP says when it is stopped.
      const stopped = new Promise<void>((resolve) => {
        const onUpdate = (e: WorkerVersions) => {
          const ours = e.versions.filter((v) => v.scriptURL.startsWith(scope))
          if (ours.length > 0 && ours.every((v) => v.runningStatus === 'stopped')) {
            session.off('ServiceWorker.workerVersionUpdated', onUpdate)
            resolve()
          }
        }
        session.on('ServiceWorker.workerVersionUpdated', onUpdate)
      })
      await session.send('ServiceWorker.enable')
      await session.send('ServiceWorker.stopAllWorkers')
      await stopped
    },
    async close({ keepData = false } = {}) {
      await context.close().catch(() => undefined)
      if (!keepData && !opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
