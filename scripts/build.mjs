#!/usr/bin/env node
/**
 * `npm run build`: dist/chrome/, an unpacked Manifest V3 extension
 * (`PORCHLIGHT_OUT_DIR` puts it elsewhere; vite.config.ts reads it too).
 * Runs the module build, then the two classic-script builds, then writes the
 * manifest with the package version, then custom-elements.json (`npm run cem`).
 * Last, dist/elements/: the elements as a library for sites that bundle them
 * (package.json `exports["./elements"]`), with its type declarations. A build
 * put elsewhere (`PORCHLIGHT_OUT_DIR`: the bench, the release-build test) is
 * the extension only: the repository's own files are left as they are.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(root, process.env.PORCHLIGHT_OUT_DIR ?? 'dist/chrome')
const started = Date.now()

for (const mode of ['extension', 'bridge', 'relay', 'provider', 'elements']) {
  await build({ configFile: resolve(root, 'vite.config.ts'), mode })
}

const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
const manifest = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8'))
manifest.version = pkg.version
writeFileSync(resolve(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

mkdirSync(resolve(out, 'icons'), { recursive: true })
for (const size of [16, 32, 48, 128]) {
  copyFileSync(
    resolve(root, `assets/icons/icon-${size}.png`),
    resolve(out, `icons/icon-${size}.png`),
  )
}

if (!process.env.PORCHLIGHT_OUT_DIR) {
  // The elements' manifest (custom-elements-manifest.config.mjs says what it reads).
  execFileSync(
    process.execPath,
    [resolve(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--quiet'],
    { cwd: root, stdio: 'inherit' },
  )

  // The elements for sites that bundle them: JavaScript, then the declarations of its API.
  await build({ configFile: resolve(root, 'vite.config.ts'), mode: 'library' })
  execFileSync(
    process.execPath,
    [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.elements.json'],
    { cwd: root, stdio: 'inherit' },
  )
}

console.log(`built ${out} (Porchlight ${pkg.version}) in ${Date.now() - started} ms`)
