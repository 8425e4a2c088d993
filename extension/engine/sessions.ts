/**
 * Hosted sessions for pages: `p2p.host()` opens a lobby on the session's
 * topic, admits guests through a HostGate (password proof, max_peers) and
 * publishes session.json with a heartbeat while it is open; joining a
 * session URL opens a lobby that admits the host (and the other guests the
 * host admitted, so guests mesh with each other) and resolves once the
 * host admitted us (or rejects with its verdict: `wrong-password`,
 * `lobby-full`, `rate-limited`; `timeout` when the host is not found).
 * Both are LobbyHub lobbies, so pages hold them like any other; tabs share
 * one per session, on the terms of ../../src/sessions/shared-sessions.ts.
 */
import { bytesToHex } from '@noble/curves/utils.js'
import { P2PError } from '../../src/errors.js'
import { keyOfUrl } from '../../src/identity/hyper-url.js'
import type { IdentityManager } from '../../src/identity/manager.js'
import { Lobby, MAX_MAX_PEERS, type Admission, type LobbyOptions } from '../../src/lobby/lobby.js'
import type { LobbyWire } from '../../src/protocol/lobby.js'
import type { EngineMethods } from '../../src/protocol/messages.js'
import { DEFAULT_SESSION_PEERS } from '../../src/protocol/sessions.js'
import { GuestGate, HostGate } from '../../src/sessions/admission.js'
import { Attempts } from '../../src/sessions/attempts.js'
import { clampHeartbeat } from '../../src/sessions/liveness.js'
import { deriveSessionKey } from '../../src/sessions/password.js'
import { SessionPublisher } from '../../src/sessions/publisher.js'
import {
  checkSameHosting,
  SessionJoins,
  type HostedOptions,
} from '../../src/sessions/shared-sessions.js'
import { parseSessionUrl, sessionTopic, sessionUrl } from '../../src/sessions/session-url.js'
import type { RemotePeer } from '../../src/swarm/remote-peer.js'
import type { JoinRequest, LobbyHub } from './lobbies.js'

/** How long joining waits for the host's verdict, ms (under the worker's 20 s call timeout). */
export const JOIN_TIMEOUT = 15_000

export type HostRequest = EngineMethods['session.host']['params']

