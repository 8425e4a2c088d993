/** Styles of `<p2p-sessions>` beyond the shared ones. */
import { css } from 'lit'

export const sessionsStyles = css`
  .sessions {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .session {
    padding: 10px 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-small);
    background: var(--_bg);
  }
  .session.joined {
    border-color: var(--_success);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 40px;
  }
  .session-name {
    display: flex;
    align-items: center;
    gap: 6px;
    min-width: 0;
    font-weight: 600;
  }
  .session-name span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .session-name svg {
    flex: none;
    width: 14px;
    height: 14px;
    color: var(--_muted);
  }
  .meta {
    overflow: hidden;
    color: var(--_muted);
    font-size: 0.93em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .session-error {
    margin: 8px 0 0;
    color: var(--_danger);
    font-size: 0.93em;
  }
  .password-form {
    margin: 10px 0 2px;
    padding-top: 10px;
    border-top: 1px solid var(--_border);
  }
  .password-form .field {
    margin-bottom: 10px;
  }
  .empty {
    margin: 4px 0 2px;
    padding: 16px 12px;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius-small);
    color: var(--_muted);
    font-size: 0.93em;
    text-align: center;
  }
`
