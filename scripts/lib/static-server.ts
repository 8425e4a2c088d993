/**
 * A small static file server on loopback for the demo site and test pages.
 * Serves one directory, refuses anything outside it, and never lists folders.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string
  port: number
  close(): Promise<void>
}

export async function serveStatic(
  dir: string,
  opts: { port?: number; host?: string } = {},
): Promise<StaticServer> {
  const root = resolve(dir)
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden')
      return
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file')
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        createReadStream(file).pipe(res)
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    )
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolvePromise())
  })
  const port = (server.address() as { port: number }).port
  return {
    origin: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections()
        server.close(() => resolvePromise())
      }),
  }
}
