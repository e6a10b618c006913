import { describe, expect, it } from 'vitest';
import { defaultHttp, defaultLimits } from '../src/config.ts';
import { createApp } from '../src/http/app.ts';
import { setupTestApp } from './helpers.ts';

const app = await setupTestApp();
const tenant = await app.tenant();
const LEAKS = /\n\s+at |Failed query|select |postgres|pglite|drizzle/i;

/** POSTs a raw body as a client would; the body may be anything. */
async function post(body: BodyInit, { key = tenant.adminKey as string | null, headers = {} as Record<string, string>, yoga = app.yoga } = {}) {
  const response = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers },
    body,
    // A stream body needs half-duplex.
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  expect(text).not.toMatch(LEAKS);
  return { status: response.status, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

const query = (text: string, variables?: Record<string, unknown>) => post(JSON.stringify({ query: text, variables }));

/** One error, with this code, a message naming the limit, and the request id; nothing executed. */
function expectRefused(res: Awaited<ReturnType<typeof post>>, code: string, limit: RegExp) {
  expect(res.status).not.toBe(500);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  const [error] = res.body.errors!;
  expect(error!.extensions).toMatchObject({ code, requestId: expect.any(String) });
  expect(error!.message).toMatch(limit);
}

/** A query whose deepest path has exactly `fields` fields: model > workspace > models > nodes > workspace > … > id. */
const chain = (fields: number) => {
  const cycle = ['workspace', 'models(first: 1)', 'nodes'];
  const path = ['model(id: "model_01M8HTMBHMM4B4QMSFB4VCVYQW")', ...Array.from({ length: fields - 2 }, (_, i) => cycle[i % 3]!), 'id'];
  return `query Deep { ${path.reduceRight((inner, field) => `${field} { ${inner} }`)} }`;
};

describe('operation limits', () => {
  it('depth: 12 levels pass, 13 are refused naming the limit', async () => {
    expect((await query(chain(12))).body.errors).toBeUndefined();
    expectRefused(await query(chain(13)), 'MAX_DEPTH_EXCEEDED', /depth limit of 12/i);
  });

  it('aliases: 30 pass, 31 are refused naming the limit', async () => {
    const aliases = (n: number) => `query A { ${Array.from({ length: n }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`;
    expect((await query(aliases(30))).body.errors).toBeUndefined();
    expectRefused(await query(aliases(31)), 'MAX_ALIASES_EXCEEDED', /aliases limit of 30/i);
  });

  it('directives: 50 pass, 51 are refused naming the limit', async () => {
    const directives = (n: number) => `query D { viewer { ${'role @include(if: true) '.repeat(n)} } }`;
    expect((await query(directives(50))).body.errors).toBeUndefined();
    expectRefused(await query(directives(51)), 'MAX_DIRECTIVES_EXCEEDED', /directives limit of 50/i);
  });

  it('tokens: a document over 5,000 tokens is refused naming the limit', async () => {
    const many = `query T { viewer { ${'role '.repeat(5_000)} } }`;
    expectRefused(await query(many), 'MAX_TOKENS_EXCEEDED', /token limit of 5000/i);
  });

  it('objects: page sizes multiplied down nested connections, variables included, at most 50,000', async () => {
    const NESTED = /* GraphQL */ `
      query Nested($a: Int, $b: Int, $c: Int) {
        workspaces(first: $a) { nodes { models(first: $b) { nodes { workspace { models(first: $c) { nodes { id } } } } } } }
      }
    `;
    // 100 + 100·100 + 100·100·4 = 50,100 objects: over; with 3 at the last level, 40,100: within.
    const over = await query(NESTED, { a: 100, b: 100, c: 4 });
    expectRefused(over, 'OBJECT_LIMIT_EXCEEDED', /requests up to 50100 objects; the limit is 50000/);
    expect(over.body.errors![0]!.extensions).toMatchObject({ limit: 50_000, requested: 50_100 });
    expect((await query(NESTED, { a: 100, b: 100, c: 3 })).body.errors).toBeUndefined();
    // No size given counts as 50: 50 + 50·50 + 50·50·50 = 127,550.
    expectRefused(await query(NESTED), 'OBJECT_LIMIT_EXCEEDED', /127550 objects/);
    // nodes(ids) counts its ids, and fragments count too.
    const viaFragment = /* GraphQL */ `
      query F($ids: [ID!]!) { nodes(ids: $ids) { ...W } }
      fragment W on Workspace { models(first: 100) { nodes { workspace { models(first: 100) { nodes { id } } } } } }
    `;
    const ids = Array.from({ length: 10 }, () => tenant.workspaceId);
    expectRefused(await query(viaFragment, { ids }), 'OBJECT_LIMIT_EXCEEDED', /101010 objects/);
  });

  it('objects: a document of literal page sizes is counted the same on every request', async () => {
    // 100 + 100·100 + 100·100·5 = 60,100 objects, whichever request asks.
    const literal = `query L { workspaces(first: 100) { nodes { models(first: 100) { nodes { workspace { models(first: 5) { nodes { id } } } } } } } }`;
    for (let i = 0; i < 3; i++) expectRefused(await query(literal), 'OBJECT_LIMIT_EXCEEDED', /requests up to 60100 objects/);
    const within = `query W { workspaces(first: 100) { nodes { models(first: 100) { nodes { workspace { models(first: 3) { nodes { id } } } } } } } }`;
    for (let i = 0; i < 3; i++) expect((await query(within)).body.errors).toBeUndefined();
  });

  it('page sizes are checked before the objects limit: the page-size error comes first', async () => {
    const res = await query(`query P { workspaces(first: 1000) { nodes { models(first: 100) { nodes { id } } } } }`);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.body.errors![0]!.message).toMatch(/at most 100/);
  });

  it('body: 1 MiB passes the body check, a byte more is HTTP 413, with or without Content-Length', async () => {
    const padded = (size: number) => {
      const base = JSON.stringify({ query: '{ viewer { role } }', variables: { pad: '' } });
      return base.replace('"pad":""', `"pad":"${'x'.repeat(size - base.length)}"`);
    };
    const atLimit = await post(padded(defaultLimits.bodyBytes));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.data).toEqual({ viewer: { role: 'ADMIN' } });
    const over = await post(padded(defaultLimits.bodyBytes + 1));
    expect(over.status).toBe(413);
    expectRefused(over, 'PAYLOAD_TOO_LARGE', /larger than the limit of 1048576 bytes/);
    // A streamed body has no Content-Length: it is counted as it arrives.
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * defaultLimits.bodyBytes) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await post(stream);
    expect(streamed.status).toBe(413);
  });

  it('batching: an array of operations is refused', async () => {
    const res = await post(JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]));
    expect(res.status).toBe(400);
    expectRefused(res, 'BAD_REQUEST', /batching is not supported/i);
  });

  it('page size: over 100 is refused with BAD_USER_INPUT, never clamped', async () => {
    const res = await query(`query P($n: Int) { workspaces(first: $n) { nodes { id } } }`, { n: 101 });
    expect(res.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('field suggestions are never shown', async () => {
    const res = await query(`query S { viewer { rol } }`);
    expect(res.body.errors![0]!.message).not.toMatch(/did you mean/i);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('limits come from configuration', async () => {
    const strict = createApp({ db: app.db, limits: { ...defaultLimits, aliases: 1, objects: 10 } });
    expectRefused(await post(JSON.stringify({ query: '{ a: viewer { role } b: viewer { role } }' }), { yoga: strict }), 'MAX_ALIASES_EXCEEDED', /limit of 1/);
    expectRefused(await post(JSON.stringify({ query: '{ workspaces(first: 11) { nodes { id } } }' }), { yoga: strict }), 'OBJECT_LIMIT_EXCEEDED', /limit is 10\b/);
  });
});

describe('HTTP protections', () => {
  it('CSRF: a request a browser could send without preflight is refused; one with Authorization (which needs a preflight) is not', async () => {
    const res = await post(JSON.stringify({ query: '{ viewer { role } }' }), { key: null, headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(403);
    expect(res.body.errors![0]!.message).toMatch(/CSRF/);
    const authorized = await post(JSON.stringify({ query: '{ viewer { role } }' }), { headers: { 'content-type': 'text/plain' } });
    expect(authorized.status).not.toBe(403);
    expect(JSON.stringify(authorized.body)).not.toMatch(/CSRF/);
  });

  it('CORS: only configured origins are allowed', async () => {
    const yoga = createApp({ db: app.db, http: { ...defaultHttp, corsOrigins: ['https://app.example.com'] } });
    const preflight = (origin: string) =>
      yoga.fetch('http://test/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('https://app.example.com')).headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
  });

  it('introspection and GraphiQL can be turned off for production', async () => {
    const yoga = createApp({ db: app.db, http: { ...defaultHttp, introspection: false, graphiql: false } });
    const res = await post(JSON.stringify({ query: '{ __schema { queryType { name } } }' }), { yoga });
    expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await yoga.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    // Still a working API.
    expect((await post(JSON.stringify({ query: '{ viewer { role } }' }), { yoga })).body.data).toEqual({ viewer: { role: 'ADMIN' } });
  });
});

describe('health and readiness', () => {
  it('/health answers while the process lives; /ready checks the database and migrations', async () => {
    expect((await app.yoga.fetch('http://test/health')).status).toBe(200);
    expect((await app.yoga.fetch('http://test/ready')).status).toBe(200);
    const draining = createApp({ db: app.db, accepting: () => false });
    expect((await draining.fetch('http://test/ready')).status).toBe(503);
  });
});
