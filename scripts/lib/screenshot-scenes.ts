/**
 * The page side of `npm run screenshots`: each scene puts the elements in one
 * of their states, driven by the in-memory provider the element tests use,
 * and freezes their animations so every run draws the same picture.
 * scripts/screenshots.ts bundles this file and calls `porchlightScenes.show`.
 */
import '../../components/index.js'
import type { P2PLobby } from '../../components/index.js'
import type { Friend } from '../../src/index.js'
import { P2PError } from '../../src/errors.js'
import {
  FakeLobby,
  FakeProvider,
  fakeIdentity,
  fakePeer,
  installProvider,
} from '../../components/test-support/fake-provider.js'

const ada = fakeIdentity('Ada Lovelace')
const grace = fakeIdentity('Grace Hopper')
const alan = fakeIdentity('Alan Turing')
const hedy = fakeIdentity('Hedy Lamarr')
const radia = fakeIdentity('Radia Perlman')
const ken = fakeIdentity('Ken Thompson')
const barbara = fakeIdentity('Barbara Liskov')
const margaret = fakeIdentity('Margaret Hamilton')

interface Scene {
  /** Width of the stage in CSS pixels. */
  width: number
  setup(stage: HTMLElement, provider: FakeProvider): Promise<void>
}

/** Adds `markup` to the stage and waits until `ready` says the scene is drawn. */
async function place(stage: HTMLElement, markup: string, ready: () => boolean): Promise<void> {
  stage.insertAdjacentHTML('beforeend', markup)
  const started = Date.now()
  while (!ready()) {
    if (Date.now() - started > 5000) throw new Error(`scene never got ready: ${markup}`)
    await new Promise((r) => setTimeout(r, 10))
  }
  await settle()
}

/** Two frames: Lit has rendered and styles are applied. */
function settle(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))
}

function state(selector: string): string | null {
  return document.querySelector(selector)?.getAttribute('state') ?? null
}

function fillDesignReview(lobby: FakeLobby): void {
  lobby.peers = [
    fakePeer(grace, 'Sketching the onboarding flow'),
    fakePeer(hedy, '{"status":"Reviewing the copy"}'),
    fakePeer(hedy),
    fakePeer(alan, 'Away for lunch'),
  ]
  void lobby.setSessionData('Presenting')
}

function crowd(): FakeLobby {
  const lobby = new FakeLobby('Design review', fakePeer(ada, undefined, 'self'))
  lobby.peers = [grace, alan, hedy, radia, ken, barbara, margaret].map((i) => fakePeer(i))
  return lobby
}

const now = Date.now()
const friends: Friend[] = [
  {
    identity: grace,
    online: true,
    session: {
      name: 'Compiler night',
      url: `${grace.url}?lobby=compiler-night`,
      lastUpdate: now - 120_000,
      peers: 3,
      maxPeers: 8,
      protected: false,
    },
  },
  {
    identity: alan,
    online: true,
    session: {
      name: 'Enigma club',
      url: `${alan.url}?lobby=enigma`,
      lastUpdate: now - 10_000,
      peers: 2,
      maxPeers: 4,
      protected: true,
    },
  },
  {
    identity: radia,
    online: true,
    session: {
      name: 'Spanning tree reading group',
      url: `${radia.url}?lobby=stp`,
      lastUpdate: now - 26 * 60_000,
      peers: 5,
      maxPeers: 12,
      protected: false,
    },
  },
  { identity: hedy, online: true },
]

const LOBBY = 'p2p-lobby[name="Design review"]'

