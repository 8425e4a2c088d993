// Bundles alias `sodium-native` to this file (see scripts/lib/browser-shims.mjs):
// CommonJS, because sodium-universal does `module.exports = require('sodium-native')`
// and needs the plain object, not an ES module namespace.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose, see above
module.exports = require('./sodium-shim.ts').default
