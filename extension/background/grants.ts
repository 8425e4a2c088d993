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

/**
 * Grants read so far, by origin: every page call checks its grant, and a
 * storage read per call is most of a call's time. Only this module writes
 * grants, and it drops an origin's entry once a write of it is stored, so a
 * revoked grant counts from the next call on. A worker that restarts starts
 * empty and reads from storage again.
 */
const cache = new Map<string, Promise<Grant | undefined>>()

export function grantFor(origin: string | null): Promise<Grant | undefined> {
  if (!isGrantableOrigin(origin)) return Promise.resolve(undefined)
  let grant = cache.get(origin)
  if (!grant) {
    const read = get<Grant>(GRANTS, origin)
    grant = read
    cache.set(origin, read)
    read.catch(() => cache.get(origin) === read && cache.delete(origin))
  }
  return grant
}

/** Writes one origin's grant and forgets what was read of it (also a read racing the write). */
async function write(origin: string, op: () => Promise<void>): Promise<void> {
  cache.delete(origin)
  try {
    await op()
  } finally {
    cache.delete(origin)
  }
}

export async function permissionState(origin: string | null): Promise<PermissionState> {
  if (!isGrantableOrigin(origin)) return 'denied'
  if (await grantFor(origin)) return 'granted'
  return (await deniedAt(origin)) === undefined ? 'prompt' : 'denied'
}

export function listGrants(): Promise<Grant[]> {
  return getAll<Grant>(GRANTS)
}

/** The grants that show `identity` to their site. */
export async function grantsOf(identity: string): Promise<Grant[]> {
  return (await listGrants()).filter((grant) => grant.identity === identity)
}

export async function saveGrant(grant: Grant): Promise<void> {
  await write(grant.origin, () => put(GRANTS, grant))
  await forgetDenial(grant.origin)
}

/** Deletes the grant; resolves true when there was one. */
export async function deleteGrant(origin: string): Promise<boolean> {
  const existed = (await grantFor(origin)) !== undefined
  if (existed) await write(origin, () => del(GRANTS, origin))
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
