/**
 * The gatekeeper's view of identities: the engine owns the archives and their
 * keys; the worker only asks for public facts (URL, name, created).
 */
import type { Identity } from '../../src/protocol/messages.js'
import { engineRequest } from './engine-link.js'

export function mainIdentity(): Promise<Identity> {
  return engineRequest('identities.main', null)
}

/** A new identity that only `origin` will see, so two sites cannot link the user. */
export function createSiteIdentity(origin: string): Promise<Identity> {
  return engineRequest('identities.create', null, { name: `Me on ${new URL(origin).host}` })
}

export function identityByUrl(url: string): Promise<Identity> {
  return engineRequest('identity', null, { url })
}
