/**
 * The page client: the page API of API.md, running in the page's MAIN world.
 * It arrives with the element bundle on first use (see src/protocol/page.ts)
 * and talks to the content bridge over the port the page script holds.
 * Everything that comes back is parsed; errors are rebuilt as P2PError.
 */
import { P2PError } from '../../src/errors.js'
import { RpcClient } from '../../src/protocol/client.js'
import type { EngineStatus, Identity, PermissionState } from '../../src/protocol/messages.js'
import type { PageClient } from '../../src/protocol/page.js'

export class Client implements PageClient {
  readonly #rpc = new RpcClient()
  readonly #port: MessagePort

  constructor(_provider: EventTarget, port: MessagePort) {
    this.#port = port
    port.addEventListener('message', (e: MessageEvent) => this.#rpc.receive(e.data))
    port.start()
  }

  #call<T>(method: string, params?: unknown): Promise<T> {
    return this.#rpc.call((message) => this.#port.postMessage(message), method, params)
  }

  permission(): Promise<PermissionState> {
    return this.#call('permission')
  }

  /** Opens the extension's prompt; resolves with the identity the site may see. */
  requestPermission(): Promise<Identity> {
    return this.#call('requestPermission')
  }

  /** The page gives up its own grant. */
  async revokePermission(): Promise<void> {
    await this.#call('revokePermission')
  }

  /** The identity this site was granted. */
  identity(): Promise<Identity> {
    return this.#call('identity')
  }

  /** Addition to API.md: the extension's version and engine uptime. */
  status(): Promise<EngineStatus> {
    return this.#call('status')
  }
}

export { P2PError }
