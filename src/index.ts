export * from './errors.js'
export * from './protocol/index.js'
export type * from './api/types.js'
