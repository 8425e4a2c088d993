/**
 * Buttons and form fields shared by the elements: `.button` (primary),
 * `.button.secondary`, `.button.quiet` and `.button.icon`; `.field` wraps a
 * label, an input and its hint or error.
 */
import { css } from 'lit'

export const buttonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 14px;
    border: 1px solid transparent;
    border-radius: var(--_radius-small);
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    line-height: 1;
    white-space: nowrap;
    cursor: pointer;
    transition:
      background-color 120ms ease,
      border-color 120ms ease,
      filter 120ms ease;
  }
  .button:hover {
    filter: brightness(1.08);
  }
  .button:active {
    filter: brightness(0.95);
  }
  .button[aria-disabled='true'],
  .button:disabled {
    cursor: default;
    opacity: 0.65;
    filter: none;
  }
  .button.secondary {
    background: var(--_bg);
    color: var(--_text);
    border-color: var(--_border);
  }
  .button.secondary:hover {
    filter: none;
    background: var(--_subtle);
  }
  .button.quiet {
    background: transparent;
    color: var(--_text);
    border-color: transparent;
  }
  .button.quiet:hover {
    filter: none;
    background: var(--_subtle);
  }
  .button.danger {
    background: var(--_bg);
    color: var(--_danger);
    border-color: var(--_border);
  }
  .button.danger:hover {
    filter: none;
    background: var(--_subtle);
  }
  .button.icon {
    min-width: 32px;
    min-height: 32px;
    padding: 0 8px;
  }
  .button svg {
    flex: none;
    width: 16px;
    height: 16px;
  }
  .spinner {
    width: 14px;
    height: 14px;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: p2p-spin 700ms linear infinite;
  }
  @keyframes p2p-spin {
    to {
      transform: rotate(360deg);
    }
  }

  .field {
    display: grid;
    align-content: start;
    gap: 4px;
    margin: 0 0 12px;
  }
  .field label {
    font-weight: 600;
    font-size: 0.93em;
  }
  .field .hint {
    font-size: 0.86em;
    color: var(--_muted);
  }
  .field .error {
    font-size: 0.86em;
    color: var(--_danger);
  }
  .input {
    width: 100%;
    min-height: 36px;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-small);
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
  }
  .input:hover {
    border-color: var(--_muted);
  }
  .input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 0;
    border-color: var(--_focus);
  }
  .input[aria-invalid='true'],
  .input[aria-invalid='true']:focus-visible {
    border-color: var(--_danger);
    outline-color: var(--_danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
`
