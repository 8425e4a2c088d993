/**
 * The engine's real swarms (the SwarmPool's factory): every signaling backend
 * in src/signaling/adapters/ (WebTorrent trackers to meet a lobby's first
 * peer, the peer relay for the rest, lobby logs for hosted sessions), ICE
 * servers, the identity's key, the device id. Kept apart from ./swarms.ts
 * because the backends are found by a Vite glob (src/signaling/adapters.ts).
 */
import type { KeyPair } from 'hypercore'
import { P2PError } from '../../src/errors.js'
import type { IceServer } from '../../src/protocol/ice.js'
import type { IdentityManager } from '../../src/identity/manager.js'
import { sharedProfile } from '../../src/identity/shared-profile.js'
import { ArchiveReplicator } from '../../src/replication/replicator.js'
import { ADMISSION_CHANNEL } from '../../src/sessions/admission.js'
import { FRIENDS_CHANNEL } from '../../src/friends/claim.js'
import { ADAPTERS } from '../../src/signaling/adapters.js'
import { LobbyLog } from '../../src/signaling/lobby-log.js'
import { localPeerFromSecretKey } from '../../src/swarm/local-peer.js'
import { DEFAULT_EXTENSIONS, MAX_OFFER_POOL, Swarm } from '../../src/swarm/swarm.js'
import type { SwarmFactory } from './swarms.js'

/** What RTCPeerConnection gets: the servers, or nothing (host candidates only). */
export function rtcConfigOf(ice: readonly IceServer[]): RTCConfiguration | undefined {
  return ice.length > 0 ? { iceServers: ice.map((s) => ({ ...s })) } : undefined
}

/** The engine's swarm factory over the identities `identities` opens. */
export function trackerSwarms(identities: () => Promise<IdentityManager>): SwarmFactory {
  return async (identity, trackers, ice) => {
    const manager = await identities()
    const archive = manager.archive(identity)
    const keyPair = archive.core.keyPair as KeyPair | null
    if (!keyPair?.secretKey)
      throw P2PError.PERMISSION_DENIED('this identity has no secret key here')
    const signer = await localPeerFromSecretKey({
      secretKey: keyPair.secretKey,
      identityUrl: archive.url,
      instance: manager.deviceId,
    })
    // Each hello carries the archive's current name: peers show it without replicating first.
    const local = Object.freeze({ ...signer, profile: () => sharedProfile(archive.profile) })
    const made = await Promise.all(
      ADAPTERS.descriptors.map((d) => d.create({ local, keyPair, trackers })),
    )
    const rtcConfig = rtcConfigOf(ice)
    const swarm = new Swarm({
      local,
      adapters: made.map((m) => m.adapter),
      ...(rtcConfig ? { rtcConfig } : {}),
      // A lobby's first announce carries offers made before it was joined.
      offerPool: MAX_OFFER_POOL,
      // Hosted sessions admit guests, and friends claim invites, on channels of their own;
      // each signaling backend speaks its own.
      extensions: [
        ...new Set([
          ...DEFAULT_EXTENSIONS,
          ADMISSION_CHANNEL,
          FRIENDS_CHANNEL,
          ...ADAPTERS.channels,
        ]),
      ],
    })
    const stops = made.map((m) => m.attach?.(swarm))
    const lobbyLog = made.map((m) => m.adapter).find((a) => a instanceof LobbyLog)
    return {
      swarm,
      replicator: new ArchiveReplicator({ swarm, archive }),
      ...(lobbyLog ? { lobbyLog } : {}),
      detach: async () => {
        await Promise.all(stops.map((stop) => stop?.()))
      },
    }
  }
}
