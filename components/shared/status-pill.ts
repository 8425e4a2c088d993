/**
 * The small "● Connected" pill that says what an element is doing, as part
 * `status`. The dot pulses while work is under way.
 */
import { css, html, type TemplateResult } from 'lit'

export type Tone = 'neutral' | 'progress' | 'success' | 'warning' | 'danger'

export function renderStatus(tone: Tone, label: string): TemplateResult {
  return html`<span part="status" class="status ${tone}" data-tone=${tone}
    ><span class="dot" aria-hidden="true"></span>${label}</span
  >`
}

export const statusStyles = css`
  .status {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    flex: none;
    height: 24px;
    padding: 0 10px;
    border-radius: 999px;
    background: var(--_subtle);
    color: var(--_muted);
    font-size: 0.86em;
    font-weight: 600;
    white-space: nowrap;
  }
  .status .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: currentColor;
  }
  .status.success {
    color: var(--_success);
  }
  .status.warning,
  .status.progress {
    color: var(--_warning);
  }
  .status.danger {
    color: var(--_danger);
  }
  .status.progress .dot {
    animation: p2p-pulse 1.2s ease-in-out infinite;
  }
  @keyframes p2p-pulse {
    50% {
      opacity: 0.3;
      transform: scale(0.8);
    }
  }

  /* Lies over the bottom border of the header it follows. */
  .progress-bar {
    position: relative;
    height: 2px;
    margin: -2px 0 0;
    overflow: hidden;
  }
  .progress-bar::after {
    content: '';
    position: absolute;
    inset: 0 auto 0 0;
    width: 35%;
    border-radius: 2px;
    background: var(--_warning);
    animation: p2p-indeterminate 1.4s ease-in-out infinite;
  }
  .progress-bar.idle::after {
    visibility: hidden;
  }
  @keyframes p2p-indeterminate {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(290%);
    }
  }
`
