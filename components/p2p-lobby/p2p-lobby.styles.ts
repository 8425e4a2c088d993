/** Styles of `<p2p-lobby>` beyond the shared ones. */
import { css } from 'lit'

export const lobbyStyles = css`
  .people {
    display: grid;
    gap: 2px;
    margin: -6px -8px 0;
    padding: 0;
    list-style: none;
  }
  .person {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 48px;
    padding: 6px 8px;
    border-radius: var(--_radius-small);
  }
  .person:hover {
    background: var(--_subtle);
  }
  .name-line {
    display: flex;
    align-items: baseline;
    gap: 8px;
    min-width: 0;
  }
  .tag {
    flex: none;
    padding: 0 6px;
    border-radius: 4px;
    background: var(--_accent-soft);
    color: var(--_text);
    font-size: 0.79em;
    font-weight: 600;
    line-height: 1.6;
  }
  .peer-status {
    overflow: hidden;
    min-height: 1.45em;
    color: var(--_muted);
    font-size: 0.93em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .empty {
    display: block;
    margin: 6px 0 2px;
    padding: 12px;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius-small);
    color: var(--_muted);
    font-size: 0.93em;
    text-align: center;
  }
  .footer {
    margin-top: 12px;
  }
  .footer:not(.has-actions) {
    display: none;
  }
`
