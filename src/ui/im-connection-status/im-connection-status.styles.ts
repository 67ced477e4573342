import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .banner {
    padding: 6px 12px;
    font-size: 0.86em;
    color: var(--im-color-muted);
    background: var(--im-color-surface);
    border-bottom: 1px solid var(--im-color-border);
  }
  .banner.offline,
  .banner.unauthorized {
    color: var(--im-color-text);
    background: color-mix(in srgb, var(--im-color-danger) 14%, var(--im-color-bg));
  }
`;
