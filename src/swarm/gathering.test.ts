import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  GATHER_QUIET_MS,
  GatherPolicy,
  candidateType,
  expectedCandidateTypes,
  type CandidateType,
} from './gathering.js'

const types = (config: RTCConfiguration): CandidateType[] =>
  [...expectedCandidateTypes(config)].sort()

test('no ICE servers: host candidates only', () => {
  assert.deepEqual(types({ iceServers: [] }), ['host'])
  assert.deepEqual(types({}), ['host'])
})

test('STUN adds srflx, TURN adds relay, in any spelling and url form', () => {
  assert.deepEqual(types({ iceServers: [{ urls: 'stun:stun.example:3478' }] }), ['host', 'srflx'])
  assert.deepEqual(types({ iceServers: [{ urls: ['TURNS:turn.example:5349?transport=tcp'] }] }), [
    'host',
    'relay',
  ])
  assert.deepEqual(
    types({ iceServers: [{ urls: ['stun:a'] }, { urls: ['turn:b', 'turn:b?transport=tcp'] }] }),
    ['host', 'relay', 'srflx'],
  )
})

test('relay-only policy waits for relay candidates alone', () => {
  assert.deepEqual(
    types({ iceServers: [{ urls: 'stun:a' }, { urls: 'turn:b' }], iceTransportPolicy: 'relay' }),
    ['relay'],
  )
})

test('reads the type from candidate lines', () => {
  assert.equal(
    candidateType('candidate:1 1 udp 2122260223 1b2c.local 54321 typ host generation 0'),
    'host',
  )
  assert.equal(
    candidateType('candidate:2 1 udp 1686052607 203.0.113.5 4000 typ srflx raddr 0.0.0.0 rport 0'),
    'srflx',
  )
  assert.equal(candidateType('candidate:3 1 udp 41885439 198.51.100.1 5000 typ relay'), 'relay')
  assert.equal(candidateType('candidate:4 1 udp 1 10.0.0.1 5000 typ hostile'), null)
  assert.equal(candidateType(''), null)
})

test('host only: the first host candidate starts the quiet period, each further one restarts it', () => {
  const policy = new GatherPolicy(new Set(['host']))
  assert.equal(policy.candidate('host'), GATHER_QUIET_MS)
  assert.equal(policy.candidate('host'), GATHER_QUIET_MS)
})

test('with STUN and TURN, waits until host, srflx and relay are all in', () => {
  const policy = new GatherPolicy(new Set<CandidateType>(['host', 'srflx', 'relay']), 10)
  assert.equal(policy.candidate('host'), null)
  assert.equal(policy.candidate('host'), null)
  assert.equal(policy.candidate(null), null)
  assert.equal(policy.candidate('relay'), null)
  assert.equal(policy.candidate('srflx'), 10)
  // Late arrivals (another TURN transport) only restart the quiet period.
  assert.equal(policy.candidate('relay'), 10)
})

test('a type the configuration cannot yield does not count towards completion', () => {
  const policy = new GatherPolicy(new Set<CandidateType>(['host', 'srflx']))
  assert.equal(policy.candidate('relay'), null)
  assert.equal(policy.candidate('host'), null)
  assert.equal(policy.candidate('srflx'), GATHER_QUIET_MS)
})
