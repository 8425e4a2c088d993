/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { Friend } from '../../src/index.js'
import { P2PError } from '../../src/errors.js'
import { axeViolations } from '../test-support/a11y.js'
import {
  focusedIn,
  press,
  shadow,
  shadowAll,
  tabTo,
  text,
  reachState,
} from '../test-support/dom.js'
import { useFakeProvider } from '../test-support/use-fake-provider.js'
import { fakeIdentity } from '../test-support/fake-provider.js'
import './p2p-sessions.js'
import { P2PSessions, isPageElsewhere, type P2PSessionsState } from './p2p-sessions.js'

const now = Date.now()
const grace: Friend = {
  identity: fakeIdentity('Grace Hopper'),
  online: true,
  session: {
    name: 'Compiler night',
    url: 'hyper://aa?lobby=compiler-night',
    lastUpdate: now - 120_000,
    peers: 3,
    maxPeers: 8,
    protected: false,
  },
}
const alan: Friend = {
  identity: fakeIdentity('Alan Turing'),
  online: true,
  session: {
    name: 'Enigma club',
    url: 'hyper://bb?lobby=enigma',
    lastUpdate: now - 5_000,
    peers: 1,
    maxPeers: 4,
    protected: true,
  },
}
const hedy: Friend = { identity: fakeIdentity('Hedy Lamarr'), online: true }
const radia: Friend = {
  identity: fakeIdentity('Radia Perlman'),
  online: false,
  session: grace.session!,
}

const sessionsIn = (state: P2PSessionsState, el: P2PSessions, timeout?: number): Promise<void> =>
  reachState(el, state, timeout)

function rows(el: P2PSessions): HTMLElement[] {
  return shadowAll(el, '[part="session"]')
}

function joinButton(el: P2PSessions, index: number): HTMLButtonElement {
  const button = rows(el)[index]?.querySelector<HTMLButtonElement>('.row [part~="join-button"]')
  if (!button) throw new Error(`no Join button in row ${index}`)
  return button
}

