/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { axeViolations } from '../test-support/a11y.js'
import { shadow, shadowAll, text } from '../test-support/dom.js'
import { fakeIdentity, fakePeer, FakeLobby, FakeProvider } from '../test-support/fake-provider.js'
import { useFakeProvider } from '../test-support/use-fake-provider.js'
import '../p2p-lobby/p2p-lobby.js'
import type { P2PLobby } from '../p2p-lobby/p2p-lobby.js'
import './p2p-peer-list.js'
import { P2PPeerList } from './p2p-peer-list.js'

const names = ['Grace Hopper', 'Alan Turing', 'Hedy Lamarr', 'Radia Perlman', 'Ken Thompson']
const people = names.map((n) => fakeIdentity(n))
const me = fakeIdentity('Ada Lovelace')

function labels(el: P2PPeerList): string[] {
  return shadowAll(el, '[part~="avatar"], [part="overflow"]').map(
    (a) => a.getAttribute('aria-label') ?? '',
  )
}

function lobbyWith(...identities: typeof people): FakeLobby {
  const lobby = new FakeLobby('hall', fakePeer(me, undefined, 'self'))
  lobby.peers = identities.map((i) => fakePeer(i))
  return lobby
}

describe('<p2p-peer-list>', () => {
  it('is defined', () => {
    expect(document.createElement('p2p-peer-list')).to.be.instanceOf(P2PPeerList)
  })

  describe('with a lobby property', () => {
    it('draws one avatar per identity, however many connections it has', async () => {
      const lobby = lobbyWith(people[0]!, people[1]!)
      lobby.peers = [...lobby.peers, fakePeer(people[0]!), fakePeer(people[0]!), fakePeer(me)]
      const el = await fixture<P2PPeerList>(html`<p2p-peer-list .lobby=${lobby}></p2p-peer-list>`)
      expect(labels(el)).to.deep.equal(['Grace Hopper, in 3 browsers', 'Alan Turing'])
      expect(shadow(el, '[part="stack"]').getAttribute('aria-label')).to.equal('2 people in hall')
      expect(text(shadowAll(el, '[part~="avatar"]')[0])).to.equal('GH')
      expect(await axeViolations(el)).to.equal('')
    })

    it('shows "+N" past max, and counts people, not connections', async () => {
      const lobby = lobbyWith(...people)
      lobby.peers = [...lobby.peers, fakePeer(people[4]!)]
      const el = await fixture<P2PPeerList>(
        html`<p2p-peer-list max="3" .lobby=${lobby}></p2p-peer-list>`,
      )
      const overflow = shadow(el, '[part="overflow"]')
      expect(shadowAll(el, '[part~="avatar"]')).to.have.length(2)
      expect(text(overflow)).to.equal('+3')
      expect(overflow.getAttribute('aria-label')).to.equal(
        'and 3 more: Hedy Lamarr, Radia Perlman, Ken Thompson',
      )
      expect(overflow.getAttribute('title')).to.equal('Hedy Lamarr, Radia Perlman, Ken Thompson')
      expect(await axeViolations(el)).to.equal('')
    })

    it('draws everyone when they fit exactly', async () => {
      const el = await fixture<P2PPeerList>(
        html`<p2p-peer-list max="3" .lobby=${lobbyWith(...people.slice(0, 3))}></p2p-peer-list>`,
      )
      expect(shadowAll(el, '[part~="avatar"]')).to.have.length(3)
      expect(shadowAll(el, '[part="overflow"]')).to.have.length(0)
    })

    it('adds you first with include-self', async () => {
      const el = await fixture<P2PPeerList>(
        html`<p2p-peer-list include-self .lobby=${lobbyWith(people[0]!)}></p2p-peer-list>`,
      )
      expect(labels(el)).to.deep.equal(['Ada Lovelace (you)', 'Grace Hopper'])
      expect(shadowAll(el, '[part~="self-avatar"]')).to.have.length(1)
    })

    it('follows joins and leaves', async () => {
      const lobby = lobbyWith(people[0]!)
      const el = await fixture<P2PPeerList>(html`<p2p-peer-list .lobby=${lobby}></p2p-peer-list>`)
      const peer = lobby.addPeer(fakePeer(people[1]!))
      await el.updateComplete
      expect(labels(el)).to.deep.equal(['Grace Hopper', 'Alan Turing'])
      lobby.removePeer(peer.id)
      await el.updateComplete
      expect(labels(el)).to.deep.equal(['Grace Hopper'])
    })

    it('announces joins and leaves of people, once each, unless quiet', async () => {
      const lobby = lobbyWith(people[0]!)
      const el = await fixture<P2PPeerList>(html`<p2p-peer-list .lobby=${lobby}></p2p-peer-list>`)
      const alan = lobby.addPeer(fakePeer(people[1]!))
      lobby.addPeer(fakePeer(people[1]!))
      await el.updateComplete
      const said = (): string => text(shadow(el, '[part="announcer"]'))
      expect(said()).to.equal('Alan Turing joined hall.')
      lobby.removePeer(alan.id)
      await el.updateComplete
      expect(said()).to.equal('Alan Turing joined hall.')
      lobby.removePeer(lobby.peers.at(-1)!.id)
      await el.updateComplete
      expect(said()).to.equal('Alan Turing joined hall.Alan Turing left hall.')
      el.quiet = true
      lobby.addPeer(fakePeer(people[2]!))
      await el.updateComplete
      expect(said()).not.to.contain('Hedy')
      expect(el.getAttribute('quiet')).to.equal('')
      expect(await axeViolations(el)).to.equal('')
    })

    it('says when nobody is there', async () => {
      const el = await fixture<P2PPeerList>(
        html`<p2p-peer-list .lobby=${lobbyWith()}></p2p-peer-list>`,
      )
      expect(text(shadow(el, '[part="empty"]'))).to.equal('Nobody here yet')
      expect(await axeViolations(el)).to.equal('')
    })
  })

  describe('with for', () => {
    const fake = useFakeProvider(() => new FakeProvider({ me }))
    beforeEach(() => {
      fake.provider.setupLobby = (lobby) => {
        lobby.peers = [fakePeer(people[0]!), fakePeer(people[1]!)]
      }
    })

    it('finds a <p2p-lobby> by id', async () => {
      const wrap = await fixture(
        html`<div>
          <p2p-lobby id="main" name="hall"></p2p-lobby>
          <p2p-peer-list for="main"></p2p-peer-list>
        </div>`,
      )
      const el = wrap.querySelector('p2p-peer-list')!
      await waitUntil(() => labels(el).length === 2, 'no avatars')
      const lobbyEl = wrap.querySelector('p2p-lobby')!
      expect(el.source).to.equal(lobbyEl)
      fake.provider.lastLobby?.addPeer(fakePeer(people[2]!))
      await el.updateComplete
      expect(labels(el)).to.deep.equal(['Grace Hopper', 'Alan Turing', 'Hedy Lamarr'])
      // The <p2p-lobby> announces Hedy; the list beside it stays quiet.
      expect(text(shadow(el, '[part="announcer"]'))).to.equal('')
      expect(text(shadow(lobbyEl, '[part="announcer"]'))).to.contain('Hedy Lamarr joined.')
    })

    it('finds a <p2p-lobby> by name, also one added later', async () => {
      const wrap = await fixture(html`<div><p2p-peer-list for="hall"></p2p-peer-list></div>`)
      const el = wrap.querySelector('p2p-peer-list')!
      expect(labels(el)).to.deep.equal([])
      const lobbyEl = document.createElement('p2p-lobby')
      lobbyEl.name = 'hall'
      wrap.append(lobbyEl)
      await waitUntil(() => labels(el).length === 2, 'no avatars')
      expect(el.source).to.equal(lobbyEl)
    })

    it('follows the lobby element to a new lobby when it rejoins', async () => {
      const wrap = await fixture(
        html`<div>
          <p2p-lobby id="main" name="hall"></p2p-lobby>
          <p2p-peer-list for="main"></p2p-peer-list>
        </div>`,
      )
      const el = wrap.querySelector('p2p-peer-list')!
      const lobbyEl = wrap.querySelector<P2PLobby>('p2p-lobby')!
      await waitUntil(() => labels(el).length === 2)
      fake.provider.setupLobby = (lobby) => {
        lobby.peers = [fakePeer(people[3]!)]
      }
      lobbyEl.name = 'kitchen'
      await waitUntil(() => labels(el).join() === 'Radia Perlman', `got ${labels(el).join()}`)
    })

    it('reflects its attributes', async () => {
      const el = await fixture<P2PPeerList>(html`<p2p-peer-list for="x"></p2p-peer-list>`)
      el.max = 7
      el.includeSelf = true
      el.size = 'small'
      await el.updateComplete
      expect(el.getAttribute('max')).to.equal('7')
      expect(el.hasAttribute('include-self')).to.equal(true)
      expect(el.getAttribute('size')).to.equal('small')
      el.setAttribute('for', 'y')
      expect(el.for).to.equal('y')
    })
  })
})
