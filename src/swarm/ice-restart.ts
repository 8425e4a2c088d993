/**
 * An ICE restart on a live RTCPeerConnection (RFC 8445 §9; `iceRestart` in
 * createOffer): new ICE credentials and freshly gathered candidates, the same
 * DTLS session and data channel on top. Non-trickle like the first
 * negotiation: each side's SDP carries every candidate it gathered.
 *
 * simple-peer's own renegotiation does not fit: it sends a non-trickle
 * description before gathering when its first gathering is done. So these
 * work on the RTCPeerConnection directly; simple-peer sees the signaling
 * state go back to `stable` and carries on.
 */
import { P2PError } from '../errors.js'
import { GatherPolicy, candidateType, expectedCandidateTypes } from './gathering.js'

/**
 * Waits until the local description holds the candidates worth waiting for
 * (gathering complete, or the policy's early end, or `timeout`), then
 * returns its SDP.
 */
export function gathered(
  pc: RTCPeerConnection,
  config: RTCConfiguration,
  timeout: number,
): Promise<string> {
  const policy = new GatherPolicy(expectedCandidateTypes(config))
  return new Promise<string>((resolve, reject) => {
    let quiet: ReturnType<typeof setTimeout> | undefined
    const done = () => {
      clearTimeout(quiet)
      clearTimeout(limit)
      pc.removeEventListener('icecandidate', onCandidate)
      const sdp = pc.localDescription?.sdp
      if (pc.signalingState === 'closed' || !sdp) {
        reject(P2PError.NOT_CONNECTED('the connection closed during an ICE restart'))
      } else resolve(sdp)
    }
    const onCandidate = ({ candidate }: RTCPeerConnectionIceEvent) => {
      clearTimeout(quiet)
      if (!candidate) return done()
      const wait = policy.candidate(candidateType(candidate.candidate))
      if (wait !== null) quiet = setTimeout(done, wait)
    }
    const limit = setTimeout(done, timeout)
    // Listening from before setLocalDescription: the state still says the
    // last gathering's `complete` right after it.
    pc.addEventListener('icecandidate', onCandidate)
  })
}

/** The side that made the original offer: a restart offer's SDP, gathered. */
export async function restartOffer(
  pc: RTCPeerConnection,
  config: RTCConfiguration,
  timeout: number,
): Promise<string> {
  const offer = await pc.createOffer({ iceRestart: true })
  const ready = gathered(pc, config, timeout)
  ready.catch(() => undefined)
  await pc.setLocalDescription(offer)
  return ready
}

/** The other side: applies a restart offer and returns its answer's SDP, gathered. */
export async function answerRestart(
  pc: RTCPeerConnection,
  sdp: string,
  config: RTCConfiguration,
  timeout: number,
): Promise<string> {
  // An earlier restart offer left half-applied: start over from the last stable state.
  if (pc.signalingState === 'have-remote-offer') await pc.setLocalDescription({ type: 'rollback' })
  if (pc.signalingState !== 'stable') {
    throw P2PError.PROTOCOL_ERROR('peer', `a restart offer in state ${pc.signalingState}`)
  }
  await pc.setRemoteDescription({ type: 'offer', sdp })
  const answer = await pc.createAnswer()
  const ready = gathered(pc, config, timeout)
  ready.catch(() => undefined)
  await pc.setLocalDescription(answer)
  return ready
}

/** The restarting side: applies the answer; false when no restart offer is outstanding. */
export async function completeRestart(pc: RTCPeerConnection, sdp: string): Promise<boolean> {
  if (pc.signalingState !== 'have-local-offer') return false
  await pc.setRemoteDescription({ type: 'answer', sdp })
  return true
}
