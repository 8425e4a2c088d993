/**
 * The page the element screenshots are taken on, like a site's: its own
 * backdrop and font, in either colour scheme, and a `#stage` to fill.
 */
export const SITE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Porchlight elements</title>
    <style>
      :root {
        color-scheme: light dark;
        --p2p-font-family: 'Liberation Sans', Arial, sans-serif;
        font: 14px/1.45 'Liberation Sans', Arial, sans-serif;
        background: #f4f2ee;
        color: #1c1a17;
      }
      @media (prefers-color-scheme: dark) {
        :root { background: #121110; color: #f2eee8; }
      }
      body { margin: 0; }
      #stage { display: grid; gap: 16px; padding: 24px; box-sizing: content-box; }
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
      .column { display: grid; gap: 16px; }
      .bar {
        display: flex; align-items: center; justify-content: space-between; gap: 12px;
        padding: 10px 14px; border-radius: 12px; background: #ffffff;
        --p2p-background: #ffffff; font-weight: 600;
      }
      @media (prefers-color-scheme: dark) {
        .bar { background: #1c1b19; --p2p-background: #1c1b19; }
      }
    </style>
  </head>
  <body>
    <main id="stage"></main>
  </body>
</html>`
