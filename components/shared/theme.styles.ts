/**
 * The design tokens every `<p2p-*>` element shares, light and dark.
 *
 * Pages theme the elements through the public `--p2p-*` custom properties
 * (set them on the element or on any ancestor, they inherit); the private
 * `--_*` properties below resolve them with defaults. The colour scheme
 * follows `prefers-color-scheme` unless the host has `theme="light"` or
 * `theme="dark"`.
 */
import { css } from 'lit'

const light = css`
  --_bg: var(--p2p-background, #ffffff);
  --_subtle: var(--p2p-subtle-background, #f6f4f1);
  --_border: var(--p2p-border-color, #e4dfd8);
  --_text: var(--p2p-text-color, #1c1a17);
  --_muted: var(--p2p-muted-color, #625b52);
  --_accent: var(--p2p-accent, #9a4d08);
  --_on-accent: var(--p2p-on-accent, #ffffff);
  --_accent-soft: var(--p2p-accent-soft, #fbefd9);
  --_success: var(--p2p-success-color, #1f7a4d);
  --_warning: var(--p2p-warning-color, #a35a00);
  --_danger: var(--p2p-danger-color, #b3261e);
  --_shadow: 0 1px 2px rgb(28 26 23 / 0.06), 0 4px 16px rgb(28 26 23 / 0.05);
  color-scheme: light;
`

const dark = css`
  --_bg: var(--p2p-background, #1c1b19);
  --_subtle: var(--p2p-subtle-background, #252320);
  --_border: var(--p2p-border-color, #3a3631);
  --_text: var(--p2p-text-color, #f2eee8);
  --_muted: var(--p2p-muted-color, #b0a89d);
  --_accent: var(--p2p-accent, #f2b34a);
  --_on-accent: var(--p2p-on-accent, #1c1b19);
  --_accent-soft: var(--p2p-accent-soft, #3a2e1a);
  --_success: var(--p2p-success-color, #5fcf94);
  --_warning: var(--p2p-warning-color, #f2b34a);
  --_danger: var(--p2p-danger-color, #ff8a80);
  --_shadow: 0 1px 2px rgb(0 0 0 / 0.3), 0 4px 16px rgb(0 0 0 / 0.25);
  color-scheme: dark;
`

/** Host defaults, tokens, focus ring and helpers; first in every element's `styles`. */
export const themeStyles = css`
  :host {
    ${light}
    --_radius: var(--p2p-radius, 12px);
    --_radius-small: calc(var(--_radius) / 1.5);
    --_gap: var(--p2p-spacing, 12px);
    --_font: var(--p2p-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_focus: var(--p2p-focus-color, var(--_accent));
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--p2p-font-size, 14px);
    line-height: 1.45;
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .muted {
    color: var(--_muted);
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
    }
  }
`

/** The framed panel most elements draw as their `base` part. */
export const cardStyles = css`
  .card {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    overflow: hidden;
  }
  .card-header {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    min-height: 64px;
    padding: 12px 16px;
    border-bottom: 1px solid var(--_border);
  }
  .card-title {
    flex: 1;
    min-width: 0;
    margin: 0;
    font-size: 1.07em;
    font-weight: 600;
    letter-spacing: -0.01em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .card-subtitle {
    display: block;
    font-size: 0.86em;
    font-weight: 400;
    color: var(--_muted);
    letter-spacing: 0;
  }
  .card-body {
    position: relative;
    padding: 12px 16px 16px;
  }
  /* A name and a line under it, beside an avatar. */
  .who {
    display: grid;
    flex: 1;
    min-width: 0;
  }
  .name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .message {
    margin: 0 0 14px;
    color: var(--_muted);
    max-width: 48ch;
  }
  .message strong {
    color: var(--_text);
    font-weight: 600;
  }
`
