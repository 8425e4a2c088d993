/**
 * The engine's identities: the manager opens once per engine document (on
 * load) from the extension's IndexedDB, and answers the identity calls. A
 * reloaded engine opens it again and finds everything as it was.
 */
import { IdentityManager } from '../../src/identity/manager.js'
import type { Identity, IdentityMethod } from '../../src/protocol/messages.js'
import type { EngineHandlers } from './handler-types.js'

let opening: Promise<IdentityManager> | null = null
const renameListeners: Array<(identity: Identity) => void> = []

/** Calls `fn` with an identity the user renamed. */
export function onRenamed(fn: (identity: Identity) => void): void {
  renameListeners.push(fn)
}

/** The open manager; a failed open is retried on the next call. */
export function identities(): Promise<IdentityManager> {
  opening ??= IdentityManager.open().catch((err: unknown) => {
    opening = null
    throw err
  })
  return opening
}

export const identityHandlers: EngineHandlers<IdentityMethod | 'identity'> = {
  identity: async (_origin, { url }) => (await identities()).identity(url),
  'identities.list': async () => (await identities()).list(),
  'identities.main': async () => (await identities()).main(),
  'identities.setMain': async (_origin, { url }) => (await identities()).setMain(url),
  'identities.create': async (_origin, { name }) => (await identities()).create(name),
  'identities.rename': async (_origin, { url, name }) => {
    const identity = await (await identities()).rename(url, name)
    for (const fn of renameListeners) fn(identity)
    return identity
  },
  'identities.delete': async (_origin, { url, confirm }) => {
    await (await identities()).delete(url, confirm)
    return null
  },
  'identities.export': async (_origin, { url }) => ({
    text: await (await identities()).export(url),
  }),
  'identities.import': async (_origin, { text, takeOver }) =>
    (await identities()).import(text, { takeOver: takeOver === true }),
}
