/**
 * One row of the bench's table: a figure, its anchor measured in the same
 * run, their ratio, the target from issue 10 and whether it is met.
 *
 * A target bounds either the ratio to the anchor (`of: 'ratio'`) or the
 * value itself; rows without a target are context (the anchors' own
 * floors). A row that could not be measured says why: `pending` (the part
 * of Porchlight it needs is not there yet) or `incomplete` (it ran and did
 * not finish within its cap).
 *
 * An anchor whose median is beyond its runs' cap (most of them never
 * finished) has no value, only a floor (`over`): the ratio is then an upper
 * bound (`ratioBelow`), which meets a `max` ratio target when it is under
 * it, and says nothing about a `min` one.
 */
import { round } from './stats.js'

export type Unit = 'ms' | 'MB/s' | 'B' | 'blocks/s' | 'MB'

export interface Target {
  /** `max`: the figure must be at most `value`; `min`: at least. */
  bound: 'max' | 'min'
  value: number
  of: 'ratio' | 'value'
}

export type Status = 'pass' | 'fail' | 'info' | 'pending' | 'incomplete'

export interface Anchor {
  figure: string
  /** Its median; null (or not finite) when it was not measured. */
  value: number | null
  /** Not measured because most runs went past this cap: the anchor is above it. */
  over?: number
}

export interface Row {
  id: string
  figure: string
  value: number | null
  unit: Unit
  /** Measurements the value is the median of (1: a single measurement). */
  runs: number
  anchor: Anchor | null
  /** value / anchor */
  ratio: number | null
  /** The ratio is below this (rounded up): the anchor is only known to be over its cap. */
  ratioBelow?: number
  target: Target | null
  status: Status
  note?: string
}

export interface RowInit {
  id: string
  figure: string
  value: number | null
  unit: Unit
  runs?: number
  anchor?: Anchor
  /** The ratio when it is measured pairwise rather than value / anchor. */
  ratio?: number
  target?: Target
  note?: string
  /** Set when the figure could not be measured (value must be null). */
  missing?: 'pending' | 'incomplete'
  /** Set when measuring it failed: the row fails. */
  error?: string
}

const finite = (n: number | null | undefined): number | null =>
  n !== null && n !== undefined && Number.isFinite(n) ? n : null

/** Builds a row: works out the ratio and whether the target is met. */
export function row(init: RowInit): Row {
  const anchor = init.anchor ?? null
  // A median of no runs (NaN) is no measurement; nor is one of runs that never finished (∞).
  const value = finite(init.value)
  const anchorValue = finite(anchor?.value)
  const over = anchorValue === null ? finite(anchor?.over) : null
  const ratio =
    value === null
      ? null
      : init.ratio !== undefined
        ? round(init.ratio, 2)
        : anchorValue
          ? round(value / anchorValue, 2)
          : null
  // value / anchor < value / over: an upper bound, rounded up so that it stays one.
  const ratioBelow =
    value !== null && ratio === null && over ? Math.ceil((value / over) * 100) / 100 : undefined
  const target = init.target ?? null
  let status: Status = 'info'
  if (init.error) status = 'fail'
  else if (init.missing) status = init.missing
  else if (value === null) status = 'incomplete'
  else if (target) status = judge(target, target.of === 'ratio' ? ratio : value, ratioBelow)
  return {
    id: init.id,
    figure: init.figure,
    value: value === null ? null : round(value),
    unit: init.unit,
    runs: init.runs ?? 1,
    anchor: anchor && {
      figure: anchor.figure,
      value: anchorValue === null ? null : round(anchorValue),
      ...(over ? { over } : {}),
    },
    ratio,
    ...(ratioBelow !== undefined ? { ratioBelow } : {}),
    target,
    status,
    ...(init.error || init.note ? { note: init.error ? `error: ${init.error}` : init.note } : {}),
  }
}

/** Whether `measured` meets `target`; with only an upper bound on a ratio, what it can tell. */
function judge(target: Target, measured: number | null, ratioBelow?: number): Status {
  if (measured !== null) {
    const met = target.bound === 'max' ? measured <= target.value : measured >= target.value
    return met ? 'pass' : 'fail'
  }
  if (target.of !== 'ratio' || ratioBelow === undefined) return 'fail'
  // Below a bound under the target: met. Otherwise the bound cannot tell.
  return target.bound === 'max' && ratioBelow <= target.value ? 'pass' : 'incomplete'
}

/** Thrown by a measurement that needs a part of Porchlight not built yet. */
export class Pending extends Error {
  constructor(what: string) {
    super(`pending: ${what}`)
    this.name = 'Pending'
  }
}

/** The text of a target, e.g. "≤ 0.6× anchor", "≤ 150 ms", "≥ 0.5× anchor". */
export function describeTarget(target: Target | null, unit: Unit): string {
  if (!target) return ''
  const sign = target.bound === 'max' ? '≤' : '≥'
  return target.of === 'ratio' ? `${sign} ${target.value}×` : `${sign} ${target.value} ${unit}`
}

/** Runs `fn`; a `Pending` it throws comes back as the result instead. */
export async function orPending<T>(fn: () => Promise<T>): Promise<T | Pending> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof Pending) return err
    throw err
  }
}
