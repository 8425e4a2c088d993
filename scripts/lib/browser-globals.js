// esbuild `inject` file (see ./browser-shims.mjs): modules that use a free
// `Buffer` or `process` get these instead.
export { Buffer } from 'buffer'
export { default as process } from 'process'
