/**
 * Taking presence away from a site, from the page itself or from the
 * extension's UI: the grant goes, every open tab of the site hears
 * `permissionchange`, and the engine closes the site's lobbies and forgets
 * what it kept for it.
 */
import { toOrigin } from './broadcast.js'
import { engineRequestIfRunning } from './engine-link.js'
import { deleteGrant } from './grants.js'
import { forgetRetained } from './retained.js'

export async function revoke(origin: string): Promise<void> {
  await deleteGrant(origin)
  await engineRequestIfRunning('origin.forget', origin)
  await forgetRetained(origin)
  await toOrigin(origin, 'permissionchange', { state: 'prompt' })
}
