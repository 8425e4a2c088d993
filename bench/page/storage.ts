/**
 * Bench page: the identity storage benchmark (./../identity-storage.ts) in a
 * web page, as `window.benchStorage.run(options)`.
 */
import { benchIdentityStorage } from '../identity-storage.js'

const api = { run: benchIdentityStorage }

declare global {
  interface Window {
    benchStorage: typeof api
  }
}

window.benchStorage = api
