/// <reference types="mocha" />
import { expect } from '@open-wc/testing'
import { FakeProvider, announceProvider, installProvider } from '../test-support/fake-provider.js'
import { findProvider, isProvider, resolveProvider } from './provider.js'

describe('finding the provider', () => {
  it('takes window.p2p when it is a provider', () => {
    const provider = new FakeProvider()
    const undo = installProvider(provider)
    try {
      expect(findProvider()).to.equal(provider)
    } finally {
      undo()
    }
  })

  it('ignores a window.p2p that is not a provider, and a bogus announcement', async () => {
    Object.defineProperty(window, 'p2p', { value: { hello: 1 }, configurable: true })
    try {
      expect(findProvider()).to.equal(null)
      const waiting = resolveProvider({ timeout: 50 })
      window.dispatchEvent(
        new CustomEvent('p2p:announceProvider', { detail: { provider: { joinLobby: 1 } } }),
      )
      expect(await waiting).to.equal(null)
    } finally {
      Reflect.deleteProperty(window, 'p2p')
    }
  })

  it('answers with what a p2p:requestProvider brings at once', () => {
    const provider = new FakeProvider()
    const controller = new AbortController()
    window.addEventListener('p2p:requestProvider', () => announceProvider(provider), {
      signal: controller.signal,
    })
    try {
      expect(findProvider()).to.equal(provider)
    } finally {
      controller.abort()
    }
  })

  it('waits for a later announcement', async () => {
    const provider = new FakeProvider()
    const waiting = resolveProvider({ timeout: 1000 })
    setTimeout(() => announceProvider(provider), 20)
    expect(await waiting).to.equal(provider)
  })

  it('gives up after the timeout, or when aborted', async () => {
    expect(await resolveProvider({ timeout: 20 })).to.equal(null)
    const controller = new AbortController()
    const waiting = resolveProvider({ timeout: 5000, signal: controller.signal })
    controller.abort()
    expect(await waiting).to.equal(null)
  })

  it('recognises the API.md shape', () => {
    expect(isProvider(new FakeProvider())).to.equal(true)
    expect(isProvider(null)).to.equal(false)
    expect(isProvider({ permission() {} })).to.equal(false)
    const minimal = Object.assign(new EventTarget(), {
      permission: async () => 'prompt',
      requestPermission: async () => ({}),
    })
    expect(isProvider(minimal), 'permission calls are enough to start').to.equal(true)
  })
})
