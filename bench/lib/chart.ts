/**
 * The bench's chart, hand-written SVG: one bar per row that has a target,
 * showing how much of the target the figure uses (100% is the target; a
 * shorter bar is better). Ratio targets with a lower bound (≥ 0.5× memory)
 * are turned around so that shorter is better there too.
 */
import type { Results } from './report.js'
import { describeTarget, type Row } from './rows.js'

const WIDTH = 1000
const LABEL = 400
const BAR_MAX = 330
const ROW = 28
const TOP = 56
/** The scale ends at 2× the target. */
const SCALE = 2

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Share of the target used: ≤ 1 passes. Null when not measured. */
export function budgetShare(row: Row): number | null {
  const t = row.target
  if (!t) return null
  const measured = t.of === 'ratio' ? (row.ratio ?? row.ratioBelow ?? null) : row.value
  if (measured === null || measured === 0) return null
  return t.bound === 'max' ? measured / t.value : t.value / measured
}

export function chart(res: Results): string {
  const rows = res.rows.filter((r) => r.target)
  const height = TOP + rows.length * ROW + 40
  const x100 = LABEL + BAR_MAX / SCALE
  const bars = rows.map((r, i) => {
    const y = TOP + i * ROW
    const share = budgetShare(r)
    const versus = r.target?.of === 'ratio' && r.anchor ? ` of ${r.anchor.figure}` : ''
    const label = `<text x="${LABEL - 10}" y="${y + 17}" text-anchor="end">${escape(r.figure)}</text>`
    if (share === null) {
      const why = r.status === 'pending' ? 'pending' : (r.note ?? 'not measured')
      const against = r.anchor ? ` (against ${r.anchor.figure})` : ''
      return `${label}<text x="${LABEL + 6}" y="${y + 17}" fill="#777">${escape(why + against)}</text>`
    }
    const w = Math.max(2, Math.min(share / SCALE, 1) * BAR_MAX)
    const fill = share <= 1 ? '#3a9a5b' : '#c8553d'
    const ratio = r.ratio !== null ? `${r.ratio}×` : `< ${r.ratioBelow}×`
    const shown = r.target?.of === 'ratio' ? `${ratio}${versus}` : `${r.value} ${r.unit}`
    const text = `${shown} (target ${describeTarget(r.target, r.unit)})`
    return (
      `${label}<rect x="${LABEL}" y="${y + 5}" width="${w.toFixed(1)}" height="16" fill="${fill}"/>` +
      `<text x="${LABEL + w + 6}" y="${y + 17}">${escape(text)}</text>`
    )
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="24" font-size="15" font-weight="bold">Porchlight bench (${res.mode}, ${escape(res.date.slice(0, 16).replace('T', ' '))} UTC)</text>
<text x="16" y="42" fill="#555">Share of each target used: the line is the target, shorter is better; ratios are against anchors measured in the same run.</text>
<line x1="${x100}" y1="${TOP}" x2="${x100}" y2="${TOP + rows.length * ROW}" stroke="#333" stroke-dasharray="4 3"/>
<text x="${x100}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#333">target</text>
${bars.join('\n')}
</svg>
`
}
