/**
 * `npm run tracker`: the embedded WebTorrent tracker on 127.0.0.1, port from
 * PORT (default 8000), WebSocket only. Ctrl-C stops it.
 */
import { startTracker } from './lib/tracker.js'

const port = Number(process.env.PORT ?? 8000)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`)
  process.exit(2)
}
try {
  const tracker = await startTracker({ port })
  console.log(`Porchlight tracker listening on ${tracker.url} (WebSocket only)`)
  const stop = () => void tracker.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${port} is already in use: is another tracker running? Set PORT to use another.`
      : `Could not start the tracker: ${(err as Error).message}`,
  )
  process.exit(1)
}
