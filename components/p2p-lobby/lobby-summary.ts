/**
 * What `<p2p-lobby>` says about where it stands: the state names, the status
 * pill's tone and label for each, and the summary line under the title.
 */
import type { Tone } from '../shared/status-pill.js'

/**
 * What `<p2p-lobby>` is doing; reflected as its `state` attribute.
 * `discovering`, `connecting`, `connected` and `full` follow the lobby's own
 * `state` event; `closed` means the page (or the user) left. `error`: a join
 * failed; or the lobby reported an `error` while nobody else is here; or the
 * extension closed the lobby (engine lost, grant revoked: code `not-connected`).
 */
export type P2PLobbyState =
  | 'idle'
  | 'unavailable'
  | 'needs-permission'
  | 'discovering'
  | 'connecting'
  | 'connected'
  | 'full'
  | 'error'
  | 'closed'

/** The status pill of each state: its tone and its label. */
export const LOBBY_LABELS: Record<P2PLobbyState, [Tone, string]> = {
  idle: ['neutral', 'Starting'],
  unavailable: ['neutral', 'Unavailable'],
  'needs-permission': ['neutral', 'Presence off'],
  discovering: ['progress', 'Looking'],
  connecting: ['progress', 'Connecting'],
  connected: ['success', 'Connected'],
  full: ['warning', 'Full'],
  error: ['danger', 'Not connected'],
  closed: ['neutral', 'Left'],
}

/** What the summary line needs to know besides the state. */
export interface SummaryFacts {
  name: string
  maxPeers: number | null
  /** People here, you included (one per identity). */
  people: number
  /** The element holds a lobby (not only a join under way or an error). */
  joined: boolean
  /** The code of the error shown, if any. */
  errorCode: string
}

/** The line under the lobby's title. */
export function lobbySummary(state: P2PLobbyState, facts: SummaryFacts): string {
  const { name, people, joined } = facts
  const max = facts.maxPeers ? ` · up to ${facts.maxPeers}` : ''
  switch (state) {
    case 'idle':
      return name ? 'Getting ready…' : 'No lobby name set'
    case 'unavailable':
      return 'Porchlight is not available'
    case 'needs-permission':
      return 'Nobody can see you here yet'
    case 'discovering':
      return joined ? `Looking for people${max}` : 'Joining…'
    case 'connecting':
      return 'Connecting to people…'
    case 'connected':
      return `${people} ${people === 1 ? 'person' : 'people'} here${max}`
    case 'full':
      return joined ? `${people} people here · full` : 'No places left'
    case 'error':
      if (joined) return 'Nobody reachable yet · still trying'
      return facts.errorCode === 'not-connected' ? 'Connection lost' : 'Could not join'
    case 'closed':
      return 'You left this lobby'
  }
}
