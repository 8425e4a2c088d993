/**
 * A peer that is gone for good still leaves within the lobby's leave bound,
 * even now that a cut network path is given time to come back: a browser
 * closed normally takes its data channels down and leaves at once; a browser
 * killed outright says nothing, looks exactly like a cut path, and leaves
 * when the heartbeat's timeout plus path grace (24 s) run out.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { Profile } from '../../scripts/lib/chromium.js'
import { DEFAULT_HEARTBEAT, Heartbeat } from '../../src/swarm/heartbeat.js'
import { joinIn, lobbyWorld, person, waitForLog } from './lobby-helpers.js'

/** The leave bound of a silent peer: the heartbeat timeout plus its path grace. */
const BOUND = new Heartbeat(DEFAULT_HEARTBEAT).bound
/** Our side's ticks (every 500 ms) and the page's event delivery. */
const SLACK = 2_000

/** The browser process of `p` (not its helpers): the one with its profile dir and no --type. */
function browserPid(p: Profile): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let args: string[]
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
    } catch {
      continue
    }
    if (
      args.includes(`--user-data-dir=${p.userDataDir}`) &&
      !args.some((a) => a.startsWith('--type='))
    ) {
      return Number(entry)
    }
  }
  throw new Error(`no browser process for ${p.userDataDir}`)
}

describe('a peer gone for good leaves within the bound', () => {
  const world = lobbyWorld()

  it('a closed browser at once, a killed one within timeout + path grace', async () => {
    const { people, tracker, site } = world
    const alice = await person('Alice', [tracker.url], site.origin)
    const bob = await person('Bob', [tracker.url], site.origin)
    const carol = await person('Carol', [tracker.url], site.origin)
    people.push(alice, bob, carol)
    for (const p of people) await joinIn(p.page, 'gone')
    await waitForLog(alice.page, 'gone', 'peer-join', 2, 30_000)

    const closedAt = Date.now()
    await bob.profile.close()
    people.splice(people.indexOf(bob), 1)
    const [closed] = await waitForLog(alice.page, 'gone', 'peer-leave', 1, BOUND + SLACK + 5_000)
    console.log(`# closed browser: peer-leave after ${closed!.at - closedAt} ms`)
    // At once when its goodbye gets out; a browser closed under load may not send it.
    assert.ok(
      closed!.at - closedAt <= BOUND + SLACK,
      `peer-leave after ${closed!.at - closedAt} ms`,
    )

    const killedAt = Date.now()
    process.kill(browserPid(carol.profile), 'SIGKILL')
    const [, killed] = await waitForLog(alice.page, 'gone', 'peer-leave', 2, BOUND + SLACK + 5_000)
    const after = killed!.at - killedAt
    console.log(`# killed browser: peer-leave after ${after} ms (bound ${BOUND} ms)`)
    assert.ok(after <= BOUND + SLACK, `peer-leave after ${after} ms, bound ${BOUND} ms`)
    await carol.profile.close().catch(() => undefined)
    people.splice(people.indexOf(carol), 1)
  })
})
