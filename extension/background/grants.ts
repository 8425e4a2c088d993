/**
 * Presence grants, one per origin, kept in the gatekeeper's IndexedDB.
 */
import type { PermissionState } from '../../src/protocol/messages.js'
import { isGrantableOrigin } from '../../src/permissions/origin.js'
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
