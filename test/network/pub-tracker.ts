/**
 * The tracker on the "public internet" side of the namespace test, run
 * inside the pub namespace (`ip netns exec … node --import tsx
 * test/network/pub-tracker.ts <address>`), on port 8000 of `<address>`.
 * Prints one line once it listens; stops on SIGTERM.
 */
import { startTracker } from '../../scripts/lib/tracker.js'

const tracker = await startTracker({ host: process.argv[2] ?? '127.0.0.1', port: 8000 })
console.log(`tracker listening on ${tracker.url}`)
process.on('SIGTERM', () => process.exit(0))