const scenes: Record<string, Scene> = {
  'lobby-connected': {
    width: 400,
    async setup(stage, provider) {
      provider.setupLobby = fillDesignReview
      await place(
        stage,
        `<p2p-lobby name="Design review" max-peers="8"></p2p-lobby>`,
        () => state(LOBBY) === 'connected',
      )
    },
  },
  'lobby-discovering': {
    width: 400,
    async setup(stage, provider) {
      provider.setupLobby = (lobby) => {
        lobby.state = 'discovering'
      }
      await place(
        stage,
        `<p2p-lobby name="Design review" max-peers="8"></p2p-lobby>`,
        () => state(LOBBY) === 'discovering' && !!document.querySelector<P2PLobby>(LOBBY)?.lobby,
      )
    },
  },
  'lobby-needs-permission': {
    width: 400,
    async setup(stage, provider) {
      provider.permissionState = 'prompt'
      await place(
        stage,
        `<p2p-lobby name="Design review"></p2p-lobby>`,
        () => state(LOBBY) === 'needs-permission',
      )
    },
  },
  'lobby-full': {
    width: 400,
    async setup(stage, provider) {
      provider.failNextJoin = P2PError.LOBBY_FULL('Design review', 8)
      await place(
        stage,
        `<p2p-lobby name="Design review" max-peers="8"></p2p-lobby>`,
        () => state(LOBBY) === 'full',
      )
    },
  },
  'lobby-error': {
    width: 400,
    async setup(stage, provider) {
      provider.failNextJoin = P2PError.TIMEOUT('the tracker', 5000)
      await place(
        stage,
        `<p2p-lobby name="Design review"></p2p-lobby>`,
        () => state(LOBBY) === 'error',
      )
    },
  },
  'peer-list': {
    width: 400,
    async setup(stage) {
      stage.insertAdjacentHTML(
        'beforeend',
        `<div class="bar"><span>Design review</span><p2p-peer-list id="big" max="5"></p2p-peer-list></div>
         <div class="bar"><span>Standup</span><p2p-peer-list id="small" include-self></p2p-peer-list></div>`,
      )
      const small = new FakeLobby('Standup', fakePeer(ada, undefined, 'self'))
      small.peers = [fakePeer(grace), fakePeer(grace), fakePeer(alan)]
      const big = document.getElementById('big') as HTMLElementTagNameMap['p2p-peer-list']
      const smallEl = document.getElementById('small') as HTMLElementTagNameMap['p2p-peer-list']
      big.lobby = crowd()
      smallEl.lobby = small
      await big.updateComplete
      await smallEl.updateComplete
      await settle()
    },
  },
  'identity-granted': {
    width: 400,
    async setup(stage) {
      await place(stage, `<p2p-identity></p2p-identity>`, () => state('p2p-identity') === 'granted')
    },
  },
  'identity-needs-permission': {
    width: 400,
    async setup(stage, provider) {
      provider.permissionState = 'prompt'
      await place(
        stage,
        `<p2p-identity></p2p-identity>`,
        () => state('p2p-identity') === 'needs-permission',
      )
    },
  },
  'sessions-list': {
    width: 440,
    async setup(stage, provider) {
      provider.friendList = friends
      await place(stage, `<p2p-sessions></p2p-sessions>`, () => state('p2p-sessions') === 'ready')
    },
  },
  'sessions-password': {
    width: 440,
    async setup(stage, provider) {
      provider.friendList = friends
      provider.failNextJoin = P2PError.WRONG_PASSWORD()
      await place(stage, `<p2p-sessions></p2p-sessions>`, () => state('p2p-sessions') === 'ready')
      const el = document.querySelector('p2p-sessions')
      const join = el?.shadowRoot?.querySelectorAll<HTMLButtonElement>('.row [part~="join-button"]')
      join?.[0]?.click()
      await el?.updateComplete
      const input = el?.shadowRoot?.querySelector<HTMLInputElement>('[part="password-input"]')
      if (input) input.value = 'bombe'
      el?.shadowRoot
        ?.querySelector<HTMLButtonElement>('[part="password-form"] [type="submit"]')
        ?.click()
      await place(stage, '', () => input?.getAttribute('aria-invalid') === 'true')
    },
  },
  'host-form': {
    width: 400,
    async setup(stage) {
      await place(
        stage,
        `<p2p-host name="Compiler night" max-peers="8"></p2p-host>`,
        () => state('p2p-host') === 'ready',
      )
    },
  },
  'host-live': {
    width: 400,
    async setup(stage, provider) {
      provider.setupLobby = (lobby) => {
        lobby.peers = [fakePeer(grace), fakePeer(alan), fakePeer(alan), fakePeer(hedy)]
      }
      await place(
        stage,
        `<p2p-host name="Compiler night" max-peers="8"></p2p-host>`,
        () => state('p2p-host') === 'ready',
      )
      const el = document.querySelector('p2p-host')
      el?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="start-button"]')?.click()
      await place(stage, '', () => state('p2p-host') === 'hosting')
    },
  },
  overview: {
    width: 880,
    async setup(stage, provider) {
      provider.setupLobby = (lobby) =>
        lobby.name === 'Design review' ? fillDesignReview(lobby) : undefined
      provider.friendList = friends
      await place(
        stage,
        `<div class="grid">
          <div class="column">
            <p2p-identity></p2p-identity>
            <p2p-lobby id="lobby" name="Design review" max-peers="8"></p2p-lobby>
            <div class="bar"><span>Also here</span><p2p-peer-list for="lobby" max="4"></p2p-peer-list></div>
          </div>
          <div class="column">
            <p2p-sessions></p2p-sessions>
            <p2p-host name="Compiler night"></p2p-host>
          </div>
        </div>`,
        () =>
          state(LOBBY) === 'connected' &&
          state('p2p-identity') === 'granted' &&
          state('p2p-sessions') === 'ready' &&
          state('p2p-host') === 'ready',
      )
    },
  },
}

/** Stops every animation in the page and its shadow roots at a moment that reads well. */
function freezeAnimations(): void {
  const roots: Array<Document | ShadowRoot> = [document]
  const walk = (root: Document | ShadowRoot): void => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) {
        roots.push(el.shadowRoot)
        walk(el.shadowRoot)
      }
    }
  }
  walk(document)
  for (const animation of roots.flatMap((r) => r.getAnimations())) {
    animation.pause()
    const name = animation instanceof CSSAnimation ? animation.animationName : ''
    animation.currentTime = name === 'p2p-indeterminate' ? 620 : 0
  }
}

declare global {
  interface Window {
    porchlightScenes: { names: string[]; show(name: string): Promise<{ width: number }> }
  }
}

window.porchlightScenes = {
  names: Object.keys(scenes),
  async show(name) {
    const scene = scenes[name]
    if (!scene) throw new Error(`no scene ${name}`)
    const stage = document.getElementById('stage')
    if (!stage) throw new Error('no #stage')
    stage.style.width = `${scene.width}px`
    const provider = new FakeProvider({ me: ada })
    installProvider(provider)
    await scene.setup(stage, provider)
    freezeAnimations()
    return { width: scene.width }
  },
}
