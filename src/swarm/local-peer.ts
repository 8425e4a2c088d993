/**
 * Who this browser is to the swarm, behind a small interface so that the
 * identity archives (hypercore) plug in without the swarm knowing them.
 *
 * A peer id names one browser instance of one identity: it is derived from
 * the identity's signing key and a random per-instance value, so nobody can
 * take another's peer id without that identity's key (the hello proves it),
 * and two browsers of one identity are two peers.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToHex, hexToBytes, randomBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import type { SharedProfile } from '../identity/shared-profile.js'
import { digest } from '../transcript.js'

export const PEER_ID_DOMAIN = 'porchlight/peer-id/v1'

export interface LocalPeerInfo {
  /** 40 hex: derivePeerId(identityKey, instance). Used as the tracker peer_id too. */
  readonly peerId: string
  /** 32 hex, random per browser instance (and per identity used in it). */
  readonly instance: string
  /** The identity archive's URL, `hyper://<64 hex>`. */
  readonly identityUrl: string
  /** The Ed25519 public key that signs for the identity (32 bytes). */
  readonly identityKey: Uint8Array
  /** Ed25519 signature by the identity key; the secret key never leaves its owner. */
  sign(message: Uint8Array): Promise<Uint8Array>
  /** The name (and creation time) signed into each new connection's hello, read when it is made. */
  profile?(): SharedProfile | null
}

const HEX32 = /^[0-9a-f]{32}$/
const IDENTITY_URL = /^hyper:\/\/([0-9a-f]{64})$/

export function isInstance(value: unknown): value is string {
  return typeof value === 'string' && HEX32.test(value)
}

/** A fresh per-instance value (16 random bytes as hex). */
export function randomInstance(): string {
  return bytesToHex(randomBytes(16))
}

/** The peer id of `instance` of the identity with signing key `identityKey`. */
export async function derivePeerId(identityKey: Uint8Array, instance: string): Promise<string> {
  if (identityKey.length !== 32) throw P2PError.INVALID_ARGUMENT('an identity key is 32 bytes')
  if (!isInstance(instance)) throw P2PError.INVALID_ARGUMENT('an instance is 32 hex characters')
  const hash = await digest(PEER_ID_DOMAIN, [identityKey, hexToBytes(instance)])
  return bytesToHex(hash.subarray(0, 20))
}

/** `hyper://<hex>` for a 32-byte key. */
export function identityUrlFromKey(key: Uint8Array): string {
  if (key.length !== 32) throw P2PError.INVALID_ARGUMENT('an identity key is 32 bytes')
  return `hyper://${bytesToHex(key)}`
}

/** The 32-byte key in a `hyper://<64 hex>` URL; throws `invalid-argument` otherwise. */
export function keyFromIdentityUrl(url: string): Uint8Array {
  const match = IDENTITY_URL.exec(url)
  if (!match?.[1]) throw P2PError.INVALID_ARGUMENT('an identity URL is hyper://<64 hex>')
  return hexToBytes(match[1])
}

export interface SecretKeyPeerOptions {
  /** Ed25519 secret key: a 32-byte seed, or sodium's 64-byte seed‖public key (hypercore). */
  secretKey: Uint8Array
  /** Defaults to hyper://<public key hex> (a hypercore in compat mode). */
  identityUrl?: string
  instance?: string
}

/**
 * A LocalPeerInfo that signs with a secret key held in memory: for tests, and
 * for the engine until the identity module provides its own signer.
 */
export async function localPeerFromSecretKey(opts: SecretKeyPeerOptions): Promise<LocalPeerInfo> {
  const { secretKey } = opts
  if (secretKey.length !== 32 && secretKey.length !== 64) {
    throw P2PError.INVALID_ARGUMENT('an Ed25519 secret key is 32 or 64 bytes')
  }
  const seed = Uint8Array.from(secretKey.subarray(0, 32))
  const identityKey = ed25519.getPublicKey(seed)
  if (secretKey.length === 64 && bytesToHex(secretKey.subarray(32)) !== bytesToHex(identityKey)) {
    throw P2PError.INVALID_ARGUMENT('the secret key does not match its public half')
  }
  const instance = opts.instance ?? randomInstance()
  return Object.freeze({
    peerId: await derivePeerId(identityKey, instance),
    instance,
    identityUrl: opts.identityUrl ?? identityUrlFromKey(identityKey),
    identityKey,
    sign: async (message: Uint8Array) => ed25519.sign(message, seed),
  })
}

/** A new random identity (tests, demos). */
export function generateLocalPeer(instance?: string): Promise<LocalPeerInfo> {
  return localPeerFromSecretKey({
    secretKey: ed25519.utils.randomSecretKey(),
    ...(instance ? { instance } : {}),
  })
}
