/**
 * A small internet inside one Linux machine, made of network namespaces:
 *
 *     lanA ─ routerA ─┐                 ┌─ routerB ─ lanB
 *   10.0.1.2   NAT  203.0.113.10  pub  203.0.113.20  NAT   10.0.2.2
 *                     bridge 203.0.113.1 (coturn, tracker)
 *
 * Each router masquerades its LAN behind its WAN address. A `cone` router
 * keeps a LAN socket's mapping whatever it talks to (so hole punching with
 * STUN works); a `symmetric` one picks a new random port per destination
 * (`--random-fully`), so only a TURN relay gets through. Routers forward
 * nothing from a LAN outside 203.0.113.0/24 (TEST-NET-3, used only inside
 * these namespaces) and nothing unsolicited from outside, so no packet
 * leaves the test. Needs root, `ip` and `iptables`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type NatKind = 'cone' | 'symmetric'
export type Side = 'A' | 'B'

export const PUB_IP = '203.0.113.1'
const PUB_NET = '203.0.113.0/24'
const WAN: Record<Side, string> = { A: '203.0.113.10', B: '203.0.113.20' }
/** The address a renumbered router takes instead (see Topology.cut). */
const WAN_OTHER: Record<Side, string> = { A: '203.0.113.11', B: '203.0.113.21' }
const LAN_NET: Record<Side, number> = { A: 1, B: 2 }

export interface Topology {
  /** Namespace names: pub, and per side its router and LAN. */
  readonly pub: string
  router(side: Side): string
  lan(side: Side): string
  /** A script that runs Chromium inside `side`'s LAN (Playwright's executablePath). */
  chromium(side: Side): string
  /** Changes both routers' NAT. */
  setNat(kind: NatKind): void
  /**
   * Takes `side`'s uplink (router WAN ↔ pub) down for `ms`, then up again.
   * `renumber`: the router comes back with another public address (as a
   * laptop on another network), its NAT mappings gone with the old one.
   */
  cut(side: Side, ms: number, opts?: { renumber?: boolean }): Promise<void>
  /** Removes every namespace (and with them every interface and rule). */
  destroy(): void
}

/** Why the namespace test cannot run here, or null when it can. */
export function unavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  for (const tool of ['ip', 'iptables', 'turnserver']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      return `\`${tool}\` is not installed (Debian: apt-get install iproute2 iptables coturn)`
    }
  }
  const probe = `plprobe${process.pid}`
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' })
  if (made.status !== 0) return `ip netns add is not allowed here: ${made.stderr.trim()}`
  spawnSync('ip', ['netns', 'del', probe])
  return null
}

function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? ''
    throw new Error(`${cmd} ${args.join(' ')} failed: ${stderr}`)
  }
}

export function createTopology(nat: NatKind): Topology {
  const id = `pl${process.pid}`
  const ns = {
    pub: `${id}-pub`,
    router: (s: Side) => `${id}-r${s}`,
    lan: (s: Side) => `${id}-l${s}`,
  }
  const all = [ns.pub, ns.router('A'), ns.router('B'), ns.lan('A'), ns.lan('B')]
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-netns-'))
  const ip = (n: string, ...args: string[]) => run('ip', ['-n', n, ...args])
  const inNs = (n: string, cmd: string, ...args: string[]) =>
    run('ip', ['netns', 'exec', n, cmd, ...args])
  const destroy = () => {
    for (const n of all) spawnSync('ip', ['netns', 'del', n])
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    for (const n of all) {
      run('ip', ['netns', 'add', n])
      ip(n, 'link', 'set', 'lo', 'up')
    }
    ip(ns.pub, 'link', 'add', 'br0', 'type', 'bridge')
    ip(ns.pub, 'addr', 'add', `${PUB_IP}/24`, 'dev', 'br0')
    ip(ns.pub, 'link', 'set', 'br0', 'up')
    for (const side of ['A', 'B'] as const) {
      const r = ns.router(side)
      const lan = ns.lan(side)
      const net = LAN_NET[side]
      // Uplink: `up<side>` on pub's bridge ↔ `wan` in the router.
      ip(ns.pub, 'link', 'add', `up${side}`, 'type', 'veth', 'peer', 'name', 'wan', 'netns', r)
      ip(ns.pub, 'link', 'set', `up${side}`, 'master', 'br0', 'up')
      ip(r, 'addr', 'add', `${WAN[side]}/24`, 'dev', 'wan')
      ip(r, 'link', 'set', 'wan', 'up')
      // LAN: `lan` in the router ↔ `eth0` in the LAN.
      ip(r, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lan)
      ip(r, 'addr', 'add', `10.0.${net}.1/24`, 'dev', 'lan')
      ip(r, 'link', 'set', 'lan', 'up')
      ip(lan, 'addr', 'add', `10.0.${net}.2/24`, 'dev', 'eth0')
      ip(lan, 'link', 'set', 'eth0', 'up')
      ip(lan, 'route', 'add', 'default', 'via', `10.0.${net}.1`)
      inNs(r, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
      // IPv4 only: no link-local IPv6 candidates that could never connect.
      inNs(lan, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1')
      const wrapper = join(dir, `chromium-${side}`)
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lan} /usr/bin/chromium "$@"\n`)
      chmodSync(wrapper, 0o755)
    }
  } catch (err) {
    destroy()
    throw err
  }
  /** Each router's public address now. */
  const wan = { ...WAN }
  const topology: Topology = {
    pub: ns.pub,
    router: ns.router,
    lan: ns.lan,
    chromium: (side) => join(dir, `chromium-${side}`),
    setNat(kind) {
      for (const side of ['A', 'B'] as const) {
        const r = ns.router(side)
        inNs(r, 'iptables', '-t', 'nat', '-F')
        inNs(r, 'iptables', '-F')
        const masq = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE']
        inNs(r, 'iptables', ...masq, ...(kind === 'symmetric' ? ['--random-fully'] : []))
        // An early check from the other side must not create a conntrack
        // entry, or the router remaps our own outbound packet to another port.
        const newState = ['-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP']
        inNs(r, 'iptables', '-A', 'INPUT', '-i', 'wan', '-p', 'udp', ...newState)
        inNs(r, 'iptables', '-A', 'FORWARD', '-i', 'wan', ...newState)
        inNs(r, 'iptables', '-A', 'FORWARD', '-i', 'lan', '!', '-d', PUB_NET, '-j', 'DROP')
      }
    },
    async cut(side, ms, opts = {}) {
      ip(ns.pub, 'link', 'set', `up${side}`, 'down')
      if (opts.renumber) {
        // Removing the address also drops the masquerade's mappings through it.
        const [from, to] =
          wan[side] === WAN[side] ? [WAN[side], WAN_OTHER[side]] : [wan[side], WAN[side]]
        ip(ns.router(side), 'addr', 'del', `${from}/24`, 'dev', 'wan')
        ip(ns.router(side), 'addr', 'add', `${to}/24`, 'dev', 'wan')
        wan[side] = to
      }
      await new Promise((r) => setTimeout(r, ms))
      ip(ns.pub, 'link', 'set', `up${side}`, 'up')
    },
    destroy,
  }
  try {
    topology.setNat(nat)
  } catch (err) {
    destroy()
    throw err
  }
  return topology
}
