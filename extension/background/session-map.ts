/**
 * A small origin → number map in `storage.session`: survives the worker being
 * stopped, forgotten when the browser closes. Used for refusals (when) and
 * open prompts (which window).
 */
export class SessionMap {
  constructor(private readonly key: string) {}

  async all(): Promise<Record<string, number>> {
    const stored = await chrome.storage.session.get(this.key)
    const value: unknown = stored[this.key]
    return typeof value === 'object' && value !== null ? (value as Record<string, number>) : {}
  }

  async get(origin: string): Promise<number | undefined> {
    const all = await this.all()
    return Object.hasOwn(all, origin) ? all[origin] : undefined
  }

  /** Sets `origin` to `value`, or removes it when `value` is null. */
  async set(origin: string, value: number | null): Promise<void> {
    const all = await this.all()
    if (value === null) {
      if (!Object.hasOwn(all, origin)) return
      delete all[origin]
    } else {
      all[origin] = value
    }
    await chrome.storage.session.set({ [this.key]: all })
  }
}
