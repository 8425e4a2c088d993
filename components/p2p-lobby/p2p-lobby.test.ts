/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { P2PError } from '../../src/errors.js'
import { colourFor } from '../shared/identity-colour.js'
import { axeViolations } from '../test-support/a11y.js'
import {
  focusedIn,
  shadow,
  shadowAll,
  tabTo,
  text,
  press,
  reachState,
} from '../test-support/dom.js'
import { useFakeProvider } from '../test-support/use-fake-provider.js'
import {
  announceProvider,
  deferred,
  fakeIdentity,
  fakePeer,
  FakeProvider,
} from '../test-support/fake-provider.js'
import type { P2PLobbyState } from './p2p-lobby.js'
import './p2p-lobby.js'
import { P2PLobby } from './p2p-lobby.js'

const grace = fakeIdentity('Grace Hopper')
const alan = fakeIdentity('Alan Turing')

const lobbyIn = (state: P2PLobbyState, el: P2PLobby, timeout?: number): Promise<void> =>
  reachState(el, state, timeout)

describe('<p2p-lobby>', () => {
  const fake = useFakeProvider()

  it('is defined, and its tag is typed', () => {
    const el = document.createElement('p2p-lobby')
    expect(el).to.be.instanceOf(P2PLobby)
  })

  describe('needs-permission', () => {
    beforeEach(() => {
      fake.provider.permissionState = 'prompt'
    })

    it('shows "Show my presence", which asks for permission and then joins', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      const button = shadow(el, '[part~="presence-button"]')
      expect(text(button)).to.equal('Show my presence')
      expect(el.getAttribute('state')).to.equal('needs-permission')
      expect(fake.provider.calls.some((c) => c.method === 'joinLobby')).to.equal(false)

      button.click()
      await lobbyIn('connected', el)
      expect(fake.provider.calls.map((c) => c.method)).to.include.members([
        'requestPermission',
        'joinLobby',
      ])
      expect(el.lobby?.name).to.equal('hall')
    })

    it('is reached with Tab and triggered with Enter', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      const button = shadow(el, '[part~="presence-button"]')
      expect(await tabTo(el, button)).to.be.greaterThan(0)
      const ring = getComputedStyle(button)
      expect(ring.outlineStyle, 'a visible focus ring').to.equal('solid')
      expect(parseFloat(ring.outlineWidth)).to.be.at.least(2)
      await press('Enter')
      await lobbyIn('connected', el)
    })

    it('is triggered with Space', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      expect(await tabTo(el, shadow(el, '[part~="presence-button"]'))).to.be.greaterThan(0)
      await press('Space')
      await lobbyIn('connected', el)
    })

    it('says it is waiting while the prompt is open, and stays put when refused', async () => {
      fake.provider.onPrompt = 'wait'
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      shadow(el, '[part~="presence-button"]').click()
      await waitUntil(() => fake.provider.prompt)
      await el.updateComplete
      const button = shadow(el, '[part~="presence-button"]')
      expect(button.getAttribute('aria-disabled')).to.equal('true')
      expect(text(button)).to.contain('Waiting for your answer')
      fake.provider.prompt?.reject(P2PError.PERMISSION_DENIED())
      await waitUntil(() => shadow(el, '[part~="presence-button"]').ariaDisabled === 'false')
      expect(el.state).to.equal('needs-permission')
      expect(text(el.shadowRoot)).to.contain('Presence is off for this site')
    })

    it('has no axe violations, light and dark', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      expect(await axeViolations(el)).to.equal('')
    })
  })

  describe('discovering and connecting', () => {
    it('shows progress while joining, then the people', async () => {
      const gate = deferred()
      fake.provider.joinGate = gate.promise
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('discovering', el)
      const bar = shadow(el, '[part="progress"]')
      expect(bar.getAttribute('role')).to.equal('progressbar')
      expect(bar.getAttribute('aria-label')).to.contain('hall')
      expect(shadowAll(el, '.skeleton-row').length).to.be.greaterThan(0)
      expect(await axeViolations(el)).to.equal('')

      gate.resolve()
      await lobbyIn('connected', el)
      expect(shadow(el, '[part="progress"]').hasAttribute('role')).to.equal(false)
    })

    it('follows the lobby state events', async () => {
      fake.provider.setupLobby = (lobby) => {
        lobby.state = 'discovering'
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('discovering', el)
      fake.provider.lastLobby?.setState('connecting')
      await lobbyIn('connecting', el)
      expect(text(shadow(el, '[part="status"]'))).to.equal('Connecting')
      expect(await axeViolations(el)).to.equal('')
      fake.provider.lastLobby?.setState('connected')
      await lobbyIn('connected', el)
    })

    it('infers connected from the first peer when the lobby reports no state', async () => {
      fake.provider.setupLobby = (lobby) => {
        Object.defineProperty(lobby, 'state', { value: undefined })
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('discovering', el)
      fake.provider.lastLobby?.addPeer(fakePeer(grace))
      await lobbyIn('connected', el)
    })
  })

  describe('connected', () => {
    it('lists you first, then everyone else, with names, avatars and status', async () => {
      fake.provider.setupLobby = (lobby) => {
        lobby.peers = [fakePeer(grace, 'Reviewing chapter 2'), fakePeer(alan)]
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall" max-peers="8"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const rows = shadowAll(el, '[part~="peer"]')
      expect(rows.map((r) => text(r.querySelector('[part="name"]')))).to.deep.equal([
        'Ada Lovelace',
        'Grace Hopper',
        'Alan Turing',
      ])
      expect(rows[0]?.getAttribute('part')).to.contain('self')
      expect(text(rows[0])).to.contain('You')
      expect(text(rows[1]?.querySelector('[part="peer-status"]'))).to.equal('Reviewing chapter 2')
      const avatar = rows[1]?.querySelector<HTMLElement>('[part~="avatar"]')
      expect(text(avatar)).to.equal('GH')
      expect(getComputedStyle(avatar as HTMLElement).backgroundColor).to.equal(
        hexToRgb(colourFor(grace.url)),
      )
      expect(text(shadow(el, '.card-subtitle'))).to.equal('3 people here · up to 8')
      expect(text(shadow(el, '[part="status"]'))).to.equal('Connected')
      expect(await axeViolations(el)).to.equal('')
    })

    it('updates a status line when session-data changes', async () => {
      const peer = fakePeer(grace)
      fake.provider.setupLobby = (lobby) => {
        lobby.peers = [peer]
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      fake.provider.lastLobby?.setPeerStatus(peer.id, '{"status":"Away for lunch"}')
      await el.updateComplete
      expect(text(shadowAll(el, '[part="peer-status"]')[1])).to.equal('Away for lunch')
      el.sessionDataFormatter = (data) => `${data.byteLength} bytes`
      await el.updateComplete
      expect(text(shadowAll(el, '[part="peer-status"]')[1])).to.equal('27 bytes')
    })

    it('fires p2p-peer-join and p2p-peer-leave with the peer and lobby, and announces them', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const lobby = fake.provider.lastLobby!
      expect(text(shadowAll(el, '[part="empty"]')[0])).to.contain('Nobody else is here yet')

      const peer = fakePeer(grace)
      const joined = oneEvent(document.body, 'p2p-peer-join')
      lobby.addPeer(peer)
      const join = await joined
      expect(join.detail.peer).to.equal(peer)
      expect(join.detail.lobby).to.equal(lobby)
      expect(join.bubbles && join.composed).to.equal(true)
      await el.updateComplete
      const region = shadow(el, '[part="announcer"]')
      expect(region.getAttribute('role')).to.equal('status')
      expect(region.getAttribute('aria-live')).to.equal('polite')
      expect(text(region)).to.contain('Grace Hopper joined.')

      const left = oneEvent(el, 'p2p-peer-leave')
      lobby.removePeer(peer.id)
      expect((await left).detail.peer).to.equal(peer)
      await el.updateComplete
      expect(text(region)).to.contain('Grace Hopper left.')
      expect(shadowAll(el, '[part~="peer"]')).to.have.length(1)
    })

    it('shows one person per identity, however many connections it has', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const lobby = fake.provider.lastLobby!
      const first = lobby.addPeer(fakePeer(grace))
      const second = lobby.addPeer(fakePeer(grace, 'On her laptop'))
      lobby.addPeer(fakePeer(fake.provider.me)) // your own identity, in another browser
      await el.updateComplete
      const rows = shadowAll(el, '[part~="peer"]')
      expect(rows).to.have.length(2)
      expect(text(rows[1])).to.contain('In 2 browsers')
      expect(text(rows[1])).to.contain('On her laptop')
      expect(text(rows[0])).to.contain('In 2 browsers')
      const region = shadow(el, '[part="announcer"]')
      expect(text(region).match(/Grace Hopper joined/g)).to.have.length(1)

      lobby.removePeer(first.id)
      await el.updateComplete
      expect(text(region)).not.to.contain('Grace Hopper left')
      lobby.removePeer(second.id)
      await el.updateComplete
      expect(text(region)).to.contain('Grace Hopper left.')
    })

    it('fires p2p-lobby-state with the lobby', async () => {
      const el = document.createElement('p2p-lobby')
      el.name = 'hall'
      const states: string[] = []
      el.addEventListener('p2p-lobby-state', (e) => states.push(e.detail.state))
      const connected = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('p2p-lobby-state', (e) => {
          if (e.detail.state === 'connected') resolve(e)
        }),
      )
      document.body.append(el)
      try {
        const event = await connected
        expect(event.detail.lobby).to.equal(el.lobby)
        expect(event.detail.error).to.equal(null)
        expect(states).to.deep.equal(['discovering', 'connected'])
      } finally {
        el.remove()
      }
    })
  })

  describe('full', () => {
    it('says the lobby is full and tries again on request', async () => {
      fake.provider.failNextJoin = P2PError.LOBBY_FULL('hall', 2)
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('full', el)
      expect(text(shadow(el, '[part="message"]'))).to.contain('Every place in hall is taken')
      expect(text(shadow(el, '[part="status"]'))).to.equal('Full')
      expect(await axeViolations(el)).to.equal('')
      const retry = shadow(el, '[part~="retry-button"]')
      expect(await tabTo(el, retry)).to.be.greaterThan(0)
      await press('Enter')
      await lobbyIn('connected', el)
    })

    it('shows the people when the lobby fills up around you', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      fake.provider.lastLobby?.setState('full')
      await lobbyIn('full', el)
      expect(shadowAll(el, '[part~="peer"]')).to.have.length(1)
      expect(await axeViolations(el)).to.equal('')
    })
  })

  describe('error', () => {
    it('shows what went wrong and a Retry button', async () => {
      fake.provider.failNextJoin = P2PError.WRONG_PASSWORD()
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall" password="x"></p2p-lobby>`)
      await lobbyIn('error', el)
      expect(text(shadow(el, '[part="message"]'))).to.equal('That password did not work.')
      expect(text(shadow(el, '[part="announcer"]'))).to.contain('That password did not work.')
      expect(await axeViolations(el)).to.equal('')
      shadow(el, '[part~="retry-button"]').click()
      await lobbyIn('connected', el)
      expect(fake.provider.lastLobby?.options).to.deep.equal({ password: 'x' })
    })

    it('reports the error code in p2p-lobby-state', async () => {
      fake.provider.failNextJoin = P2PError.TIMEOUT('the tracker', 5000)
      const el = document.createElement('p2p-lobby')
      el.name = 'hall'
      const failed = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('p2p-lobby-state', (e) => {
          if (e.detail.state === 'error') resolve(e)
        }),
      )
      document.body.append(el)
      try {
        expect((await failed).detail.error?.code).to.equal('timeout')
      } finally {
        el.remove()
      }
    })

    it('shows a lobby error while nobody is here, announced, with Retry', async () => {
      fake.provider.setupLobby = (lobby) => {
        lobby.state = 'discovering'
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('discovering', el)
      const first = fake.provider.lastLobby!
      first.fail(P2PError.SIGNALING_FAILED('ws://127.0.0.1:1', 'unreachable'))
      await lobbyIn('error', el)
      const message = 'Could not reach the servers that bring people together.'
      expect(text(shadow(el, '[part="message"]'))).to.equal(message)
      expect(text(shadow(el, '[part="announcer"]'))).to.contain(message)
      expect(await axeViolations(el)).to.equal('')
      shadow(el, '[part~="retry-button"]').click()
      await waitUntil(() => fake.provider.lobbies.length === 2)
      expect(first.left).to.equal(true)
      await lobbyIn('discovering', el)
    })

    it('leaves a lobby error behind when someone gets through', async () => {
      fake.provider.setupLobby = (lobby) => {
        lobby.state = 'discovering'
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('discovering', el)
      fake.provider.lastLobby!.fail(P2PError.NOT_CONNECTED('no answer'))
      await lobbyIn('error', el)
      fake.provider.lastLobby!.addPeer(fakePeer(grace))
      await lobbyIn('connected', el)
      expect(shadowAll(el, '[part~="peer"]')).to.have.length(2)
    })

    it('ignores a lobby error while people are here', async () => {
      fake.provider.setupLobby = (lobby) => {
        lobby.peers = [fakePeer(grace)]
      }
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      fake.provider.lastLobby!.fail(P2PError.NOT_CONNECTED('one peer failed'))
      await new Promise((r) => setTimeout(r, 30))
      expect(el.state).to.equal('connected')
    })

    it('says "Connection lost" when Porchlight closes the lobby, and Try again joins', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const states: string[] = []
      el.addEventListener('p2p-lobby-state', (e) => states.push(e.detail.error?.code ?? ''))
      fake.provider.lastLobby!.lose()
      await lobbyIn('error', el)
      expect(states).to.deep.equal(['not-connected'])
      expect(el.lobby).to.equal(null)
      expect(text(shadow(el, '.card-subtitle'))).to.equal('Connection lost')
      expect(text(shadow(el, '[part="announcer"]'))).to.contain('The connection was lost.')
      expect(text(el.shadowRoot)).not.to.contain('You left')
      const retry = shadow(el, '[part~="retry-button"]')
      expect(text(retry)).to.equal('Try again')
      retry.click()
      await lobbyIn('connected', el)
      expect(fake.provider.lobbies).to.have.length(2)
    })
  })

  describe('attributes and properties', () => {
    it('reflects name, max-peers and state, and never the password', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      el.maxPeers = 4
      el.password = 'secret'
      await el.updateComplete
      expect(el.getAttribute('max-peers')).to.equal('4')
      expect(el.hasAttribute('password')).to.equal(false)
      expect(el.getAttribute('state')).to.equal(el.state)
      el.setAttribute('max-peers', '6')
      expect(el.maxPeers).to.equal(6)
    })

    it('leaves and joins again when the name changes', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const first = fake.provider.lastLobby!
      el.setAttribute('name', 'kitchen')
      await waitUntil(() => el.lobby?.name === 'kitchen')
      expect(first.left).to.equal(true)
      expect(fake.provider.lastLobby?.name).to.equal('kitchen')
    })

    it('passes max-peers and password to joinLobby', async () => {
      const el = await fixture<P2PLobby>(
        html`<p2p-lobby name="hall" max-peers="3" password="pw"></p2p-lobby>`,
      )
      await lobbyIn('connected', el)
      expect(fake.provider.lastLobby?.options).to.deep.equal({ maxPeers: 3, password: 'pw' })
    })

    it('leaves when removed, but not when moved', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const lobby = fake.provider.lastLobby!
      const other = document.createElement('div')
      document.body.append(other)
      other.append(el)
      await new Promise((r) => setTimeout(r, 20))
      expect(lobby.left).to.equal(false)
      expect(el.lobby).to.equal(lobby)
      el.remove()
      await new Promise((r) => setTimeout(r, 0))
      expect(lobby.left).to.equal(true)
      other.remove()
    })

    it('leave() leaves, and Join again comes back', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const lobby = fake.provider.lastLobby!
      await el.leave()
      expect(lobby.left).to.equal(true)
      await lobbyIn('closed', el)
      expect(text(shadow(el, '[part="announcer"]'))).to.contain('You left hall.')
      expect(await axeViolations(el)).to.equal('')
      const again = shadow(el, '[part~="retry-button"]')
      expect(text(again)).to.equal('Join again')
      again.click()
      await lobbyIn('connected', el)
      expect(el.lobby).not.to.equal(lobby)
    })
  })

  describe('when asking for the permission fails', () => {
    it('offers Try again when the permission check times out, and announces why', async () => {
      fake.provider.failPermission = P2PError.TIMEOUT('the extension', 5000)
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('unavailable', el)
      const why = 'Porchlight took too long to answer.'
      expect(text(shadow(el, '[part="message"]'))).to.equal(why)
      expect(text(shadow(el, '[part="announcer"]'))).to.contain(why)
      expect(await axeViolations(el)).to.equal('')
      fake.provider.failPermission = null
      shadow(el, '[part~="retry-button"]').click()
      await lobbyIn('connected', el)
    })

    /** A lobby without a grant whose "Show my presence" was clicked, answering as `onPrompt` says. */
    async function asked(onPrompt: 'deny' | 'wait'): Promise<P2PLobby> {
      fake.provider.permissionState = 'prompt'
      fake.provider.onPrompt = onPrompt
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('needs-permission', el)
      shadow(el, '[part~="presence-button"]').click()
      return el
    }

    it('announces a refusal', async () => {
      const el = await asked('deny')
      await waitUntil(() => text(shadow(el, '[part="announcer"]')).length > 0)
      expect(text(shadow(el, '[part="announcer"]'))).to.equal('Presence stays off for this site.')
      expect(el.state).to.equal('needs-permission')
    })

    it('says why a prompt failed, announced, and the button asks again', async () => {
      const el = await asked('wait')
      await waitUntil(() => fake.provider.prompt)
      fake.provider.prompt?.reject(P2PError.TIMEOUT('the prompt', 60_000))
      fake.provider.prompt = null
      const why = 'Porchlight took too long to answer.'
      await waitUntil(() => text(shadow(el, '[part="announcer"]')).includes(why))
      expect(text(el.shadowRoot)).to.contain(why)
      expect(el.state).to.equal('needs-permission')
      expect(await axeViolations(el)).to.equal('')
      fake.provider.onPrompt = 'grant'
      shadow(el, '[part~="presence-button"]').click()
      await lobbyIn('connected', el)
      expect(text(shadow(el, '[part="body"]'))).not.to.contain(why)
    })
  })

  describe('focus', () => {
    /** Presses Enter on `button` in a lobby in `from`; returns what has focus once connected. */
    async function focusAfter(from: P2PLobbyState, button: string): Promise<string | null> {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn(from, el)
      expect(await tabTo(el, shadow(el, `[part~="${button}"]`))).to.be.greaterThan(0)
      await press('Enter')
      await lobbyIn('connected', el)
      return focusedIn(el)?.getAttribute('part') ?? null
    }

    it('stays in the element when "Show my presence" is granted', async () => {
      fake.provider.permissionState = 'prompt'
      expect(await focusAfter('needs-permission', 'presence-button')).to.equal('title')
    })

    it('stays in the element after Try again', async () => {
      fake.provider.failNextJoin = P2PError.TIMEOUT('the tracker', 5000)
      expect(await focusAfter('error', 'retry-button')).to.equal('title')
    })

    it('leaves focus alone when it was not in the element', async () => {
      fake.provider.failNextJoin = P2PError.TIMEOUT('the tracker', 5000)
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('error', el)
      void el.rejoin()
      await lobbyIn('connected', el)
      expect(focusedIn(el)?.localName).to.equal(undefined)
    })
  })

  describe('permission changes', () => {
    it('leaves and asks again when the user revokes presence', async () => {
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('connected', el)
      const lobby = fake.provider.lastLobby!
      fake.provider.setPermission('prompt')
      await lobbyIn('needs-permission', el)
      expect(lobby.left).to.equal(true)
      expect(el.lobby).to.equal(null)
    })
  })

  describe('finding the fake.provider', () => {
    it('waits for a fake.provider announced after the element', async () => {
      fake.uninstall()
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      expect(el.state).to.equal('idle')
      announceProvider(fake.provider)
      await lobbyIn('connected', el)
    })

    it('says Porchlight is unavailable when no fake.provider comes, and recovers when one does', async () => {
      fake.uninstall()
      const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
      await lobbyIn('unavailable', el, 3000)
      expect(text(shadow(el, '[part="message"]'))).to.contain('Porchlight is not available')
      expect(await axeViolations(el)).to.equal('')
      announceProvider(fake.provider)
      await lobbyIn('connected', el)
    })

    it('uses an explicit fake.provider property over window.p2p', async () => {
      const own = new FakeProvider({ me: fakeIdentity('Hedy Lamarr') })
      const el = document.createElement('p2p-lobby')
      el.name = 'hall'
      el.provider = own
      document.body.append(el)
      try {
        await lobbyIn('connected', el)
        expect(own.lobbies).to.have.length(1)
        expect(fake.provider.lobbies).to.have.length(0)
      } finally {
        el.remove()
      }
    })
  })

  it('has no axe violations while idle', async () => {
    fake.uninstall()
    const el = await fixture<P2PLobby>(html`<p2p-lobby name="hall"></p2p-lobby>`)
    expect(el.state).to.equal('idle')
    expect(await axeViolations(el)).to.equal('')
  })
})

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}