export interface SessionHubOptions {
  hub: LobbyHub
  identities(): Promise<IdentityManager>
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(P2PError.TIMEOUT(what, ms)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** A lobby on a session topic whose peers `gate` admits (the gate needs the lobby's membership). */
async function gatedLobby<G extends { admit(peer: RemotePeer): Promise<Admission> }>(
  opts: Omit<LobbyOptions, 'admit'>,
  makeGate: (lobby: Lobby) => G,
): Promise<{ lobby: Lobby; gate: G }> {
  let gate: G | null = null
  const lobby = await Lobby.join({
    ...opts,
    admit: (peer) => (gate ? gate.admit(peer) : Promise.resolve('left')),
  })
  gate = makeGate(lobby)
  return { lobby, gate }
}

export class SessionHub {
  readonly #opts: SessionHubOptions
  /** Identity → URL of the session it hosts (one at a time: session.json is one entry). */
  readonly #hosting = new Map<string, string>()
  readonly #attempts = new Attempts()
  /** Session URL → the options it is hosted with (while its lobby is open or opening). */
  readonly #hosted = new Map<string, HostedOptions>()
  readonly #joins = new SessionJoins()

  constructor(opts: SessionHubOptions) {
    this.#opts = opts
  }

  async host(origin: string, req: HostRequest): Promise<LobbyWire> {
    const archive = (await this.#opts.identities()).archive(req.identity)
    if (!archive.writable) {
      throw P2PError.PERMISSION_DENIED(
        'another browser writes this identity; hosting needs it here',
      )
    }
    const addr = { host: archive.url, name: req.name, origin }
    const url = sessionUrl(addr)
    const current = this.#hosting.get(archive.url)
    if (current && current !== url) {
      throw P2PError.INVALID_ARGUMENT('this identity already hosts a session; leave it first')
    }
    const maxPeers = req.maxPeers ?? DEFAULT_SESSION_PEERS
    const key = req.password !== undefined ? await deriveSessionKey(req.password, url) : null
    const topic = await sessionTopic(addr)
    const name = parseSessionUrl(url).name
    checkSameHosting(this.#hosted.get(url), { maxPeers, key }, name)
    const mine = !this.#hosted.has(url)
    const options: HostedOptions = { maxPeers, key }
    if (mine) this.#hosted.set(url, options)
    const forget = () => this.#hosted.get(url) === options && this.#hosted.delete(url)
    let opened = false
    const joined = this.#opts.hub.join(
      origin,
      { name, identity: req.identity, trackers: req.trackers, owner: req.owner, sessionData: null },
      {
        key: `host ${url}`,
        name,
        url,
        open: async (lease) => {
          // Guests may also find us through our lobby log (trackers down).
          const stopLog = lease.lobbyLog?.host(topic)
          const { lobby, gate } = await gatedLobby(
            { swarm: lease.swarm, origin, name, maxPeers: maxPeers - 1, topic },
            (l) =>
              new HostGate({
                membership: l.membership,
                self: { identityUrl: archive.url, peerId: lease.swarm.peerId },
                key,
                maxGuests: maxPeers - 1,
                attempts: this.#attempts,
                trusted: (who) => archive.profile?.friends.includes(who) ?? false,
              }),
          )
          const publisher = new SessionPublisher({
            archive,
            session: { name, url, max_peers: maxPeers, protected: key !== null },
            interval: clampHeartbeat(req.heartbeat),
          })
          opened = true
          const done = () => {
            forget()
            stopLog?.()
            gate.close()
            if (this.#hosting.get(archive.url) === url) this.#hosting.delete(archive.url)
          }
          this.#hosting.set(archive.url, url)
          try {
            await publisher.start()
          } catch (err) {
            lobby.leave()
            done()
            throw err
          }
          const count = () => publisher.setPeers(1 + lobby.peers.size)
          lobby.on('peer-join', count)
          lobby.on('peer-leave', count)
          lobby.on('state', ({ state }) => {
            if (state !== 'closed') return
            done()
            void publisher.stop()
          })
          return lobby
        },
      },
    )
    if (mine) joined.catch(() => !opened && forget())
    return joined
  }

  /** Joins the session whose URL is `req.name`. */
  async join(origin: string, req: JoinRequest): Promise<LobbyWire> {
    const addr = parseSessionUrl(req.name)
    if (addr.origin !== origin) {
      throw P2PError.INVALID_ARGUMENT(`this session is hosted on ${addr.origin}; join it there`)
    }
    if (addr.host === req.identity) throw P2PError.INVALID_ARGUMENT('this session is your own')
    const url = sessionUrl(addr)
    const key = req.password !== undefined ? await deriveSessionKey(req.password, url) : null
    const topic = await sessionTopic(addr)
    const { identity, trackers, owner, sessionData } = req
    const id = JSON.stringify([identity, url])
    return this.#joins.run(id, key, () =>
      this.#opts.hub.join(
        origin,
        { name: addr.name, identity, trackers, owner, sessionData },
        {
          key: `join ${url}`,
          name: addr.name,
          url,
          open: async (lease) => {
            const stopLog = lease.lobbyLog?.join(topic, bytesToHex(keyOfUrl(addr.host)))
            const { lobby, gate: guest } = await gatedLobby(
              // The host and the other guests it admitted (the host enforces the session's size).
              { swarm: lease.swarm, origin, name: addr.name, maxPeers: MAX_MAX_PEERS, topic },
              (l) =>
                new GuestGate({
                  membership: l.membership,
                  self: { identityUrl: req.identity, peerId: lease.swarm.peerId },
                  host: addr.host,
                  key,
                }),
            )
            const stop = lobby.membership.on('refused', ({ peerId }) => {
              if (lease.swarm.peer(peerId)?.identityUrl === addr.host) {
                guest.fail(new P2PError('lobby-full', `the session "${addr.name}" is full`))
              }
            })
            try {
              await withTimeout(guest.admitted, JOIN_TIMEOUT, `the host of "${addr.name}"`)
            } catch (err) {
              stopLog?.()
              lobby.leave()
              guest.close()
              throw err
            } finally {
              stop()
            }
            this.#joins.admitted(id)
            lobby.on('state', ({ state }) => {
              if (state !== 'closed') return
              this.#joins.ended(id)
              stopLog?.()
              guest.close()
            })
            return lobby
          },
        },
      ),
    )
  }
}
