#!/usr/bin/env node
/**
 * Draws the Porchlight icon (a warm light with a soft glow) as PNGs into
 * assets/icons/. Run by hand when the icon changes; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size)
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)))
// A dark rounded tile with a warm lamp and its halo.
function pixel(x, y) {
  const dx = x - 0.5
  const dy = y - 0.5
  const corner = Math.max(Math.abs(dx) - 0.3, 0) ** 2 + Math.max(Math.abs(dy) - 0.3, 0) ** 2
  if (corner > 0.2 ** 2) return [0, 0, 0, 0]
  const d = Math.hypot(dx, dy)
  const lamp = d < 0.17 ? 1 : 0
  const halo = Math.max(0, 1 - (d - 0.17) / 0.28) ** 2
  const base = [32, 36, 52]
  const warm = [255, 196, 84]
  const t = lamp ? 1 : halo * 0.75
  return [...base.map((b, i) => clamp(b + (warm[i] - b) * t)), 255]
}
mkdirSync('assets/icons', { recursive: true })
for (const size of [16, 32, 48, 128])
  writeFileSync(`assets/icons/icon-${size}.png`, png(size, pixel))
console.log('wrote assets/icons/icon-{16,32,48,128}.png')
