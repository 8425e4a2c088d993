/**
 * The bench's outputs: the table (Markdown, printed and pasted into the
 * README), `bench/results.json` with the same figures, and the chart.
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { chart } from './chart.js'
import { describeTarget, type Row } from './rows.js'

export interface Results {
  date: string
  mode: 'full' | 'quick'
  machine: { cpus: number; model: string; node: string; chromium: string }
  seconds: number
  rows: Row[]
}

function value(row: Row): string {
  if (row.value === null) return row.note ?? row.status
  const runs = row.runs > 1 ? ` (${row.runs})` : ''
  return `${row.value} ${row.unit}${runs}`
}

function anchor(row: Row): string {
  if (!row.anchor) return ''
  const { value: v, over } = row.anchor
  const shown = v !== null ? `${v} ${row.unit}` : over ? `> ${over} ${row.unit}` : '—'
  return `${row.anchor.figure}: ${shown}`
}

/** The ratio cell: the ratio, or the bound on it when the anchor only has a floor. */
function ratio(row: Row): string {
  if (row.ratio !== null) return `${row.ratio}×`
  return row.ratioBelow !== undefined ? `< ${row.ratioBelow}×` : ''
}

const RESULT: Record<Row['status'], string> = {
  pass: 'pass',
  fail: '**FAIL**',
  info: '',
  pending: 'pending',
  incomplete: 'incomplete',
}

/** The table as Markdown; values are medians, the number of runs in brackets. */
export function table(rows: readonly Row[]): string {
  const head = ['figure', 'value (runs)', 'anchor (same run)', 'ratio', 'target', 'result']
  const body = rows.map((r) => [
    r.figure,
    value(r),
    anchor(r),
    ratio(r),
    describeTarget(r.target, r.unit),
    RESULT[r.status],
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}

/** Notes of rows that have one and a value (the others show their note as the value). */
export function notes(rows: readonly Row[]): string[] {
  return rows.filter((r) => r.note && r.value !== null).map((r) => `- ${r.figure}: ${r.note}`)
}

export function results(
  rows: Row[],
  opts: { quick: boolean; chromium: string; seconds: number },
): Results {
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    machine: {
      cpus: cpu.length,
      model: cpu[0]?.model ?? 'unknown',
      node: process.version,
      chromium: opts.chromium,
    },
    seconds: opts.seconds,
    rows,
  }
}

/** Writes results.json and results.svg into `dir`. */
export function writeResults(dir: string, res: Results): void {
  writeFileSync(`${dir}/results.json`, JSON.stringify(res, null, 2) + '\n')
  writeFileSync(`${dir}/results.svg`, chart(res))
}
