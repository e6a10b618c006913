import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Response } from 'fets';

/**
 * `GET /docs`: Swagger UI over /openapi.json, self-hosted. fets's own page
 * loads Swagger UI from public CDNs, which a network without internet access
 * never reaches; this one serves swagger-ui-dist's files from this server and
 * loads nothing from another host.
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Workspace models API — REST reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  tryItOutEnabled: true,
  defaultModelsExpandDepth: 3,
  validatorUrl: null,
});
`;

interface Routable {
  route(route: { method: 'GET'; path: string; internal: true; handler: (request: Request) => Response | Promise<Response> }): unknown;
}

export function serveDocs(router: Routable): void {
  // Resolved at run time (the bundle keeps swagger-ui-dist outside), from wherever node_modules is.
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  const asset = (name: string) => {
    let bytes = cache.get(name);
    if (!bytes) cache.set(name, (bytes = fs.readFileSync(path.join(dist, name))));
    return bytes;
  };
  const html = (body: string, type: string) =>
    new Response(body, { status: 200, headers: { 'content-type': type, 'cache-control': 'no-cache' } });
  router.route({ method: 'GET', path: '/docs', internal: true, handler: () => html(PAGE, 'text/html; charset=utf-8') });
  router.route({ method: 'GET', path: '/docs/init.js', internal: true, handler: () => html(INIT, 'text/javascript; charset=utf-8') });
  for (const [name, type] of Object.entries(ASSETS)) {
    router.route({
      method: 'GET',
      path: `/docs/${name}`,
      internal: true,
      handler: () => new Response(asset(name) as unknown as BodyInit, { status: 200, headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } }),
    });
  }
}
