/**
 * Presence grants, one per origin, in the gatekeeper's IndexedDB; and the
 * session-long memory of "Don't allow" answers, in storage.session.
 */
import type { Grant } from '../../src/permissions/grant.js'
import { isGrantableOrigin } from '../../src/permissions/origin.js'
import type { PermissionState } from '../../src/protocol/messages.js'
import { SessionMap } from './session-map.js'
import { GRANTS, del, get, getAll, put } from './store.js'

export type { Grant }

export async function grantFor(origin: string | null): Promise<Grant | undefined> {
  if (!isGrantableOrigin(origin)) return undefined
  return get<Grant>(GRANTS, origin)
}

export async function permissionState(origin: string | null): Promise<PermissionState> {
  if (!isGrantableOrigin(origin)) return 'denied'
  if (await grantFor(origin)) return 'granted'
  return (await deniedAt(origin)) === undefined ? 'prompt' : 'denied'
}

export function listGrants(): Promise<Grant[]> {
  return getAll<Grant>(GRANTS)
}

export async function saveGrant(grant: Grant): Promise<void> {
  await put(GRANTS, grant)
  await forgetDenial(grant.origin)
}

/** Deletes the grant; resolves true when there was one. */
export async function deleteGrant(origin: string): Promise<boolean> {
  const existed = (await grantFor(origin)) !== undefined
  if (existed) await del(GRANTS, origin)
  return existed
}

const denials = new SessionMap('denied')

/** When the user last refused this origin in this browser session. */
export function deniedAt(origin: string): Promise<number | undefined> {
  return denials.get(origin)
}

export function rememberDenial(origin: string, at: number): Promise<void> {
  return denials.set(origin, at)
}

function forgetDenial(origin: string): Promise<void> {
  return denials.set(origin, null)
}
