/**
 * Unambiguous byte strings for hashing and signing: a domain label, a zero
 * byte, then each field as a 4-byte big-endian length and its bytes. Two
 * different field lists never encode to the same bytes, and a label keeps
 * one use (a topic, a peer id, a hello) from being replayed as another.
 */
const encoder = new TextEncoder()

export type Field = string | Uint8Array

export function transcript(domain: string, fields: readonly Field[]): Uint8Array<ArrayBuffer> {
  const label = encoder.encode(domain)
  const parts = fields.map((f) => (typeof f === 'string' ? encoder.encode(f) : f))
  const size = label.length + 1 + parts.reduce((n, p) => n + 4 + p.length, 0)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  out.set(label, 0)
  let at = label.length + 1
  for (const part of parts) {
    view.setUint32(at, part.length)
    out.set(part, at + 4)
    at += 4 + part.length
  }
  return out
}

/** SHA-256 of a transcript, with WebCrypto (browsers and Node ≥ 20). */
export async function digest(domain: string, fields: readonly Field[]): Promise<Uint8Array> {
  const bytes = transcript(domain, fields)
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}
