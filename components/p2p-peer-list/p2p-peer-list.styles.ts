/** Styles of `<p2p-peer-list>` beyond the shared ones. */
import { css } from 'lit'

export const peerListStyles = css`
  /* No background of its own: text takes the page's colour, whatever its scheme. */
  :host {
    display: inline-block;
    vertical-align: middle;
    color: inherit;
  }
  .base {
    display: inline-flex;
    align-items: center;
    min-height: calc(var(--p2p-avatar-size, 36px) + 4px);
  }
  .empty {
    font-size: 0.93em;
  }
`
