/**
 * GET /docs: the API reference, rendered in the browser by Swagger UI from GET /openapi.json. The
 * renderer's files are static assets of this Worker (copied from `swagger-ui-dist` by the build into
 * `/docs/…`), so the page works offline and behind firewalls, and its Content-Security-Policy allows
 * nothing from other origins. The page is not part of the API, so it is not in the OpenAPI document.
 */
import { createRouter } from "../router";

export const docs = createRouter();

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Sluice API reference</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="stylesheet" href="/docs/docs.css" />
  </head>
  <body>
    <header class="sluice-docs-bar">
      <a href="/">Sluice</a> <span>API reference</span>
      <a class="sluice-docs-raw" href="/openapi.json">openapi.json</a>
    </header>
    <div id="swagger-ui"><noscript>The reference needs JavaScript; the document itself is at /openapi.json.</noscript></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/** Scripts and styles from this origin only; Swagger UI sets inline styles and uses data: icons. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

docs.get("/docs", (c) => c.html(PAGE, 200, { "Content-Security-Policy": CSP, "Cache-Control": "no-cache" }));
