export * from './messages.js'
export * from './validate.js'
export * from './params.js'
export * from './handshake.js'
