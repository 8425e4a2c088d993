/** Build-time configuration of the engine (see scripts/build.mjs). */
import type { IceServer } from '../../src/protocol/ice.js'

declare const __PORCHLIGHT_TRACKERS__: string[]
declare const __PORCHLIGHT_ICE__: IceServer[]
declare const __PORCHLIGHT_VERSION__: string
declare const __PORCHLIGHT_TEST_HOOKS__: boolean

export const DEFAULT_TRACKERS: readonly string[] = Object.freeze([...__PORCHLIGHT_TRACKERS__])
/** STUN/TURN servers of the build (`PORCHLIGHT_ICE`; public STUN unless set, none when `none`). */
export const DEFAULT_ICE: readonly IceServer[] = Object.freeze([...__PORCHLIGHT_ICE__])
export const VERSION: string = __PORCHLIGHT_VERSION__
/** Whether admin calls made for tests are answered (`PORCHLIGHT_TEST_HOOKS`; off in a release build). */
export const TEST_HOOKS: boolean = __PORCHLIGHT_TEST_HOOKS__
