/// <reference types="vite/client" />
/**
 * Every signaling backend: each module in ./adapters/ that exports an
 * `adapter` descriptor (see ./registry.ts). Vite finds them at build time, so
 * a new backend is one new file in that folder. Only Vite builds (the
 * extension) may import this module; tests build registries with
 * adapterRegistry().
 */
import { adapterRegistry } from './registry.js'

export const ADAPTERS = adapterRegistry(
  import.meta.glob(['./adapters/*.ts', '!./adapters/*.test.ts'], { eager: true }),
)
