/**
 * The one wording of "this peer cannot be messaged from here", shared by the
 * engine's messenger, the engine's lobby messages and the page, so the page
 * hears the same sentence whichever layer refused.
 *
 * `who` is what the page may see: a per-origin alias, or a generic "the
 * peer"; never a swarm peer id (that would defeat the per-origin aliases).
 */
import { P2PError } from '../errors.js'

/**
 * `not-connected` for a peer we hold no message stream with: known only
 * through the mesh (beyond the connection budget), or not in the lobby.
 */
export function peerUnreachable(who: string, mesh: boolean): P2PError {
  const why = mesh ? 'is reachable only through other members (mesh)' : 'is not in the lobby'
  return P2PError.NOT_CONNECTED(`${who} ${why}`)
}
