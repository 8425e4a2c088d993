/** The custom elements Porchlight defines in pages; using any of them loads the bundle. */
export const ELEMENT_TAGS = [
  'p2p-lobby',
  'p2p-peer-list',
  'p2p-identity',
  'p2p-sessions',
  'p2p-host',
] as const
