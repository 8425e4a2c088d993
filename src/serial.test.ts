import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Serial } from './serial.js'

describe('Serial', () => {
  it('runs steps one at a time in call order, past a failing one', async () => {
    const steps = new Serial()
    const log: string[] = []
    const step = (name: string, fail = false) =>
      steps.run(async () => {
        log.push(`${name} start`)
        await new Promise((r) => setTimeout(r, 5))
        log.push(`${name} end`)
        if (fail) throw new Error(name)
        return name
      })
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')])
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end'])
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    )
    await steps.idle()
  })
})
