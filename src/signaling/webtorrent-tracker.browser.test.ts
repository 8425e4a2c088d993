/// <reference types="mocha" />
// The tracker adapter against real bittorrent-tracker servers on 127.0.0.1.
// SDPs here are placeholders: the tracker relays them without reading them,
// which is exactly what lets these tests check the signaling alone.
import { expect } from '@esm-bundle/chai'
import {
  randomId,
  randomTopic,
  sleep,
  startTracker,
  stopTrackers,
  waitFor,
} from '../../test/browser/helpers.js'
import type { P2PError } from '../errors.js'
import { generateLocalPeer } from '../swarm/local-peer.js'
import type {
  LocalOffer,
  RemoteAnswer,
  RemoteOffer,
  SignalSource,
  TopicHandlers,
} from './adapter.js'
import { signEnvelope, type Envelope } from './relay-envelope.js'
import type { Topic } from './topic.js'
import { hexToBinary } from './tracker-messages.js'
import { WebTorrentTracker, type WebTorrentTrackerOptions } from './webtorrent-tracker.js'

interface Recorder extends TopicHandlers {
  refusals: SignalSource[]
  reachable: number
  restarts: Envelope[]
  offers: RemoteOffer[]
  answers: RemoteAnswer[]
  errors: P2PError[]
  made: LocalOffer[]
  want: number
}

function recorder(name: string, want = 0): Recorder {
  const r: Recorder = {
    refusals: [],
    reachable: 0,
    restarts: [],
    offers: [],
    answers: [],
    errors: [],
    made: [],
    want,
    offersWanted: () => r.want,
    createOffers: async (count) => {
      const made = Array.from({ length: count }, () => ({
        offerId: randomId(),
        sdp: `v=0\r\ns=offer from ${name}\r\n`,
      }))
      r.made.push(...made)
      return made
    },
    onOffer: async (offer) => {
      r.offers.push(offer)
      return `v=0\r\ns=answer from ${name}\r\n`
    },
    onAnswer: (answer) => void r.answers.push(answer),
    onRestart: (env) => void r.restarts.push(env),
    onRefused: (refusal) => void r.refusals.push(refusal),
    onReachable: () => void r.reachable++,
    onError: (err) => void r.errors.push(err),
  }
  return r
}

const adapters: WebTorrentTracker[] = []

function adapter(
  urls: string[],
  opts: Partial<WebTorrentTrackerOptions> = {},
  peerId = randomId(),
) {
  const a = new WebTorrentTracker({ urls, backoff: { initial: 100, max: 500, jitter: 0 }, ...opts })
  adapters.push(a)
  a.init(peerId)
  return { a, peerId }
}

/**
 * A hostile peer talking to the tracker directly: the tracker forwards its
 * offers verbatim, so they reach the other peers exactly as written.
 */
async function hostilePeer(url: string, topic: Topic) {
  const socket = new WebSocket(url)
  await new Promise((resolve) => (socket.onopen = resolve))
  const peerId = randomId()
  return {
    peerId,
    offer: (offer: unknown) =>
      socket.send(
        JSON.stringify({
          action: 'announce',
          info_hash: hexToBinary(topic.hex),
          peer_id: hexToBinary(peerId),
          numwant: 1,
          offers: [{ offer_id: hexToBinary(randomId()), offer }],
        }),
      ),
    close: () => socket.close(),
  }
}

afterEach(async () => {
  for (const a of adapters.splice(0)) a.deactivate()
  await stopTrackers()
})

