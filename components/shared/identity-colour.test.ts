/// <reference types="mocha" />
import { expect } from '@open-wc/testing'
import { fakeUrl } from '../test-support/fake-provider.js'
import { colourFor, initialsFor, oklchToHex, UNKNOWN_COLOUR } from './identity-colour.js'

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

describe('identity colour', () => {
  it('gives white initials at least 4.5:1 contrast on every hue', () => {
    for (let hue = 0; hue < 360; hue++) {
      const hex = oklchToHex(0.52, 0.11, hue)
      const contrast = 1.05 / (luminance(hex) + 0.05)
      expect(contrast, `hue ${hue} → ${hex}`).to.be.at.least(4.5)
    }
  })

  it('is stable for a URL, ignores case, and spreads URLs over many colours', () => {
    const url = fakeUrl('ada')
    expect(colourFor(url)).to.equal(colourFor(url.toUpperCase()))
    expect(colourFor(url)).to.match(/^#[0-9a-f]{6}$/)
    const colours = new Set(Array.from({ length: 40 }, (_, i) => colourFor(fakeUrl(`p${i}`))))
    expect(colours.size).to.be.greaterThan(30)
    expect(colourFor(null)).to.equal(UNKNOWN_COLOUR)
  })

  it('takes initials from the first and last word', () => {
    expect(initialsFor('Ada Lovelace')).to.equal('AL')
    expect(initialsFor('  grace  ')).to.equal('G')
    expect(initialsFor('Mary Ann Evans')).to.equal('ME')
    expect(initialsFor('émile zola')).to.equal('ÉZ')
    expect(initialsFor('')).to.equal('?')
    expect(initialsFor(null)).to.equal('?')
  })
})
