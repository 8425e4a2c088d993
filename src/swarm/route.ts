/**
 * Which way a connection's packets go: the candidate types of the ICE pair
 * in use, read from getStats(). `host` is a direct LAN (or loopback) path,
 * `srflx`/`prflx` a path through NATs found with STUN (or during the checks),
 * `relay` a TURN relay. Chromium hides the addresses of peer-reflexive
 * candidates in stats, so only the types are read.
 */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'

/** Both ends of the candidate pair a connection uses. */
export interface Route {
  local: CandidateType
  remote: CandidateType
}

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay'])

function candidateType(value: unknown): CandidateType | null {
  return typeof value === 'string' && TYPES.has(value) ? (value as CandidateType) : null
}

/** The route of `pc`, or null while no pair is selected. */
export async function routeOf(pc: RTCPeerConnection): Promise<Route | null> {
  const stats = await pc.getStats()
  const reports = new Map<string, Record<string, unknown>>()
  stats.forEach((report: Record<string, unknown>) => reports.set(String(report.id), report))
  let pair: Record<string, unknown> | undefined
  for (const report of reports.values()) {
    if (report.type === 'transport' && typeof report.selectedCandidatePairId === 'string') {
      pair = reports.get(report.selectedCandidatePairId)
    }
  }
  pair ??= [...reports.values()].find(
    (r) => r.type === 'candidate-pair' && r.nominated === true && r.state === 'succeeded',
  )
  if (!pair) return null
  const local = candidateType(reports.get(String(pair.localCandidateId))?.candidateType)
  const remote = candidateType(reports.get(String(pair.remoteCandidateId))?.candidateType)
  return local && remote ? { local, remote } : null
}

/** A route in a word, for people: `direct` (LAN), `direct via NAT`, or `relayed`. */
export function describeRoute(route: Route): string {
  if (route.local === 'relay' || route.remote === 'relay') return 'relayed (TURN)'
  if (route.local === 'host' && route.remote === 'host') return 'direct'
  return 'direct through NAT'
}
