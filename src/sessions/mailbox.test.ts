// The admission mailbox: one waiting listener per peer, timeouts that only
// end their own wait.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { P2PError } from '../errors.js'
import type { RemotePeer } from '../swarm/remote-peer.js'
import type { MembershipEvents } from '../swarm/topic-membership.js'
import { ADMISSION_CHANNEL, encodeAdmission, type AdmissionMessage } from './admission-wire.js'
import { Mailbox, type MailboxLink } from './mailbox.js'

const PEER = 'ab'.repeat(20)

/** A membership's data events and sends, in memory. */
class Link implements MailboxLink {
  readonly sent: Array<{ peerId: string; channel: string }> = []
  #listener: ((d: MembershipEvents['data']) => void) | null = null

  on(_type: 'data', listener: (d: MembershipEvents['data']) => void): () => void {
    this.#listener = listener
    return () => (this.#listener = null)
  }

  send(peerId: string, channel: string): boolean {
    this.sent.push({ peerId, channel })
    return true
  }

  receive(peerId: string, msg: AdmissionMessage): void {
    const peer = { peerId } as RemotePeer
    this.#listener?.({ peer, channel: ADMISSION_CHANNEL, payload: encodeAdmission(msg) })
  }
}

const hello = (m: AdmissionMessage) => (m.t === 'hello' ? m : null)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('admission mailbox', () => {
  it('hands a peer its next matching message', async () => {
    const link = new Link()
    const mail = new Mailbox(link)
    const next = mail.next(PEER, hello, 1_000)
    link.receive(PEER, { t: 'verdict', v: 'ok' })
    link.receive(PEER, { t: 'hello' })
    assert.deepEqual(await next, { t: 'hello' })
    assert.equal(mail.send(PEER, { t: 'hello' }), true)
    assert.deepEqual(link.sent, [{ peerId: PEER, channel: ADMISSION_CHANNEL }])
    mail.close()
  })

  it('an older wait timing out leaves the newer wait of the same peer listening', async () => {
    const link = new Link()
    const mail = new Mailbox(link)
    const older = mail.next(PEER, hello, 20)
    const newer = mail.next(PEER, hello, 2_000)
    await assert.rejects(older, { code: 'timeout' })
    link.receive(PEER, { t: 'hello' })
    const won = await Promise.race([newer, sleep(200).then(() => 'still waiting')])
    assert.deepEqual(won, { t: 'hello' })
    mail.close()
  })

  it('cancel ends the wait at once with the given error (the peer left)', async () => {
    const link = new Link()
    const mail = new Mailbox(link)
    const next = mail.next(PEER, hello, 60_000)
    const started = Date.now()
    mail.cancel(PEER, new P2PError('not-connected', 'left'))
    await assert.rejects(next, { code: 'not-connected' })
    assert.ok(Date.now() - started < 1_000)
    link.receive(PEER, { t: 'hello' }) // nobody listens any more: dropped
    mail.cancel(PEER, new P2PError('not-connected', 'left')) // nothing to cancel: no throw
    mail.close()
  })

  it('times out with a typed error when nothing comes', async () => {
    const mail = new Mailbox(new Link())
    await assert.rejects(mail.next(PEER, hello, 10), { code: 'timeout' })
    mail.close()
  })
})
