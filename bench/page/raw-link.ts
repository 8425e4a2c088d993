/**
 * One bare RTCDataChannel between two profiles, the anchor for the
 * extension's session-data and message rows. The bench carries the SDP
 * between the pages (each side waits for ICE gathering, no trickle); then:
 *
 * - one-way latency: stamped messages, the receiver subtracts on the clock
 *   the pages share (./peers.ts);
 * - round trip: pings the other side echoes, one at a time;
 * - throughput: bulk binary messages with flow control until the receiver
 *   confirms the last byte.
 */
import { now } from './peers.js'
import { StampCollector } from './stamps.js'

type Control =
  | { t: 'stamp'; at: number }
  | { t: 'ping'; i: number }
  | { t: 'pong'; i: number; at: number }
  | { t: 'bulk'; bytes: number }
  | { t: 'got' }

/** Bytes buffered in the channel before the sender waits. */
const HIGH_WATER = 4 * 1024 * 1024
const LOW_WATER = 1024 * 1024

let pc: RTCPeerConnection | null = null
let channel: RTCDataChannel | null = null
let open: Promise<void> = Promise.resolve()
let onControl: (msg: Control) => void = () => undefined
let stamps: StampCollector | null = null
let expected = 0
let receivedBytes = 0

function send(msg: Control): void {
  channel?.send(JSON.stringify(msg))
}

function attach(ch: RTCDataChannel): void {
  channel = ch
  ch.binaryType = 'arraybuffer'
  ch.bufferedAmountLowThreshold = LOW_WATER
  ch.onmessage = ({ data }: MessageEvent<string | ArrayBuffer>) => {
    if (typeof data !== 'string') {
      receivedBytes += data.byteLength
      if (expected > 0 && receivedBytes >= expected) {
        expected = 0
        send({ t: 'got' })
      }
      return
    }
    const msg = JSON.parse(data) as Control
    if (msg.t === 'ping') send({ t: 'pong', i: msg.i, at: now() })
    else if (msg.t === 'bulk') {
      expected = msg.bytes
      receivedBytes = 0
    } else if (msg.t === 'stamp') stamps?.stamp(msg.at)
    else onControl(msg)
  }
}

async function gathered(conn: RTCPeerConnection): Promise<string> {
  await conn.setLocalDescription()
  if (conn.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      conn.onicegatheringstatechange = () => {
        if (conn.iceGatheringState === 'complete') resolve()
      }
    })
  }
  return JSON.stringify(conn.localDescription)
}

function next<T extends Control['t']>(
  type: T,
  timeoutMs: number,
): Promise<Extract<Control, { t: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" in ${timeoutMs} ms`)), timeoutMs)
    onControl = (msg) => {
      if (msg.t !== type) return
      clearTimeout(timer)
      resolve(msg as Extract<Control, { t: T }>)
    }
  })
}

export const link = {
  /** Side A: a new connection and channel; resolves with the offer. */
  async offer(): Promise<string> {
    pc = new RTCPeerConnection()
    const ch = pc.createDataChannel('bench')
    open = new Promise((resolve) => ch.addEventListener('open', () => resolve()))
    attach(ch)
    return gathered(pc)
  },

  /** Side B: answers A's offer. */
  async answer(offer: string): Promise<string> {
    pc = new RTCPeerConnection()
    open = new Promise((resolve) => {
      pc!.ondatachannel = ({ channel: ch }) => {
        attach(ch)
        ch.addEventListener('open', () => resolve())
      }
    })
    await pc.setRemoteDescription(JSON.parse(offer) as RTCSessionDescriptionInit)
    return gathered(pc)
  },

  /** Side A: takes B's answer and waits for the channel. */
  async accept(answer: string): Promise<void> {
    await pc?.setRemoteDescription(JSON.parse(answer) as RTCSessionDescriptionInit)
    await open
  },

  opened: () => open,

  /** Receiver: starts collecting the next `count` stamped messages (before the sender starts). */
  armStamps(count: number, timeoutMs: number): void {
    stamps = new StampCollector(count, timeoutMs, now)
  },

  /** Receiver: their one-way delays (ms), once all arrived. */
  stamps(): Promise<number[]> {
    if (!stamps) throw new Error('armStamps first')
    return stamps.result()
  },

  /** Sender: `count` stamped messages, `gapMs` apart (so none queue behind another). */
  async sendStamps(count: number, gapMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      send({ t: 'stamp', at: now() })
      await new Promise((resolve) => setTimeout(resolve, gapMs))
    }
  },

  /**
   * Round trips (ms) of `count` pings, one at a time, and for each the other
   * page's clock minus this one's (NTP-style: its time of answering against
   * the middle of the round trip).
   */
  async ping(count: number): Promise<{ rtts: number[]; offsets: number[] }> {
    const rtts: number[] = []
    const offsets: number[] = []
    for (let i = 0; i < count; i++) {
      const start = now()
      const pong = next('pong', 5000)
      send({ t: 'ping', i })
      const { at } = await pong
      const end = now()
      rtts.push(end - start)
      offsets.push(at - (start + end) / 2)
    }
    return { rtts, offsets }
  },

  /** Sends `bytes` in `chunk`-byte messages; ms until the receiver confirmed the last byte. */
  async bulk(bytes: number, chunk: number): Promise<number> {
    const ch = channel
    if (!ch) throw new Error('no channel')
    const data = new Uint8Array(chunk).fill(1)
    const got = next('got', 60_000)
    const start = now()
    send({ t: 'bulk', bytes })
    for (let sent = 0; sent < bytes; sent += chunk) {
      if (ch.bufferedAmount > HIGH_WATER) {
        await new Promise((resolve) =>
          ch.addEventListener('bufferedamountlow', resolve, { once: true }),
        )
      }
      ch.send(data)
    }
    await got
    return now() - start
  },

  close(): void {
    pc?.close()
    pc = null
    channel = null
  },
}
