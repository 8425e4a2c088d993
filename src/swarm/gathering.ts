/**
 * When ICE gathering for a non-trickle offer or answer is done enough.
 *
 * Waiting for the browser's own end of gathering costs ~120 ms in Chromium
 * even with no ICE servers at all, while the host candidates arrive within a
 * few milliseconds. So gathering counts as complete once every candidate
 * type the ICE configuration can yield has arrived (host without ICE
 * servers; srflx too with a STUN server; relay too with a TURN server; only
 * relay under `iceTransportPolicy: 'relay'`), followed by a short quiet
 * period without a new candidate (more interfaces, TCP, a second TURN
 * transport). The caller keeps its full-gathering timeout as the upper
 * bound: a type that never comes (a STUN server out of reach, or a srflx
 * address equal to the host one, which the browser drops) costs no more
 * than before.
 */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'

/** Quiet time after the last expected type arrived, ms. */
export const GATHER_QUIET_MS = 15

/** The candidate types the ICE servers of `config` give: srflx from STUN, relay from TURN. */
export function serverCandidateTypes(config: RTCConfiguration): Set<CandidateType> {
  const types = new Set<CandidateType>()
  for (const server of config.iceServers ?? []) {
    for (const url of [server.urls].flat()) {
      if (/^stuns?:/i.test(url)) types.add('srflx')
      else if (/^turns?:/i.test(url)) types.add('relay')
    }
  }
  return types
}

/** The candidate types gathering under `config` can yield, and that we wait for. */
export function expectedCandidateTypes(config: RTCConfiguration): ReadonlySet<CandidateType> {
  if (config.iceTransportPolicy === 'relay') return new Set(['relay'])
  return serverCandidateTypes(config).add('host')
}

/** The type of an ICE candidate line (`candidate:… typ host …`); null when it has none. */
export function candidateType(candidate: string): CandidateType | null {
  const typ = / typ (host|srflx|prflx|relay)(?: |$)/.exec(candidate)
  return typ ? (typ[1] as CandidateType) : null
}

/**
 * Follows the candidates of one gathering. `candidate()` says, after each,
 * how long to wait for another before calling gathering complete (null: an
 * expected type is still missing, keep waiting).
 */
export class GatherPolicy {
  readonly #missing: Set<CandidateType>
  readonly #quietMs: number

  constructor(expected: ReadonlySet<CandidateType>, quietMs = GATHER_QUIET_MS) {
    this.#missing = new Set(expected)
    this.#quietMs = quietMs
  }

  /** Records a candidate of `type` (null: unknown type); ms of quiet still wanted, or null. */
  candidate(type: CandidateType | null): number | null {
    if (type) this.#missing.delete(type)
    return this.#missing.size === 0 ? this.#quietMs : null
  }
}