describe('WebTorrentTracker adapter (real tracker)', () => {
  it('carries an offer to the other peer and its answer back, with ids intact', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const A = adapter([t.url])
    const B = adapter([t.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A in the tracker swarm', async () => (await t.swarms())[topic.hex] === 1)
    const rb = recorder('B', 1)
    B.a.subscribe(topic, rb)
    const answer = await waitFor('B gets an answer', () => rb.answers[0])
    const offer = ra.offers[0]
    expect(offer?.peerId).to.equal(B.peerId)
    expect(offer?.sdp).to.equal('v=0\r\ns=offer from B\r\n')
    expect(offer?.topic.hex).to.equal(topic.hex)
    expect(offer?.via).to.equal(t.url)
    expect(answer.peerId).to.equal(A.peerId)
    expect(answer.offerId).to.equal(rb.made[0]?.offerId)
    expect(answer.offerId).to.equal(offer?.offerId)
    expect(answer.sdp).to.equal('v=0\r\ns=answer from A\r\n')
    expect(A.a.status()).to.deep.equal([{ server: t.url, state: 'open' }])
  })

  it('makes a new topic’s offers while its socket opens, and sends them once it is open', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const A = adapter([t.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A in the tracker swarm', async () => (await t.swarms())[topic.hex] === 1)
    const B = adapter([t.url])
    const states: string[] = []
    const rb = recorder('B', 2)
    const make = rb.createOffers
    rb.createOffers = (count) => {
      states.push(...B.a.status().map((s) => s.state))
      return make(count)
    }
    // Subscribed at once: B's socket is still opening.
    B.a.subscribe(topic, rb)
    expect(states).to.deep.equal(['connecting'], 'offers are made before the socket is open')
    await waitFor('B gets an answer', () => rb.answers[0])
    expect(ra.offers.map((o) => o.offerId)).to.include(rb.made[0]?.offerId)
    expect(rb.made).to.have.length(2, 'one set of offers, held for the open socket')
  })

  it('a full peer refuses an offer through the tracker instead of leaving it unanswered', async () => {
    const tracker = await startTracker()
    const topic = randomTopic()
    const A = adapter([tracker.url])
    const ra = { ...recorder('A'), full: () => true }
    A.a.subscribe(topic, ra)
    await waitFor('A announced', async () => (await tracker.swarms())[topic.hex] === 1)
    const B = adapter([tracker.url])
    const rb = recorder('B', 1)
    B.a.subscribe(topic, rb)
    const refusal = await waitFor('B hears A is full', () => rb.refusals[0])
    expect(refusal.peerId).to.equal(A.peerId)
    expect(refusal.offerId).to.equal(rb.made[0]?.offerId)
    expect(refusal.topic.hex).to.equal(topic.hex)
    expect(rb.answers, 'a refusal is not an answer').to.deep.equal([])
    expect(ra.offers, 'A did not take the offer').to.deep.equal([])
  })

  it('keeps topics apart: offers on one topic never reach another', async () => {
    const t = await startTracker()
    const A = adapter([t.url])
    const B = adapter([t.url])
    const ra = recorder('A')
    const topicA = randomTopic()
    const topicB = randomTopic()
    A.a.subscribe(topicA, ra)
    await waitFor('A announced', async () => (await t.swarms())[topicA.hex] === 1)
    const rb = recorder('B', 3)
    B.a.subscribe(topicB, rb)
    await waitFor('B announced', async () => (await t.swarms())[topicB.hex] === 1)
    await sleep(300)
    expect(rb.made.length).to.be.greaterThan(0)
    expect(ra.offers).to.have.length(0)
    expect(rb.answers).to.have.length(0)
  })

  it('meets through the one tracker both sides know, whatever else is in the lists', async () => {
    const shared = await startTracker()
    const onlyA = await startTracker()
    const onlyB = await startTracker()
    const dead = 'ws://127.0.0.1:9' // nothing listens on the discard port
    const topic = randomTopic()
    const A = adapter([dead, onlyA.url, shared.url])
    const B = adapter([onlyB.url, shared.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A on the shared tracker', async () => (await shared.swarms())[topic.hex] === 1)
    const rb = recorder('B', 1)
    B.a.subscribe(topic, rb)
    const answer = await waitFor('B gets an answer', () => rb.answers[0])
    expect(answer.via).to.equal(shared.url)
    expect((await onlyA.swarms())[topic.hex]).to.equal(1)
    expect((await onlyB.swarms())[topic.hex]).to.equal(1)
    const deadStatus = A.a.status().find((s) => s.server === dead)
    expect(deadStatus?.state).to.not.equal('open')
  })

  it('reconnects with backoff after the tracker goes away and announces again', async () => {
    const first = await startTracker()
    const topic = randomTopic()
    const A = adapter([first.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A announced', async () => (await first.swarms())[topic.hex] === 1)
    await first.stop()
    await waitFor('A sees the tracker closed', () => A.a.status()[0]?.state !== 'open')
    expect(A.a.status()[0]?.error?.code).to.be.oneOf(['signaling-failed', 'timeout'])
    // The same URL comes back: A must find it and announce its topic there again.
    const again = await startTracker({ port: first.port })
    expect(again.url).to.equal(first.url)
    await waitFor('A announced again', async () => (await again.swarms())[topic.hex] === 1, 5_000)
    const B = adapter([again.url])
    const rb = recorder('B', 1)
    B.a.subscribe(topic, rb)
    await waitFor('B gets an answer after the restart', () => rb.answers[0])
  })

  it('tells its topics once when no tracker is reachable, new topics at once, until one opens', async () => {
    const first = await startTracker()
    const second = await startTracker()
    const urls = [first.url, second.url]
    await first.stop()
    await second.stop()
    const A = adapter(urls)
    const ra = recorder('A')
    A.a.subscribe(randomTopic(), ra)
    await waitFor('A told no tracker is reachable', () => ra.errors[0])
    expect(ra.errors[0]?.code).to.equal('signaling-failed')
    expect(ra.errors[0]?.message).to.include('cannot reach any of 2 trackers')
    await sleep(700) // more failed retries (backoff ≤ 500 ms) tell nobody again
    expect(ra.errors).to.have.length(1)
    const rb = recorder('B')
    A.a.subscribe(randomTopic(), rb)
    await waitFor('a new topic told at once', () => rb.errors[0])
    expect(rb.errors[0]?.code).to.equal('signaling-failed')
    // One comes back: the outage is over, and a topic subscribed now hears nothing.
    const again = await startTracker({ port: first.port })
    expect(ra.reachable, 'nobody answered during the outage').to.equal(0)
    await waitFor('A reconnected', () => A.a.status().some((s) => s.state === 'open'), 5_000)
    await waitFor('the topic hears the tracker answer again', () => ra.reachable > 0)
    const rc = recorder('C')
    A.a.subscribe(randomTopic(), rc)
    await sleep(100)
    expect(rc.errors).to.deep.equal([])
    expect(again.url).to.equal(first.url)
  })

  it('routes a restart signal to the peer it names, on that peer’s newest socket', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    // A's sockets can be dropped the way a network change drops them: A sees
    // its socket die, while the tracker still holds it as A's.
    const sockets: WebSocket[] = []
    class Droppable extends WebSocket {
      dropped = false
      constructor(url: string | URL) {
        super(url)
        sockets.push(this)
      }
      override close(): void {
        if (!this.dropped) super.close()
      }
    }
    const dropA = () => {
      const socket = sockets.at(-1) as Droppable
      const onclose = socket.onclose
      socket.dropped = true
      onclose?.call(socket, new CloseEvent('close'))
    }
    const A = adapter([t.url], { WebSocket: Droppable })
    const b = await generateLocalPeer()
    const B = adapter([t.url], {}, b.peerId)
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    B.a.subscribe(topic, recorder('B'))
    await waitFor('both in the tracker swarm', async () => (await t.swarms())[topic.hex] === 2)
    const send = async (sdp: string) => {
      const fields = { kind: 'restart' as const, topic: topic.hex, to: A.peerId, sdp }
      const env = await signEnvelope(b, { ...fields, offerId: randomId() })
      expect(B.a.sendRestart(topic, env)).to.equal(true)
      return env
    }
    const first = await send('v=0\r\ns=restart one\r\n')
    await waitFor('A gets the restart signal', () => ra.restarts[0])
    expect(ra.restarts[0]).to.deep.equal(first, 'the envelope as signed')
    expect(ra.answers).to.deep.equal([], 'not taken for an answer')

    dropA()
    await waitFor(
      'A on a new socket',
      () => sockets.length === 2 && A.a.status()[0]?.state === 'open',
    )
    await waitFor('A announced again', async () => (await t.swarms())[topic.hex] === 2)
    await sleep(200)
    const second = await send('v=0\r\ns=restart two\r\n')
    await waitFor('A gets it on its new socket', () => ra.restarts[1], 3_000)
    expect(ra.restarts[1]).to.deep.equal(second)
  })

  it('re-announces at the interval the tracker asks for', async () => {
    // bittorrent-tracker hands WebSocket clients interval/5: 25 s → 5 s.
    const t = await startTracker({ interval: 25_000 })
    const topic = randomTopic()
    const A = adapter([t.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A announced', async () => (await t.swarms())[topic.hex] === 1)
    const B = adapter([t.url], { defaultInterval: 60_000 })
    const rb = recorder('B', 1)
    B.a.subscribe(topic, rb)
    await waitFor('first offer', () => ra.offers.length === 1)
    const firstAt = performance.now()
    await waitFor('second offer', () => ra.offers.length === 2, 8_000)
    const gap = performance.now() - firstAt
    expect(gap).to.be.within(4_000, 7_000)
  })

  it('stops announcing a topic on unsubscribe (the tracker drops it)', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const A = adapter([t.url])
    const off = A.a.subscribe(topic, recorder('A'))
    await waitFor('A announced', async () => (await t.swarms())[topic.hex] === 1)
    off()
    await waitFor('A left the swarm', async () => !(await t.swarms())[topic.hex])
  })

  it('refuses hostile offers relayed by the tracker and keeps working', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const A = adapter([t.url])
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A announced', async () => (await t.swarms())[topic.hex] === 1)

    const evil = await hostilePeer(t.url, topic)
    evil.offer({ type: 'offer', sdp: 'v=0' + 'x'.repeat(100_000) }) // oversized
    evil.offer({ type: 'offer', sdp: 42 }) // wrong type
    evil.offer({ type: 'answer', sdp: 'v=0\r\n' }) // an answer dressed as an offer
    evil.offer('not an object')
    await waitFor('four protocol errors', () => ra.errors.length >= 4)
    expect(ra.errors.map((e) => e.code)).to.deep.equal(Array(4).fill('protocol-error'))
    expect(ra.offers).to.have.length(0)

    // A well-formed offer still gets through afterwards.
    evil.offer({ type: 'offer', sdp: 'v=0\r\ns=fine\r\n' })
    const ok = await waitFor('the valid offer', () => ra.offers[0])
    expect(ok.peerId).to.equal(evil.peerId)
    evil.close()
  })

  it('rate-limits offers from a flooding tracker', async () => {
    const t = await startTracker()
    const topic = randomTopic()
    const A = adapter([t.url], { offerRate: { burst: 3, perSecond: 0.001 } })
    const ra = recorder('A')
    A.a.subscribe(topic, ra)
    await waitFor('A announced', async () => (await t.swarms())[topic.hex] === 1)
    const evil = await hostilePeer(t.url, topic)
    for (let i = 0; i < 10; i++) evil.offer({ type: 'offer', sdp: 'v=0\r\n' })
    await waitFor('errors for the excess', () => ra.errors.length >= 7)
    expect(ra.offers).to.have.length(3)
    expect(ra.errors.every((e) => e.code === 'rate-limited')).to.equal(true)
    evil.close()
  })
})
