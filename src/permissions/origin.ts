/**
 * Which callers may ever hold presence permission. The service worker takes the
 * caller's origin from `port.sender`; this decides what that origin is allowed.
 */

/** Origins that can be granted presence: http(s) sites with a real host. */
export function isGrantableOrigin(origin: string | null | undefined): origin is string {
  if (!origin || origin === 'null') return false
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  // An origin is scheme://host[:port] and nothing else.
  return url.origin === origin
}

interface SenderLike {
  origin?: string
  url?: string
  id?: string
}

/**
 * The origin a message came from, taken only from what the browser attests
 * about the sender. Returns null for opaque or unknown origins.
 */
export function senderOrigin(sender: SenderLike | undefined): string | null {
  if (!sender) return null
  if (typeof sender.origin === 'string') return sender.origin === 'null' ? null : sender.origin
  if (typeof sender.url === 'string') {
    try {
      const origin = new URL(sender.url).origin
      return origin === 'null' ? null : origin
    } catch {
      return null
    }
  }
  return null
}
