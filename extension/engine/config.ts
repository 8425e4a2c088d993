/** Build-time configuration of the engine (see scripts/build.mjs). */
declare const __PORCHLIGHT_TRACKERS__: string[]
declare const __PORCHLIGHT_VERSION__: string

export const DEFAULT_TRACKERS: readonly string[] = Object.freeze([...__PORCHLIGHT_TRACKERS__])
export const VERSION: string = __PORCHLIGHT_VERSION__
