import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';

/**
 * GraphiQL, self-hosted: the page at the GraphQL endpoint (a browser's GET
 * asking for HTML) and its files under /graphiql/<content hash>/, all from
 * this server, so it works on a network without internet access. Yoga's own
 * page loads GraphiQL from a public CDN; @graphql-yoga/render-graphiql holds
 * the same build (script, styles with their fonts inlined, Monaco's workers,
 * favicon) as strings, which are served here as files a browser caches.
 */

/** Where GraphiQL's files are served; the front door names them all one route. */
export const GRAPHIQL_ASSETS = '/graphiql/';

/** What a newcomer sees first: comments saying where the key goes, and a query that shows real data. */
export const DEFAULT_QUERY = /* GraphQL */ `# Workspace models API
#
# 1. In the Headers tab below, put your API key
#    in place of <api key>:
#      {"Authorization": "Bearer key_01…"}
#    On an empty database, \`npm start\` prints a
#    demo admin key.
# 2. Press ▶ (or Ctrl-Enter) to run this query.
#
# The top icon on the left opens the docs: every
# type and field, and what it means.

query FirstLook {
  viewer {
    accountId
    role
  }
  workspaces(first: 5) {
    totalCount
    nodes {
      id
      name
      models(
        first: 10
        orderBy: { field: NAME, direction: ASC }
      ) {
        totalCount
        nodes {
          id
          metadata {
            name
            externalId
          }
          spec {
            status
            inputPricePerMillionTokens
            outputPricePerMillionTokens
            maxInputTokens
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
}
`;

/** The headers editor's first content: the line to complete with a key. */
export const DEFAULT_HEADERS = '{"Authorization": "Bearer <api key>"}';

const OPTIONS: GraphiQLOptions = {
  title: 'Workspace models API',
  defaultQuery: DEFAULT_QUERY,
  headers: DEFAULT_HEADERS,
  // The headers editor starts open: that is where the key goes.
  defaultEditorToolsVisibility: 'headers',
};

/**
 * The page loads only this server's files: the browser refuses anything
 * else, so a future GraphiQL that reaches for a CDN fails loudly instead of
 * hanging offline. Inline styles and data: fonts and images are GraphiQL's own.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Monaco's web workers, by the label Monaco asks for. */
const WORKERS = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };

/**
 * Runs before GraphiQL's script (Monaco reads its environment as it loads),
 * and renders GraphiQL once the document is parsed, with the options the
 * page carries as JSON.
 */
const INIT = `(function () {
  var settings = JSON.parse(document.getElementById('graphiql-settings').textContent);
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (moduleId, label) { return settings.workers[label]; },
  };
  document.addEventListener('DOMContentLoaded', function () {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), settings.options);
  });
})();
`;

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

interface Assets {
  /** The folder of this build's files, e.g. /graphiql/3f2a…/ */
  base: string;
  files: Map<string, Asset>;
  page: string;
}

const gzipped = promisify(gzip);

async function build(): Promise<Assets> {
  // Loaded at the first visit: 9 MB of strings no API request needs.
  const graphiql = await import('@graphql-yoga/render-graphiql/graphiql');
  const favicon = /^data:[^;,]+;base64,(.*)$/s.exec(graphiql.favicon);
  if (!favicon) throw new Error('@graphql-yoga/render-graphiql: the favicon is not a base64 data URL');
  const sources: [string, string, Buffer][] = [
    ['graphiql.js', 'text/javascript; charset=utf-8', Buffer.from(graphiql.js)],
    ['graphiql.css', 'text/css; charset=utf-8', Buffer.from(graphiql.css)],
    ['init.js', 'text/javascript; charset=utf-8', Buffer.from(INIT)],
    [WORKERS.editorWorkerService, 'text/javascript; charset=utf-8', Buffer.from(graphiql.editorWorkerService)],
    [WORKERS.json, 'text/javascript; charset=utf-8', Buffer.from(graphiql.jsonWorker)],
    [WORKERS.graphql, 'text/javascript; charset=utf-8', Buffer.from(graphiql.graphqlWorker)],
    ['favicon.ico', 'image/x-icon', Buffer.from(favicon[1]!, 'base64')],
  ];
  // A new build gets new addresses, so browsers may keep each file for good.
  const hash = createHash('sha256');
  for (const [name, , body] of sources) hash.update(name).update(body);
  const base = `${GRAPHIQL_ASSETS}${hash.digest('hex').slice(0, 16)}/`;
  const files = new Map<string, Asset>();
  await Promise.all(
    sources.map(async ([name, type, body]) => files.set(name, { type, body, gzipped: await gzipped(body) })),
  );
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, name]) => [label, base + name]));
  return { base, files, page: page(base, { options: OPTIONS, workers }) };
}

function page(base: string, settings: { options: GraphiQLOptions; workers: Record<string, string> }): string {
  // JSON inside <script>: "<" escaped, so no value can close the element.
  const json = JSON.stringify(settings).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${OPTIONS.title}</title>
  <link rel="icon" href="${base}favicon.ico">
  <link rel="stylesheet" href="${base}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
  <noscript>GraphiQL needs JavaScript.</noscript>
  <div id="root"></div>
  <script type="application/json" id="graphiql-settings">${json}</script>
  <script src="${base}init.js"></script>
  <script src="${base}graphiql.js"></script>
</body>
</html>
`;
}

/**
 * Serves the GraphiQL page at `endpoint` and its files. Built once, at the
 * first request for either; a failed build is tried again at the next.
 */
export function useSelfHostedGraphiQL(endpoint: string): Plugin {
  let built: Promise<Assets> | null = null;
  const assets = () =>
    (built ??= build().catch((error: unknown) => {
      built = null;
      throw error;
    }));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const { pathname } = url;
      if (pathname === endpoint && shouldRenderGraphiQL(request)) {
        return assets().then(({ page }) =>
          endResponse(
            new fetchAPI.Response(page, {
              status: 200,
              headers: {
                'content-type': 'text/html; charset=utf-8',
                'cache-control': 'no-cache',
                'content-security-policy': CONTENT_SECURITY_POLICY,
              },
            }),
          ),
        );
      }
      if (!pathname.startsWith(GRAPHIQL_ASSETS)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      return assets().then(({ base, files }) => {
        const file = pathname.startsWith(base) ? files.get(pathname.slice(base.length)) : undefined;
        if (!file) return endResponse(new fetchAPI.Response(null, { status: 404 }));
        const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
        const body = gzip ? file.gzipped : file.body;
        endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : (body as unknown as BodyInit), {
            status: 200,
            headers: {
              'content-type': file.type,
              'content-length': String(body.length),
              'cache-control': 'public, max-age=31536000, immutable',
              vary: 'accept-encoding',
              ...(gzip ? { 'content-encoding': 'gzip' } : {}),
            },
          }),
        );
      });
    },
  };
}
