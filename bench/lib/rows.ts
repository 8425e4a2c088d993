/**
 * One row of the bench's table: a figure, its anchor measured in the same
 * run, their ratio, the target from issue 10 and whether it is met.
 *
 * A target bounds either the ratio to the anchor (`of: 'ratio'`) or the
 * value itself; rows without a target are context (the anchors' own
 * floors). A row that could not be measured says why: `pending` (the part
 * of Porchlight it needs is not there yet) or `incomplete` (it ran and did
 * not finish within its cap).
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

export interface Row {
  id: string
  figure: string
  value: number | null
  unit: Unit
  /** Measurements the value is the median of (1: a single measurement). */
  runs: number
  anchor: { figure: string; value: number | null } | null
  /** value / anchor */
  ratio: number | null
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
  anchor?: { figure: string; value: number | null }
  /** The ratio when it is measured pairwise rather than value / anchor. */
  ratio?: number
  target?: Target
  note?: string
  /** Set when the figure could not be measured (value must be null). */
  missing?: 'pending' | 'incomplete'
  /** Set when measuring it failed: the row fails. */
  error?: string
}

/** Builds a row: works out the ratio and whether the target is met. */
export function row(init: RowInit): Row {
  const anchor = init.anchor ?? null
  // A median of no runs (NaN) is no measurement.
  const value = init.value !== null && Number.isFinite(init.value) ? init.value : null
  const ratio =
    value === null
      ? null
      : init.ratio !== undefined
        ? round(init.ratio, 2)
        : anchor?.value
          ? round(value / anchor.value, 2)
          : null
  const target = init.target ?? null
  let status: Status = 'info'
  if (init.error) status = 'fail'
  else if (init.missing) status = init.missing
  else if (value === null) status = 'incomplete'
  else if (target) {
    const measured = target.of === 'ratio' ? ratio : value
    if (measured === null) status = 'fail'
    else
      status = (target.bound === 'max' ? measured <= target.value : measured >= target.value)
        ? 'pass'
        : 'fail'
  }
  return {
    id: init.id,
    figure: init.figure,
    value: value === null ? null : round(value),
    unit: init.unit,
    runs: init.runs ?? 1,
    anchor: anchor && {
      figure: anchor.figure,
      value: anchor.value !== null && Number.isFinite(anchor.value) ? round(anchor.value) : null,
    },
    ratio,
    target,
    status,
    ...(init.error || init.note ? { note: init.error ? `error: ${init.error}` : init.note } : {}),
  }
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
