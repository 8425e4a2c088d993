export * from './origin.js'
export * from './rate-limit.js'
