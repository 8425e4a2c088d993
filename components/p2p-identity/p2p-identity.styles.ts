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
  .line {
    color: var(--_muted);
    font-size: 0.93em;
  }
  /* Without a grant: the button moves under the text when the card is narrow. */
  .base.prompt {
    flex-wrap: wrap;
  }
  .base.prompt .who {
    flex: 1 1 150px;
  }
  .base.prompt .button {
    flex: 1 0 auto;
  }
  .base .skeleton {
    flex: 1;
    padding: 0;
  }
`
