/**
 * Where friends find each other. Each identity announces one rendezvous
 * topic, and its friends join it to connect (and so replicate its archive).
 *
 * A tracker sees every topic it is asked for. Were the topic a plain hash of
 * the identity key, a tracker could hash the keys it learns (they are shown
 * to every lobby peer) and know who is online where. So the topic is a hash
 * of a rendezvous secret, itself HMAC(identity secret key, label): the same
 * in every browser holding the identity, unknown to anyone without the key,
 * and handed to friends only (in invites). A tracker cannot map a topic to
 * an identity short of guessing 32 random bytes; friends can, which is the point.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { topicFromBytes, TOPIC_BYTES, type Topic } from '../signaling/topic.js'
import { transcript } from '../transcript.js'

export const RENDEZVOUS_DOMAIN = 'porchlight/rendezvous-secret/v1'
export const FRIEND_TOPIC_DOMAIN = 'porchlight/friend-topic/v1'

/** The rendezvous secret of the identity whose secret key is `secretKey`. */
export function rendezvousSecret(secretKey: Uint8Array): Uint8Array {
  return hmac(sha256, secretKey, transcript(RENDEZVOUS_DOMAIN, []))
}

/** The topic an identity with rendezvous secret `secret` is found on. */
export function friendTopic(secret: Uint8Array): Topic {
  return topicFromBytes(sha256(transcript(FRIEND_TOPIC_DOMAIN, [secret])).subarray(0, TOPIC_BYTES))
}
