/**
 * The element bundle, injected into a page's MAIN world on first use: it hands
 * the page script the page client, then defines the `<p2p-*>` elements.
 */
import { CLIENT_HOOK, type ClientFactory } from '../../src/protocol/page.js'
import { Client } from './client.js'
import '../../components/index.js'

const hook: unknown = Reflect.get(window, CLIENT_HOOK)
const factory: ClientFactory = (provider, port) => new Client(provider, port)
if (typeof hook === 'function') (hook as (f: ClientFactory) => void)(factory)
