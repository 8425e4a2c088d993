/// <reference types="mocha" />
import { expect } from '@open-wc/testing'
import * as elements from './index.js'
import { defineElement } from './shared/define.js'

const TAGS = ['p2p-lobby', 'p2p-peer-list', 'p2p-identity', 'p2p-sessions', 'p2p-host'] as const

describe('the element bundle (components/index.ts)', () => {
  it('defines every tag with its class', () => {
    expect(customElements.get('p2p-lobby')).to.equal(elements.P2PLobby)
    expect(customElements.get('p2p-peer-list')).to.equal(elements.P2PPeerList)
    expect(customElements.get('p2p-identity')).to.equal(elements.P2PIdentity)
    expect(customElements.get('p2p-sessions')).to.equal(elements.P2PSessions)
    expect(customElements.get('p2p-host')).to.equal(elements.P2PHost)
  })

  it('lets a second copy (a site bundle beside the extension bundle) load without throwing', () => {
    class Other extends HTMLElement {}
    for (const tag of TAGS) expect(() => defineElement(tag, Other)).not.to.throw()
    expect(customElements.get('p2p-lobby')).to.equal(elements.P2PLobby)
  })

  it('exports provider discovery for pages that bundle the elements', () => {
    expect(elements.resolveProvider).to.be.a('function')
    expect(elements.findProvider()).to.equal(null)
  })
})
