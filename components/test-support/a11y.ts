/**
 * Accessibility checks for the element tests: axe-core on the element's
 * rendered shadow DOM, in the light and the dark colour scheme (emulated,
 * so `prefers-color-scheme` is what switches the palette).
 */
import 'axe-core/axe.min.js'
import type { AxeResults, Result, RunOptions } from 'axe-core'
import { nextFrame } from '@open-wc/testing'
import { emulateMedia } from '@web/test-runner-commands'

declare global {
  interface Window {
    axe: { run(context: Element, options: RunOptions): Promise<AxeResults> }
  }
}

const OPTIONS: RunOptions = {
  runOnly: {
    type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
  },
  // Page-level rules: a fixture is a fragment, not a page.
  rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false } },
  resultTypes: ['violations'],
}

function describe(violations: Result[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n')
}

/** Waits until colour transitions (started by switching scheme) in `el` have finished. */
async function transitionsDone(el: Element): Promise<void> {
  const roots: DocumentOrShadowRoot[] = [document]
  const walk = (node: Element): void => {
    if (node.shadowRoot) {
      roots.push(node.shadowRoot)
      node.shadowRoot.querySelectorAll('*').forEach(walk)
    }
  }
  walk(el)
  el.querySelectorAll('*').forEach(walk)
  const running = roots
    .flatMap((root) => root.getAnimations())
    .filter((a) => a instanceof CSSTransition)
  await Promise.all(running.map((a) => a.finished.catch(() => undefined)))
}

/** The scheme the page is emulating now; restored to light after each check. */
export type Scheme = 'light' | 'dark'

/** Runs axe on `el` in each scheme; returns a readable list of violations ('' when none). */
export async function axeViolations(
  el: Element,
  schemes: Scheme[] = ['light', 'dark'],
): Promise<string> {
  const found: string[] = []
  try {
    for (const scheme of schemes) {
      await emulateMedia({ colorScheme: scheme })
      await nextFrame()
      await transitionsDone(el)
      const results = await window.axe.run(el, OPTIONS)
      if (results.violations.length > 0) found.push(`[${scheme}] ${describe(results.violations)}`)
    }
  } finally {
    await emulateMedia({ colorScheme: 'light' })
  }
  return found.join('\n')
}
