/// <reference types="mocha" />
import { expect } from '@open-wc/testing'
import { fakeIdentity, fakePeer } from '../test-support/fake-provider.js'
import { displayName, groupByIdentity, shortUrl } from './people.js'

describe('people', () => {
  const ada = fakeIdentity('Ada')
  const grace = fakeIdentity('Grace')

  it('groups connections by identity, first arrival first, self first', () => {
    const self = fakePeer(ada, undefined, 'self')
    const g1 = fakePeer(grace)
    const anon = fakePeer(null)
    const g2 = fakePeer({ ...grace, url: grace.url.toUpperCase() })
    const a2 = fakePeer(ada)
    const people = groupByIdentity([g1, anon, g2, a2, g1], self)
    expect(people.map((p) => [p.identity?.name ?? null, p.peers.length, p.isSelf])).to.deep.equal([
      ['Ada', 2, true],
      ['Grace', 2, false],
      [null, 1, false],
    ])
  })

  it('names people, also without a name or an identity', () => {
    expect(displayName(grace)).to.equal('Grace')
    expect(displayName({ ...grace, name: '  ' })).to.match(/^Someone \(hyper:\/\/[0-9a-f]{6}…/)
    expect(displayName(null)).to.equal('Someone connecting')
  })

  it('shortens hyper URLs and keeps the rest', () => {
    const url = `hyper://${'0123456789abcdef'.repeat(4)}`
    expect(shortUrl(url)).to.equal('hyper://012345…abcdef')
    expect(shortUrl(`${url}?lobby=hall`)).to.equal('hyper://012345…abcdef?lobby=hall')
    expect(shortUrl('short')).to.equal('short')
  })
})
