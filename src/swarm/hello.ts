/**
 * The first message on every connection: who I am, which extensions I speak,
 * and a proof. The proof is an Ed25519 signature by the identity key over the
 * hello and over this connection's DTLS certificate fingerprints (signer's
 * first), taken from the SDPs the two sides exchanged. The browser's DTLS
 * handshake guarantees that the remote really holds the certificate of the
 * remote SDP, so a hello verifies only on the connection it was made for: a
 * peer cannot claim someone else's identity, nor replay a hello it saw, nor
 * can a signaling server sit in the middle with its own certificates.
 *
 * The hello also carries the signer's shared profile (name, created), so a
 * lobby can show a peer's name as soon as the hello verifies, without waiting
 * for its archive to replicate. It is signed by the identity key, which is
 * the archive's own key (see verifyIdentityUrlIsKey): the name is the
 * archive owner's word, as authentic as profile.json itself. Replication
 * later brings the archive's current profile (a rename: `peer-update`).
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js'
import { P2PError } from '../errors.js'
import {
  parseSharedProfile,
  sharedProfileField,
  type SharedProfile,
} from '../identity/shared-profile.js'
import { isRecord, own } from '../protocol/validate.js'
import { transcript } from '../transcript.js'
import { derivePeerId, isInstance, type LocalPeerInfo } from './local-peer.js'

export const HELLO_DOMAIN = 'porchlight/hello/v2'
export const MAX_EXTENSIONS = 16
const EXTENSION = /^[a-z][a-z0-9-]{0,31}$/
const HEX40 = /^[0-9a-f]{40}$/
const HEX64 = /^[0-9a-f]{64}$/
const HEX128 = /^[0-9a-f]{128}$/
const MAX_URL = 200

export interface Hello {
  peerId: string
  instance: string
  identityUrl: string
  /** Hex of the Ed25519 key that signed the proof. */
  identityKey: string
  extensions: string[]
  /** The signer's name and creation time (null: it shares none). */
  profile: SharedProfile | null
  /** Hex of the Ed25519 signature. */
  proof: string
}

/** The DTLS fingerprints an SDP declares, normalised: "sha-256 AB:CD:…", sorted, joined by "|". */
export function sdpFingerprints(sdp: string): string {
  const found = new Set<string>()
  for (const match of sdp.matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gm)) {
    const [, algorithm = '', value = ''] = match
    found.add(`${algorithm.toLowerCase()} ${value.toUpperCase()}`)
  }
  if (found.size === 0) throw P2PError.PROTOCOL_ERROR('peer', 'SDP without a DTLS fingerprint')
  return [...found].sort().join('|')
}

type Unsigned = Omit<Hello, 'proof'>

function helloBytes(hello: Unsigned, signerFingerprints: string, verifierFingerprints: string) {
  return transcript(HELLO_DOMAIN, [
    hello.peerId,
    hello.instance,
    hello.identityUrl,
    hello.identityKey,
    hello.extensions.join(','),
    sharedProfileField(hello.profile),
    signerFingerprints,
    verifierFingerprints,
  ])
}

/** Our hello for a connection whose local and remote SDPs are given. */
export async function createHello(
  local: LocalPeerInfo,
  extensions: readonly string[],
  localSdp: string,
  remoteSdp: string,
): Promise<Hello> {
  const unsigned: Unsigned = {
    peerId: local.peerId,
    instance: local.instance,
    identityUrl: local.identityUrl,
    identityKey: bytesToHex(local.identityKey),
    extensions: [...extensions],
    profile: local.profile?.() ?? null,
  }
  const message = helloBytes(unsigned, sdpFingerprints(localSdp), sdpFingerprints(remoteSdp))
  return { ...unsigned, proof: bytesToHex(await local.sign(message)) }
}

function field(raw: Record<string, unknown>, key: string, pattern: RegExp): string {
  const value = own(raw, key)
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw P2PError.PROTOCOL_ERROR('peer', `hello.${key} is malformed`)
  }
  return value
}

/** Checks the shape of a hello from the wire (not its proof). */
export function parseHello(raw: unknown): Hello {
  if (!isRecord(raw)) throw P2PError.PROTOCOL_ERROR('peer', 'hello is not an object')
  const identityUrl = own(raw, 'identityUrl')
  if (typeof identityUrl !== 'string' || identityUrl.length > MAX_URL) {
    throw P2PError.PROTOCOL_ERROR('peer', 'hello.identityUrl is malformed')
  }
  const extensions = own(raw, 'extensions')
  if (
    !Array.isArray(extensions) ||
    extensions.length > MAX_EXTENSIONS ||
    !extensions.every((e): e is string => typeof e === 'string' && EXTENSION.test(e))
  ) {
    throw P2PError.PROTOCOL_ERROR('peer', 'hello.extensions is malformed')
  }
  const instance = own(raw, 'instance')
  if (!isInstance(instance)) throw P2PError.PROTOCOL_ERROR('peer', 'hello.instance is malformed')
  return {
    peerId: field(raw, 'peerId', HEX40),
    instance,
    identityUrl,
    identityKey: field(raw, 'identityKey', HEX64),
    extensions: [...extensions],
    profile: parseSharedProfile(own(raw, 'profile') ?? null, 'hello.profile'),
    proof: field(raw, 'proof', HEX128),
  }
}

/**
 * Verifies a remote hello on the connection with these SDPs: the peer id
 * belongs to the identity key and instance, it is the peer id that signaled
 * (when known), and the proof is the identity key's signature over this
 * connection. Throws `unauthenticated` otherwise.
 */
export async function verifyHelloProof(
  hello: Hello,
  localSdp: string,
  remoteSdp: string,
  expectedPeerId?: string,
): Promise<void> {
  const key = hexToBytes(hello.identityKey)
  if ((await derivePeerId(key, hello.instance)) !== hello.peerId) {
    throw P2PError.UNAUTHENTICATED('the peer id does not belong to the identity key')
  }
  if (expectedPeerId !== undefined && expectedPeerId !== hello.peerId) {
    throw P2PError.UNAUTHENTICATED('the hello is from another peer id than the one that signaled')
  }
  // Signer's fingerprints first: from our side those are the remote SDP's.
  const message = helloBytes(hello, sdpFingerprints(remoteSdp), sdpFingerprints(localSdp))
  let valid = false
  try {
    valid = ed25519.verify(hexToBytes(hello.proof), message, key)
  } catch {
    valid = false
  }
  if (!valid) throw P2PError.UNAUTHENTICATED('the hello proof does not verify for this connection')
}

/**
 * Binds a verified identity key to the identity URL it claims. The default is
 * a hypercore in compat mode, whose key is the signing key; the engine
 * replaces it when identity URLs name manifests or Noise keys.
 */
export type VerifyHello = (hello: Hello) => boolean | Promise<boolean>

export const verifyIdentityUrlIsKey: VerifyHello = (hello) =>
  hello.identityUrl === `hyper://${hello.identityKey}`
