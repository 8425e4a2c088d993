/**
 * Presence grants, one per origin, kept in the gatekeeper's IndexedDB.
 */
import type { PermissionState } from '../../src/protocol/messages.js'
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import { engineRequest } from './engine-link.js'
import { GRANTS, get } from './store.js'

export interface Grant {
  origin: string
  /** URL of the identity this origin sees. */
  identity: string
  grantedAt: number
}

export async function grantFor(origin: string | null): Promise<Grant | undefined> {
  if (!isGrantableOrigin(origin)) return undefined
  return get<Grant>(GRANTS, origin)
}

export async function permissionState(origin: string | null): Promise<PermissionState> {
  if (!isGrantableOrigin(origin)) return 'denied'
  return (await grantFor(origin)) ? 'granted' : 'prompt'
}

/**
 * The identity `origin` sees: the one its grant names or, until grants
 * exist (the permission issue), the main identity.
 */
export async function identityUrlForOrigin(origin: string | null): Promise<string> {
  const grant = await grantFor(origin)
  if (grant) return grant.identity
  return (await engineRequest('identities.main', origin)).url
}
