/**
 * custom-elements.json, the manifest IDEs and docs read: each of the five
 * elements has its summary and description and lists its attributes, events,
 * slots, CSS parts and custom properties; and the committed file is what the
 * analyzer (custom-elements-manifest.config.mjs) makes of the sources now.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')

interface Named {
  name: string
}
interface Declaration {
  name: string
  tagName?: string
  customElement?: boolean
  summary?: string
  description?: string
  attributes?: Named[]
  events?: Named[]
  slots?: Named[]
  cssParts?: Named[]
  cssProperties?: Named[]
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>
}

/** What every element has from P2PElement. */
const THEME = [
  '--p2p-avatar-size',
  '--p2p-background',
  '--p2p-border-color',
  '--p2p-font-family',
  '--p2p-font-size',
  '--p2p-muted-color',
  '--p2p-subtle-background',
  '--p2p-text-color',
]
/** What the elements that talk to the page API add (P2PPresenceElement). */
const PRESENCE_PROPS = [
  ...THEME,
  '--p2p-accent',
  '--p2p-accent-soft',
  '--p2p-danger-color',
  '--p2p-focus-color',
  '--p2p-on-accent',
  '--p2p-radius',
  '--p2p-spacing',
  '--p2p-success-color',
  '--p2p-warning-color',
]
const PRESENCE_PARTS = ['announcer', 'avatar', 'base', 'button', 'message', 'presence-button']

const EXPECTED: Record<
  string,
  { attributes: string[]; events: string[]; slots: string[]; parts: string[]; props: string[] }
> = {
  'p2p-lobby': {
    attributes: ['max-peers', 'name', 'password', 'state', 'theme'],
    events: ['p2p-lobby-state', 'p2p-peer-join', 'p2p-peer-leave'],
    slots: ['actions', 'empty', 'heading'],
    parts: [
      ...PRESENCE_PARTS,
      ...['body', 'empty', 'footer', 'header', 'name', 'peer', 'peer-status', 'peers'],
      ...['progress', 'retry-button', 'self', 'self-avatar', 'status', 'title'],
    ],
    props: PRESENCE_PROPS,
  },
  'p2p-peer-list': {
    attributes: ['for', 'include-self', 'max', 'quiet', 'size', 'theme'],
    events: [],
    slots: ['empty'],
    parts: ['announcer', 'avatar', 'base', 'empty', 'overflow', 'self-avatar', 'stack'],
    props: THEME,
  },
  'p2p-identity': {
    attributes: ['state', 'theme'],
    events: ['p2p-identity-change'],
    slots: [],
    parts: [...PRESENCE_PARTS, 'copy-button', 'name', 'retry-button', 'url'],
    props: PRESENCE_PROPS,
  },
  'p2p-sessions': {
    attributes: ['state', 'theme'],
    events: ['p2p-request-join', 'p2p-session-join', 'p2p-session-leave'],
    slots: ['empty', 'heading'],
    parts: [
      ...PRESENCE_PARTS,
      ...['body', 'empty', 'header', 'join-button', 'leave-button', 'meta', 'password-form'],
      ...['password-input', 'retry-button', 'session', 'session-error', 'session-name'],
      ...['sessions', 'status', 'title'],
    ],
    props: PRESENCE_PROPS,
  },
  'p2p-host': {
    attributes: ['max-peers', 'name', 'state', 'theme'],
    events: ['p2p-host-start', 'p2p-host-stop', 'p2p-request-host'],
    slots: ['heading'],
    parts: [
      ...PRESENCE_PARTS,
      ...['body', 'copy-button', 'field-error', 'form', 'form-error', 'header', 'input', 'link'],
      ...['max-peers-input', 'name-input', 'overflow', 'password-input', 'stack'],
      ...['start-button', 'status', 'stop-button', 'title'],
    ],
    props: PRESENCE_PROPS,
  },
}

function elements(manifest: Manifest): Map<string, Declaration> {
  const found = new Map<string, Declaration>()
  for (const module of manifest.modules) {
    for (const d of module.declarations ?? []) {
      if (d.customElement && d.tagName) found.set(d.tagName, d)
    }
  }
  return found
}

const names = (list: Named[] | undefined): string[] =>
  [...new Set((list ?? []).map((n) => n.name))].sort()

const committed = JSON.parse(
  readFileSync(resolve(root, 'custom-elements.json'), 'utf8'),
) as Manifest

describe('custom-elements.json', () => {
  const tags = elements(committed)

  it('has the five elements and nothing else', () => {
    assert.deepEqual([...tags.keys()].sort(), Object.keys(EXPECTED).sort())
  })

  for (const [tag, want] of Object.entries(EXPECTED)) {
    it(`<${tag}>: summary, description, attributes, events, slots, parts, custom properties`, () => {
      const d = tags.get(tag)
      assert.ok(d, `${tag} is missing`)
      assert.ok((d.summary ?? '').length > 20, `${tag} has no summary`)
      assert.ok((d.description ?? '').length > 40, `${tag} has no description`)
      assert.doesNotMatch(d.description ?? '', /@\w+/, 'a tag leaked into the description')
      assert.deepEqual(names(d.attributes), [...want.attributes].sort(), 'attributes')
      assert.deepEqual(names(d.events), [...want.events].sort(), 'events')
      assert.deepEqual(names(d.slots), [...want.slots].sort(), 'slots')
      assert.deepEqual(names(d.cssParts), [...new Set(want.parts)].sort(), 'parts')
      assert.deepEqual(names(d.cssProperties), [...want.props].sort(), 'custom properties')
    })
  }

  it('is current: a fresh analysis of the sources gives the same file (npm run cem)', async () => {
    const url = pathToFileURL(
      resolve(root, 'node_modules/@custom-elements-manifest/analyzer/cli.js'),
    )
    const { cli } = (await import(url.href)) as {
      cli(opts: { argv: string[]; cwd: string; noWrite: boolean }): Promise<unknown>
    }
    const fresh = await cli({
      argv: ['analyze', '--litelement', '--quiet'],
      cwd: root,
      noWrite: true,
    })
    assert.deepEqual(JSON.parse(JSON.stringify(fresh)), committed)
  })
})
