/**
 * What an avatar shows for an identity: initials from the name, on a colour
 * derived from the identity URL, so that the same person has the same colour
 * on every site and in every browser.
 */

/** OKLCH lightness and chroma of avatar colours: white text on them is ≥ 5:1 for every hue. */
const LIGHTNESS = 0.52
const CHROMA = 0.11

/** The colour shown for identities not known yet (a peer still authenticating). */
export const UNKNOWN_COLOUR = '#6b645b'

/** FNV-1a, 32 bits, with murmur3's final mix so that every bit (and so the hue) is well spread. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

function toHex(channel: number): string {
  const encoded =
    channel <= 0.0031308 ? 12.92 * channel : 1.055 * Math.pow(channel, 1 / 2.4) - 0.055
  const byte = Math.round(Math.min(1, Math.max(0, encoded)) * 255)
  return byte.toString(16).padStart(2, '0')
}

/** An OKLCH colour as `#rrggbb` (gamut-clipped; fine at this lightness and chroma). */
export function oklchToHex(lightness: number, chroma: number, hueDegrees: number): string {
  const h = (hueDegrees * Math.PI) / 180
  const a = chroma * Math.cos(h)
  const b = chroma * Math.sin(h)
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3
  const r = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s
  const g = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s
  const bl = -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s
  return `#${toHex(r)}${toHex(g)}${toHex(bl)}`
}

/** The avatar colour of an identity URL (`hyper://…`); the same URL always gives the same colour. */
export function colourFor(url: string | null | undefined): string {
  if (!url) return UNKNOWN_COLOUR
  return oklchToHex(LIGHTNESS, CHROMA, hash(url.toLowerCase()) % 360)
}

/** Up to two initials of a display name: "Ada Lovelace" → "AL", "grace" → "G", "" → "?". */
export function initialsFor(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/u).filter(Boolean)
  const first = words[0]
  if (!first) return '?'
  const last = words.length > 1 ? words[words.length - 1] : undefined
  const letter = (word: string): string => Array.from(word)[0]?.toLocaleUpperCase() ?? ''
  return letter(first) + (last ? letter(last) : '')
}
