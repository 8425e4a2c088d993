/** Styles of `<p2p-host>` beyond the shared ones. */
import { css } from 'lit'

export const hostStyles = css`
  form {
    margin: 4px 0 0;
  }
  .row-fields {
    display: grid;
    grid-template-columns: minmax(0, 7rem) minmax(0, 1fr);
    gap: 12px;
  }
  .form-error {
    margin: 0 0 12px;
    color: var(--_danger);
    font-size: 0.93em;
  }
  .live {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 14px;
  }
  .guests {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 44px;
  }
  .guests .count {
    color: var(--_muted);
    font-size: 0.93em;
  }
  .link {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 40px;
    padding: 2px 4px 2px 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-small);
    background: var(--_subtle);
  }
  .link-text {
    flex: 1;
    overflow: hidden;
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 0.86em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`
