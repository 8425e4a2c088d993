/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
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
import { type FakeProvider, fakeIdentity, fakePeer } from '../test-support/fake-provider.js'
import './p2p-host.js'
import { P2PHost, type P2PHostState } from './p2p-host.js'

const hostIn = (state: P2PHostState, el: P2PHost, timeout?: number): Promise<void> =>
  reachState(el, state, timeout)

function input(el: P2PHost, name: string): HTMLInputElement {
  return shadow<HTMLInputElement>(el, `input[name="${name}"]`)
}

function submit(el: P2PHost): void {
  shadow<HTMLButtonElement>(el, '[part~="start-button"]').click()
}

function hostCalls(provider: FakeProvider): unknown[] {
  return provider.calls.filter((c) => c.method === 'host').map((c) => c.args[0])
}

describe('<p2p-host>', () => {
  const fake = useFakeProvider()

  it('is defined', () => {
    expect(document.createElement('p2p-host')).to.be.instanceOf(P2PHost)
  })

  it('shows a labelled form, filled from name and max-peers', async () => {
    const el = await fixture<P2PHost>(
      html`<p2p-host name="Compiler night" max-peers="6"></p2p-host>`,
    )
    await hostIn('ready', el)
    expect(input(el, 'name').value).to.equal('Compiler night')
    expect(input(el, 'maxPeers').value).to.equal('6')
    expect(input(el, 'password').value).to.equal('')
    for (const name of ['name', 'maxPeers', 'password']) {
      const label = shadow(el, `label[for="${input(el, name).id}"]`)
      expect(text(label)).not.to.equal('')
    }
    expect(text(shadow(el, '[part="status"]'))).to.equal('Not hosting')
    expect(await axeViolations(el)).to.equal('')
  })

  it('starts hosting from the keyboard, then shows the live session', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    await hostIn('ready', el)
    const requested = oneEvent(el, 'p2p-request-host')
    const started = oneEvent(el, 'p2p-host-start')
    expect(await tabTo(el, input(el, 'name'))).to.be.greaterThan(0)
    await sendKeys({ type: 'Compiler night' })
    await press('Tab')
    await sendKeys({ down: 'Control' })
    await sendKeys({ press: 'KeyA' })
    await sendKeys({ up: 'Control' })
    await sendKeys({ type: '4' })
    await press('Tab')
    await sendKeys({ type: 'hunter2' })
    await press('Enter')
    const request = await requested
    expect(request.cancelable).to.equal(true)
    expect(request.detail.options).to.deep.equal({
      name: 'Compiler night',
      maxPeers: 4,
      password: 'hunter2',
    })
    const start = await started
    expect(start.detail.lobby).to.equal(fake.provider.lastLobby)
    expect(hostCalls(fake.provider)).to.deep.equal([
      { name: 'Compiler night', maxPeers: 4, password: 'hunter2' },
    ])
    await hostIn('hosting', el)
    expect(el.lobby).to.equal(fake.provider.lastLobby)
    expect(text(shadow(el, '#title'))).to.contain('Compiler night')
    expect(text(shadow(el, '.card-subtitle'))).to.equal('1 of 4 here, you included')
    expect(text(shadow(el, '[part="status"]'))).to.equal('Hosting')
    const link = shadow(el, '[part="link"] .link-text')
    expect(link.title).to.equal(fake.provider.lastLobby?.url)
    expect(text(link)).to.match(/^hyper:\/\/[0-9a-f]{6}…[0-9a-f]{6}\?lobby=Compiler%20night$/)
    expect(text(shadow(el, '[part="announcer"]'))).to.contain('Hosting Compiler night.')
    expect(await axeViolations(el)).to.equal('')
  })

  it('leaves the password out when it is empty', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host name="Open house"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await hostIn('hosting', el)
    expect(hostCalls(fake.provider)).to.deep.equal([{ name: 'Open house', maxPeers: 8 }])
  })

  it('checks the fields inline and focuses the first wrong one', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    await hostIn('ready', el)
    input(el, 'maxPeers').value = '900'
    submit(el)
    await el.updateComplete
    const name = input(el, 'name')
    expect(name.getAttribute('aria-invalid')).to.equal('true')
    const nameError = shadow(el, `#${name.getAttribute('aria-describedby')}`)
    expect(text(nameError)).to.equal('Give the session a name.')
    const max = input(el, 'maxPeers')
    expect(max.getAttribute('aria-invalid')).to.equal('true')
    expect(text(shadow(el, '#maxPeers-error'))).to.equal('Choose a number from 2 to 64.')
    await waitUntil(() => focusedIn(el) === name, 'name field not focused')
    expect(hostCalls(fake.provider)).to.deep.equal([])
    expect(await axeViolations(el)).to.equal('')
  })

  it('does not host when the page cancels p2p-request-host', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host name="x"></p2p-host>`)
    await hostIn('ready', el)
    el.addEventListener('p2p-request-host', (e) => e.preventDefault(), { once: true })
    submit(el)
    await new Promise((r) => setTimeout(r, 20))
    expect(hostCalls(fake.provider)).to.deep.equal([])
    expect(el.state).to.equal('ready')
  })

  it('shows guests once per identity and announces them', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host name="Compiler night"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await hostIn('hosting', el)
    const lobby = fake.provider.lastLobby!
    const grace = fakeIdentity('Grace Hopper')
    lobby.addPeer(fakePeer(grace))
    lobby.addPeer(fakePeer(grace))
    lobby.addPeer(fakePeer(fakeIdentity('Alan Turing')))
    await el.updateComplete
    const avatars = shadowAll(el, '[part~="avatar"]').map((a) => a.getAttribute('aria-label'))
    expect(avatars).to.deep.equal(['Grace Hopper, in 2 browsers', 'Alan Turing'])
    const said = text(shadow(el, '[part="announcer"]'))
    expect(said.match(/Grace Hopper joined/g)).to.have.length(1)
    expect(said).to.contain('Alan Turing joined.')
    expect(await axeViolations(el)).to.equal('')
  })

  it('stops with the Stop button and gives the same form back', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    await hostIn('ready', el)
    input(el, 'name').value = 'Compiler night'
    submit(el)
    await hostIn('hosting', el)
    const lobby = fake.provider.lastLobby!
    const stopped = oneEvent(el, 'p2p-host-stop')
    const stop = shadow(el, '[part~="stop-button"]')
    expect(await tabTo(el, stop)).to.be.greaterThan(0)
    await press('Enter')
    expect((await stopped).detail.lobby).to.equal(lobby)
    expect(lobby.left).to.equal(true)
    await hostIn('ready', el)
    expect(input(el, 'name').value).to.equal('Compiler night')
    expect(el.lobby).to.equal(null)
    // The Stop button is gone; focus stays in the element, on the form it gave back.
    expect(el.shadowRoot?.activeElement?.getAttribute('name')).to.equal('name')
  })

  it('says so when the session ends on its own', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host name="x"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await hostIn('hosting', el)
    const stopped = oneEvent(el, 'p2p-host-stop')
    fake.provider.lastLobby?.setState('closed')
    await stopped
    await hostIn('ready', el)
    expect(text(shadow(el, '[part="form-error"]'))).to.equal('The session ended.')
  })

  it('shows why hosting failed', async () => {
    fake.provider.failNextJoin = P2PError.RATE_LIMITED()
    const el = await fixture<P2PHost>(html`<p2p-host name="x"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await waitUntil(() => shadowAll(el, '[part="form-error"]').length === 1)
    expect(text(shadow(el, '[part="form-error"]'))).to.equal(
      'Too many requests at once. Wait a moment and try again.',
    )
    expect(el.state).to.equal('ready')
    expect(await axeViolations(el)).to.equal('')
  })

  it('shows progress while starting', async () => {
    let open!: () => void
    fake.provider.joinGate = new Promise<void>((resolve) => (open = resolve))
    const el = await fixture<P2PHost>(html`<p2p-host name="x"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await hostIn('starting', el)
    const button = shadow(el, '[part~="start-button"]')
    expect(button.getAttribute('aria-disabled')).to.equal('true')
    expect(text(button)).to.equal('Starting…')
    expect(await axeViolations(el)).to.equal('')
    open()
    await hostIn('hosting', el)
  })

  it('asks for presence first', async () => {
    fake.provider.permissionState = 'prompt'
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    await hostIn('needs-permission', el)
    expect(await axeViolations(el)).to.equal('')
    expect(await tabTo(el, shadow(el, '[part~="presence-button"]'))).to.be.greaterThan(0)
    await press('Enter')
    await hostIn('ready', el)
  })

  it('stops hosting when presence is revoked', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host name="x"></p2p-host>`)
    await hostIn('ready', el)
    submit(el)
    await hostIn('hosting', el)
    const lobby = fake.provider.lastLobby!
    fake.provider.setPermission('prompt')
    await hostIn('needs-permission', el)
    expect(lobby.left).to.equal(true)
  })

  it('reflects name and max-peers', async () => {
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    el.name = 'Salon'
    el.maxPeers = 12
    await el.updateComplete
    expect(el.getAttribute('name')).to.equal('Salon')
    expect(el.getAttribute('max-peers')).to.equal('12')
  })

  it('has no axe violations while loading', async () => {
    fake.uninstall()
    const el = await fixture<P2PHost>(html`<p2p-host></p2p-host>`)
    expect(el.state).to.equal('idle')
    expect(await axeViolations(el)).to.equal('')
  })
})