describe('<p2p-sessions>', () => {
  const fake = useFakeProvider()
  beforeEach(() => {
    fake.provider.friendList = [grace, hedy, alan, radia]
  })

  it('is defined', () => {
    expect(document.createElement('p2p-sessions')).to.be.instanceOf(P2PSessions)
  })

  it('lists online friends who host, newest first', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    expect(rows(el).map((r) => text(r.querySelector('[part="session-name"]')))).to.deep.equal([
      'Enigma club(password protected)',
      'Compiler night',
    ])
    expect(text(rows(el)[1]?.querySelector('[part="meta"]'))).to.equal(
      'Grace Hopper · 3 of 8 here · 2 min. ago',
    )
    expect(text(rows(el)[0]?.querySelector('[part="meta"]'))).to.contain('just now')
    expect(joinButton(el, 1).getAttribute('aria-label')).to.equal('Join Compiler night')
    expect(text(shadow(el, '.card-subtitle'))).to.equal('2 live now')
    expect(await axeViolations(el)).to.equal('')
  })

  it('refreshes on friendschange', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    fake.provider.setFriends([hedy])
    await waitUntil(() => rows(el).length === 0)
    await el.updateComplete
    expect(text(shadow(el, '[part="empty"]'))).to.equal(
      'None of your friends is hosting right now.',
    )
    expect(await axeViolations(el)).to.equal('')
  })

  it('joins an open session: p2p-request-join, joinLobby, p2p-session-join, then Leave', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    const requested = oneEvent(el, 'p2p-request-join')
    const joinedEvent = oneEvent(el, 'p2p-session-join')
    expect(await tabTo(el, joinButton(el, 1))).to.be.greaterThan(0)
    await press('Enter')
    const request = await requested
    expect(request.cancelable && request.bubbles && request.composed).to.equal(true)
    expect(request.detail.session.name).to.equal('Compiler night')
    expect(request.detail.friend).to.equal(grace)
    const joined = await joinedEvent
    expect(joined.detail.lobby).to.equal(fake.provider.lastLobby)
    expect(el.lobby).to.equal(fake.provider.lastLobby)
    expect(fake.provider.lastLobby?.name).to.equal('Compiler night')
    expect(fake.provider.lastLobby?.options).to.deep.equal({})
    await el.updateComplete
    expect(text(rows(el)[1]?.querySelector('[part="status"]'))).to.equal('Joined')
    expect(text(shadow(el, '[part="announcer"]'))).to.contain('Joined Compiler night.')
    expect(await axeViolations(el)).to.equal('')

    const left = oneEvent(el, 'p2p-session-leave')
    shadow(el, '[part~="leave-button"]').click()
    expect((await left).detail.lobby.name).to.equal('Compiler night')
    expect(fake.provider.lastLobby?.left).to.equal(true)
    expect(el.lobby).to.equal(null)
  })

  it('notices the joined session ending: clears .lobby, says so, fires p2p-session-leave', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    joinButton(el, 1).click()
    await waitUntil(() => el.lobby)
    await el.updateComplete
    expect(shadowAll(el, '[part~="leave-button"]')).to.have.length(1)
    const left = oneEvent(el, 'p2p-session-leave')
    fake.provider.lastLobby!.lose()
    expect((await left).detail.session.name).to.equal('Compiler night')
    expect(el.lobby).to.equal(null)
    await el.updateComplete
    expect(shadowAll(el, '[part~="leave-button"]')).to.have.length(0)
    expect(text(rows(el)[1]?.querySelector('[part="status"]'))).to.equal('')
    expect(text(shadow(el, '[part="announcer"]'))).to.contain('Compiler night ended.')
  })

  it('leaves the joined session when removed, and when presence is revoked', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    joinButton(el, 1).click()
    await waitUntil(() => el.lobby)
    const first = fake.provider.lastLobby!
    fake.provider.setPermission('prompt')
    await sessionsIn('needs-permission', el)
    expect(first.left).to.equal(true)
    expect(el.lobby).to.equal(null)

    fake.provider.setPermission('granted')
    await sessionsIn('ready', el)
    joinButton(el, 1).click()
    await waitUntil(() => el.lobby)
    const second = fake.provider.lastLobby!
    el.remove()
    await waitUntil(() => second.left, 'the session was not left')
  })

  it('does nothing when the page cancels p2p-request-join', async () => {
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    el.addEventListener('p2p-request-join', (e) => e.preventDefault(), { once: true })
    joinButton(el, 1).click()
    await new Promise((r) => setTimeout(r, 20))
    expect(fake.provider.calls.some((c) => c.method === 'joinLobby')).to.equal(false)
  })

  describe('a protected session', () => {
    it('asks for the password inline, focused, and joins with it', async () => {
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      joinButton(el, 0).click()
      await el.updateComplete
      expect(() => joinButton(el, 0), 'the form has its own Join').to.throw()
      const input = shadow<HTMLInputElement>(el, '[part="password-input"]')
      await waitUntil(() => focusedIn(el) === input, 'password field not focused')
      expect(text(shadow(el, '[part="password-form"] label'))).to.equal('Password for Enigma club')
      expect(await axeViolations(el)).to.equal('')
      await sendKeys({ type: 'bombe' })
      await press('Enter')
      await waitUntil(() => el.lobby)
      expect(fake.provider.lastLobby?.options).to.deep.equal({ password: 'bombe' })
      expect(shadowAll(el, '[part="password-form"]')).to.have.length(0)
    })

    it('says when the password is wrong, and keeps the form', async () => {
      fake.provider.failNextJoin = P2PError.WRONG_PASSWORD()
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      joinButton(el, 0).click()
      await el.updateComplete
      const input = shadow<HTMLInputElement>(el, '[part="password-input"]')
      input.value = 'wrong'
      shadow<HTMLButtonElement>(el, '[part="password-form"] [type="submit"]').click()
      await waitUntil(() => input.getAttribute('aria-invalid') === 'true')
      const error = shadow(el, `#${CSS.escape(input.getAttribute('aria-describedby') ?? '')}`)
      expect(text(error)).to.equal('That password did not work.')
      await waitUntil(() => focusedIn(el) === input)
      expect(await axeViolations(el)).to.equal('')
    })

    it('refuses an empty password without calling joinLobby', async () => {
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      joinButton(el, 0).click()
      await el.updateComplete
      shadow<HTMLButtonElement>(el, '[part="password-form"] [type="submit"]').click()
      await el.updateComplete
      expect(text(shadow(el, '[part="password-form"] .error'))).to.equal('Enter the password.')
      expect(fake.provider.calls.some((c) => c.method === 'joinLobby')).to.equal(false)
    })

    it('closes on Escape and gives focus back to Join', async () => {
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      joinButton(el, 0).click()
      await el.updateComplete
      const input = shadow<HTMLInputElement>(el, '[part="password-input"]')
      await waitUntil(() => focusedIn(el) === input)
      await press('Escape')
      await waitUntil(() => focusedIn(el) === joinButton(el, 0), 'focus not back on Join')
      expect(shadowAll(el, '[part="password-form"]')).to.have.length(0)
    })
  })

  it('shows why a join failed under the session', async () => {
    fake.provider.failNextJoin = P2PError.LOBBY_FULL('Compiler night', 8)
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('ready', el)
    joinButton(el, 1).click()
    await waitUntil(() => shadowAll(el, '[part="session-error"]').length === 1)
    expect(text(shadow(el, '[part="session-error"]'))).to.equal('This lobby is full.')
    expect(await axeViolations(el)).to.equal('')
  })

  it('asks for presence first; Space on the button grants and lists', async () => {
    fake.provider.permissionState = 'prompt'
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('needs-permission', el)
    expect(await axeViolations(el)).to.equal('')
    expect(await tabTo(el, shadow(el, '[part~="presence-button"]'))).to.be.greaterThan(0)
    await press('Space')
    await sessionsIn('ready', el)
    expect(rows(el)).to.have.length(2)
  })

  describe('Join pressed in the extension popup (joinIntent)', () => {
    it('joins an open session at once', async () => {
      fake.provider.intent = grace
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await waitUntil(() => el.lobby, 'the chosen session was not joined')
      expect(fake.provider.lastLobby?.name).to.equal('Compiler night')
      expect(fake.provider.intent).to.equal(null)
    })

    it('asks for the password of a protected one, even when friends() leaves it out', async () => {
      fake.provider.intent = alan
      fake.provider.friends = async () => {
        throw P2PError.PERMISSION_DENIED('no friends grant')
      }
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      await waitUntil(() => shadowAll(el, '[part="password-input"]').length === 1)
      expect(rows(el)).to.have.length(1)
      expect(fake.provider.calls.some((c) => c.method === 'joinLobby')).to.equal(false)
      await waitUntil(() => focusedIn(el) === shadow(el, '[part="password-input"]'))
      await sendKeys({ type: 'bombe' })
      await press('Enter')
      await waitUntil(() => el.lobby)
      expect(fake.provider.lastLobby?.options).to.deep.equal({ password: 'bombe' })
    })

    it('joins nothing without one', async () => {
      const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
      await sessionsIn('ready', el)
      await waitUntil(() => fake.provider.calls.some((c) => c.method === 'joinIntent'))
      await new Promise((r) => setTimeout(r, 20))
      expect(fake.provider.calls.some((c) => c.method === 'joinLobby')).to.equal(false)
    })
  })

  it('shows an error with Try again when friends() fails', async () => {
    const friends = fake.provider.friends.bind(fake.provider)
    let fail = true
    fake.provider.friends = async () => {
      if (fail) throw P2PError.EXTENSION_UNAVAILABLE()
      return friends()
    }
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    await sessionsIn('error', el)
    expect(text(shadow(el, '[part="message"]'))).to.contain('not available')
    expect(await axeViolations(el)).to.equal('')
    fail = false
    shadow(el, '[part~="retry-button"]').click()
    await sessionsIn('ready', el)
  })

  it('has no axe violations while loading', async () => {
    fake.uninstall()
    const el = await fixture<P2PSessions>(html`<p2p-sessions></p2p-sessions>`)
    expect(el.state).to.equal('idle')
    expect(await axeViolations(el)).to.equal('')
  })

  it('goes to a session only when its URL is another web page', () => {
    const here = { origin: 'https://site.example', pathname: '/room' }
    expect(isPageElsewhere('hyper://abc?lobby=x', here)).to.equal(false)
    expect(isPageElsewhere('https://site.example/room?lobby=x', here)).to.equal(false)
    expect(isPageElsewhere('https://site.example/other', here)).to.equal(true)
    expect(isPageElsewhere('https://elsewhere.example/room', here)).to.equal(true)
    expect(isPageElsewhere('javascript:alert(1)', here)).to.equal(false)
    expect(isPageElsewhere('not a url', here)).to.equal(false)
  })
})
