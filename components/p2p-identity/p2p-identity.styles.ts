/** Styles of `<p2p-identity>` beyond the shared ones. */
import { css } from 'lit'

export const identityStyles = css`
  :host {
    display: inline-block;
    max-width: 100%;
    vertical-align: middle;
  }
  .base {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 60px;
    padding: 10px 12px 10px 14px;
  }
  .url {
    overflow: hidden;
    color: var(--_muted);
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 0.86em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .base.prompt {
    flex-wrap: wrap;
  }
  .base.prompt .message {
    flex: 1 1 180px;
    margin: 0;
  }
  .base .skeleton {
    flex: 1;
    padding: 0;
  }
`
