/**
 * GraphiQL over HTTP, through the front door on a real socket: the page and
 * every file it loads come from this server (with a request id, a log line
 * and one metrics route for all the files), browsers may cache the files for
 * good, GRAPHIQL=false serves none of it, and the default query works for any
 * key. test/graphiql.browser.test.ts drives the same page in Chromium.
 */
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { parse, validate } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultHttp } from '../src/config.ts';
import { DEFAULT_HEADERS, DEFAULT_QUERY } from '../src/graphql/graphiql.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { createApp } from '../src/http/app.ts';
import { setupTestApp } from './helpers.ts';
import { serve } from './sockets.ts';

const app = await setupTestApp();
const tenant = await app.tenant('GraphiQL');

const lines: Record<string, unknown>[] = [];
const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
const base = await serve(createApp({ db: app.db, log }).listener);
const off = await serve(createApp({ db: app.db, http: { ...defaultHttp, graphiql: false } }).listener);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request as a browser sends it, the body as bytes (no decompression). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.end();
  });
}

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The page, and the files it names: its own links and scripts, and Monaco's workers from its settings. */
async function page() {
  const response = await get(`${base}/graphql`, HTML);
  const html = response.body.toString('utf8');
  const links = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
  const settings = JSON.parse(/<script type="application\/json" id="graphiql-settings">(.*?)<\/script>/s.exec(html)![1]!) as {
    options: Record<string, unknown>;
    workers: Record<string, string>;
  };
  return { response, html, links, settings, files: [...links, ...Object.values(settings.workers)] };
}

describe('the page', () => {
  it('is served to a browser at /graphql, and names only files of this server', async () => {
    const { response, links, settings, files } = await page();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The browser itself refuses anything from elsewhere.
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    for (const directive of ['script-src', 'connect-src', 'worker-src']) expect(policy).toContain(`${directive} 'self';`);
    expect(links.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((file) => !/^\/graphiql\/[0-9a-f]{16}\/[a-z.]+$/.test(file))).toEqual([]);
    expect(settings.options).toMatchObject({ title: 'Workspace models API', defaultQuery: DEFAULT_QUERY, headers: DEFAULT_HEADERS });
    expect(DEFAULT_HEADERS).toBe('{"Authorization": "Bearer <api key>"}');
  });

  it('is not what an API client gets: GET /graphql without Accept: text/html runs GraphQL', async () => {
    const response = await get(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, { 'x-graphql-yoga-csrf': '1' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('its files', () => {
  it('are each served with its type, cacheable for good, gzipped when asked, with a request id and a log line', async () => {
    const { files } = await page();
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, ico: /^image\/x-icon$/ };
    for (const file of files) {
      const plain = await get(`${base}${file}`, { 'accept-encoding': 'identity' });
      expect(plain.status, file).toBe(200);
      expect(plain.headers['content-type'], file).toMatch(types[file.split('.').pop()!]!);
      expect(plain.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding'], file).toBeUndefined();
      expect(plain.body.length, file).toBeGreaterThan(100);
      expect(Number(plain.headers['content-length'])).toBe(plain.body.length);

      const zipped = await get(`${base}${file}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.headers['content-encoding'], file).toBe('gzip');
      expect(zipped.headers.vary, file).toMatch(/accept-encoding/i);
      expect(gunzipSync(zipped.body).equals(plain.body), file).toBe(true);

      const id = zipped.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.find((line) => line.requestId === id)).toMatchObject({ msg: 'request', method: 'GET', path: file, status: 200 });
    }
    // The script is GraphiQL itself, and it reaches for no other host.
    const script = await get(`${base}${files.find((file) => file.endsWith('/graphiql.js'))}`);
    expect(script.body.toString('utf8')).toContain('renderYogaGraphiQL');
  });

  it('answer HEAD with the length and no body; 404 for an unknown file or another build; 405 for other methods', async () => {
    const { files } = await page();
    const css = files.find((file) => file.endsWith('.css'))!;
    const head = await get(`${base}${css}`, { 'accept-encoding': 'identity' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(100_000);
    expect(head.body.length).toBe(0);

    const folder = css.slice(0, css.lastIndexOf('/') + 1);
    expect((await get(`${base}${folder}no-such-file.js`)).status).toBe(404);
    expect((await get(`${base}/graphiql/0000000000000000/graphiql.css`)).status).toBe(404);
    expect((await get(`${base}/graphiql/`)).status).toBe(404);
    const post = await get(`${base}${css}`, {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('count as one metrics route, /graphiql/*, never one series per file', async () => {
    const { files } = await page();
    for (const file of files) await get(`${base}${file}`);
    await get(`${base}/graphiql/0000000000000000/graphiql.css`);
    const metrics = (await get(`${base}/metrics`)).body.toString('utf8');
    const routes = new Set([...metrics.matchAll(/^http_requests_total\{[^}]*route="([^"]*)"/gm)].map((match) => match[1]));
    expect(routes).toContain('/graphiql/*');
    expect([...routes].filter((route) => route!.includes('graphiql') && route !== '/graphiql/*')).toEqual([]);
    expect(metrics).toMatch(/^http_requests_total\{route="\/graphiql\/\*",method="GET",status="404"\} \d+$/m);
    expect(metrics).not.toContain(files[0]!.split('/')[2]!);
  });
});

describe('another path, in a browser', () => {
  it('is a plain 404 page that points at what is served and loads nothing', async () => {
    for (const [url, graphiql] of [[base, true], [off, false]] as const) {
      const response = await get(`${url}/`, HTML);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      const html = response.body.toString('utf8');
      expect(html).toContain('<a href="/graphql">');
      expect(html).toContain('<a href="/docs">');
      expect(/GraphiQL/.test(html)).toBe(graphiql);
      // Links to this server only; nothing the browser would fetch by itself.
      expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]).filter((href) => !href!.startsWith('/'))).toEqual([]);
      expect(html).not.toMatch(/<(script|link|img|style)\b|\bsrc=/i);
    }
  });
});

describe('GRAPHIQL=false', () => {
  it('serves neither the page nor its files; the API still answers', async () => {
    const { files } = await page();
    const response = await get(`${off}/graphql`, HTML);
    // A GET like any other, refused for want of the CSRF header (a browser sends none).
    expect(response.status).toBe(403);
    expect(response.body.toString('utf8')).not.toMatch(/graphiql/i);
    for (const file of files) expect((await get(`${off}${file}`)).status, file).toBe(404);
    const answer = await get(`${off}/graphql?query=${encodeURIComponent('{ __typename }')}`, { 'x-graphql-yoga-csrf': '1' });
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the default query', () => {
  it('is valid, and shows any key its workspaces with a page of their models', async () => {
    expect(validate(schema, parse(DEFAULT_QUERY))).toEqual([]);
    for (const key of [tenant.adminKey, tenant.readerKey]) {
      const { status, body } = await app.gql(DEFAULT_QUERY, { key });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.viewer.accountId).toBe(tenant.accountId);
      const [workspace] = body.data.workspaces.nodes;
      expect(workspace.id).toBe(tenant.workspaceId);
      expect(workspace.models.nodes).toHaveLength(Math.min(10, workspace.models.totalCount));
      expect(workspace.models.nodes[0].metadata.externalId).toMatch(/^[a-z0-9-]+\/\S+$/);
    }
  });

  it('without a key answers 401 with the header it needs, which the Headers tab shows', async () => {
    const { status, body } = await app.gql(DEFAULT_QUERY, { key: '<api key>' });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toContain('Authorization: Bearer <api key or access token>');
  });
});
