/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { P2PError } from '../../src/errors.js'
import { axeViolations } from '../test-support/a11y.js'
import { press, shadow, tabTo, text, reachState } from '../test-support/dom.js'
import { useFakeProvider } from '../test-support/use-fake-provider.js'
import { FakeProvider, announceProvider, fakeIdentity } from '../test-support/fake-provider.js'
import './p2p-identity.js'
import { P2PIdentity, type P2PIdentityState } from './p2p-identity.js'

const identityIn = (state: P2PIdentityState, el: P2PIdentity, timeout?: number): Promise<void> =>
  reachState(el, state, timeout)

/** Replaces navigator.clipboard.writeText for one test; returns what was written. */
function stubClipboard(fail = false): { written: string[]; restore(): void } {
  const written: string[] = []
  const original = Object.getOwnPropertyDescriptor(navigator.clipboard, 'writeText')
  Object.defineProperty(navigator.clipboard, 'writeText', {
    configurable: true,
    value: async (text: string) => {
      if (fail) throw new DOMException('denied', 'NotAllowedError')
      written.push(text)
    },
  })
  return {
    written,
    restore: () => {
      if (original) Object.defineProperty(navigator.clipboard, 'writeText', original)
      else Reflect.deleteProperty(navigator.clipboard, 'writeText')
    },
  }
}

describe('<p2p-identity>', () => {
  const fake = useFakeProvider(() => new FakeProvider({ me: fakeIdentity('Ada Lovelace') }))

  it('is defined', () => {
    expect(document.createElement('p2p-identity')).to.be.instanceOf(P2PIdentity)
  })

  it('shows the granted identity: avatar, name, short link', async () => {
    const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
    await identityIn('granted', el)
    expect(text(shadow(el, '[part="name"]'))).to.equal('Ada Lovelace')
    const url = shadow(el, '[part="url"]')
    expect(url.title).to.equal(fake.provider.me.url)
    expect(text(url)).to.match(/^hyper:\/\/[0-9a-f]{6}…[0-9a-f]{6}$/)
    expect(text(shadow(el, '[part~="avatar"]'))).to.equal('AL')
    expect(el.getAttribute('state')).to.equal('granted')
    expect(await axeViolations(el)).to.equal('')
  })

  it('copies the link with the keyboard and says so', async () => {
    const clip = stubClipboard()
    try {
      const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
      await identityIn('granted', el)
      const button = shadow(el, '[part~="copy-button"]')
      expect(button.getAttribute('aria-label')).to.equal('Copy identity link')
      expect(await tabTo(el, button)).to.be.greaterThan(0)
      await press('Enter')
      await waitUntil(() => clip.written.length === 1)
      expect(clip.written[0]).to.equal(fake.provider.me.url)
      await el.updateComplete
      expect(text(shadow(el, '[part="announcer"]'))).to.contain('Identity link copied.')
      await press('Space')
      await waitUntil(() => clip.written.length === 2)
    } finally {
      clip.restore()
    }
  })

  it('says when copying fails', async () => {
    const clip = stubClipboard(true)
    try {
      const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
      await identityIn('granted', el)
      shadow(el, '[part~="copy-button"]').click()
      await waitUntil(() =>
        text(shadow(el, '[part="announcer"]')).includes('Could not copy the identity link.'),
      )
    } finally {
      clip.restore()
    }
  })

  it('fires p2p-identity-change when the identity becomes known', async () => {
    const el = document.createElement('p2p-identity')
    const changed = oneEvent(el, 'p2p-identity-change')
    document.body.append(el)
    try {
      const event = await changed
      expect(event.detail.identity).to.deep.equal(fake.provider.me)
      expect(event.bubbles && event.composed).to.equal(true)
    } finally {
      el.remove()
    }
  })

  it('shows a rename at once (identitychange), firing p2p-identity-change', async () => {
    const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
    await identityIn('granted', el)
    const changed = oneEvent(el, 'p2p-identity-change')
    fake.provider.rename('Ada, Countess of Lovelace')
    expect((await changed).detail.identity?.name).to.equal('Ada, Countess of Lovelace')
    await el.updateComplete
    expect(text(shadow(el, '[part="name"]'))).to.equal('Ada, Countess of Lovelace')
  })

  describe('without a grant', () => {
    beforeEach(() => {
      fake.provider.permissionState = 'prompt'
    })

    it('shows "Show my presence"; Tab and Space reach and press it', async () => {
      const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
      await identityIn('needs-permission', el)
      expect(el.identity).to.equal(null)
      expect(await axeViolations(el)).to.equal('')
      const button = shadow(el, '[part~="presence-button"]')
      expect(await tabTo(el, button)).to.be.greaterThan(0)
      await press('Space')
      await identityIn('granted', el)
      expect(text(shadow(el, '[part="name"]'))).to.equal('Ada Lovelace')
    })

    it('goes back to the button, with a null identity, when presence is revoked', async () => {
      fake.provider.permissionState = 'granted'
      const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
      await identityIn('granted', el)
      const changed = oneEvent(el, 'p2p-identity-change')
      fake.provider.setPermission('denied')
      expect((await changed).detail.identity).to.equal(null)
      await identityIn('needs-permission', el)
      expect(text(el.shadowRoot)).to.contain('Presence is off for this site')
      expect(await axeViolations(el)).to.equal('')
    })
  })

  it('shows an error with Try again when the identity cannot be read', async () => {
    const identity = fake.provider.identity.bind(fake.provider)
    let fail = true
    fake.provider.identity = async () => {
      if (fail) throw P2PError.TIMEOUT('the engine', 5000)
      return identity()
    }
    const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
    await identityIn('error', el)
    expect(text(shadow(el, '[part="message"]'))).to.equal('Porchlight took too long to answer.')
    expect(await axeViolations(el)).to.equal('')
    fail = false
    shadow(el, '[part~="retry-button"]').click()
    await identityIn('granted', el)
  })

  it('shows a placeholder, then "not available" when there is no fake.provider', async () => {
    fake.uninstall()
    const el = await fixture<P2PIdentity>(html`<p2p-identity></p2p-identity>`)
    expect(el.state).to.equal('idle')
    expect(await axeViolations(el)).to.equal('')
    await identityIn('unavailable', el, 3000)
    expect(await axeViolations(el)).to.equal('')
    announceProvider(fake.provider)
    await identityIn('granted', el)
  })

  it('follows the theme attribute', async () => {
    const el = await fixture<P2PIdentity>(html`<p2p-identity theme="dark"></p2p-identity>`)
    await identityIn('granted', el)
    const bg = getComputedStyle(shadow(el, '[part="base"]')).backgroundColor
    expect(bg).to.equal('rgb(28, 27, 25)')
    el.theme = 'light'
    await el.updateComplete
    expect(getComputedStyle(shadow(el, '[part="base"]')).backgroundColor).to.equal(
      'rgb(255, 255, 255)',
    )
  })
})
