/// <reference types="mocha" />
/**
 * Mocha hooks for element tests: a fresh {@link FakeProvider} installed as
 * `window.p2p` before each test and removed after it.
 */
import { FakeProvider, installProvider } from './fake-provider.js'

export interface FakeProviderFixture {
  /** This test's provider. */
  provider: FakeProvider
  /** Takes `window.p2p` away now (to test discovery); safe to call twice. */
  uninstall(): void
}

export function useFakeProvider(
  make: () => FakeProvider = () => new FakeProvider(),
): FakeProviderFixture {
  let undo: (() => void) | null = null
  const fixture: FakeProviderFixture = {
    provider: make(),
    uninstall() {
      undo?.()
      undo = null
    },
  }
  beforeEach(() => {
    fixture.provider = make()
    undo = installProvider(fixture.provider)
  })
  afterEach(() => fixture.uninstall())
  return fixture
}
