/**
 * Prometheus metrics (src/http/metrics.ts), read back from `GET /metrics` as
 * a scraper reads them: requests down every path of the front door — a
 * compiled query answered straight from node:http, the same query before it
 * compiled, a mutation through yoga, the REST routes, /openapi.json, an
 * unknown path — each counted once, by route template (never an id), method
 * and status, with its latency; errors by surface and code; the database's
 * statements and (PostgreSQL only) its pool; the process's default metrics.
 * Then the switches: `serveMetrics: false`, `metrics: false`, and the server
 * process with METRICS_PORT.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { Plugin } from 'graphql-yoga';
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.ts';
import { createAccount, createApiKey } from '../src/domain/auth.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import type { Context } from '../src/graphql/context.ts';
import { createApp, type App, type AppOptions } from '../src/http/app.ts';
import { createMetrics } from '../src/http/metrics.ts';
import { testTarget, unwrap } from './helpers.ts';
import { killAll, startServer } from './processes.ts';

const target = testTarget();
const onPostgres = target.kind === 'postgres';

/**
 * The server process with METRICS_PORT, started now so it comes up while the
 * in-process tests run (on embedded PGlite, migrating takes a while).
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const metricsPort = await freePort();
const serverProcess = startServer(onPostgres ? target.url : 'pglite://memory', { METRICS_PORT: String(metricsPort), LOG_LEVEL: 'silent' }).then(
  (server) => ({ server, error: null }),
  (error: unknown) => ({ server: null, error }),
);

const handle = await openDatabase(target);
const db = handle.db;

const account = unwrap(await createAccount(db, { name: 'Metrics' }));
const reader = unwrap(await createApiKey(db, { accountId: account.accountId, role: 'READER' }));
const workspaceId = unwrap(await createWorkspace(db, { accountId: account.accountId, profileId: account.profileId, name: 'Metrics workspace' })).workspace.id;
const adminKey = account.apiKey;

const servers: Server[] = [];
async function serve(app: App): Promise<string> {
  const server = createServer(app.listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  await (await serverProcess).server?.stop();
  killAll();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await handle.close();
});

/** Requests yoga itself saw, per app: the fast path answers without it. */
const yogaSaw = new Map<App, number>();
function app(options: Omit<AppOptions, 'db'> = {}): App {
  let made: App;
  const counting: Plugin<Context> = { onRequest: () => void yogaSaw.set(made, (yogaSaw.get(made) ?? 0) + 1) };
  made = createApp({ db, databaseStats: handle.stats, compileQueries: { after: 2 }, plugins: [counting], ...options });
  return made;
}

const main = app();
const base = await serve(main);

// ---------------------------------------------------------------------------
// Reading the exposition text.

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (version 0.0.4): `name{label="value",…} number`. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  readonly samples: Sample[];
  constructor(readonly text: string) {
    this.samples = parseExposition(text);
  }
  /** The samples of `name` whose labels include `labels`. */
  series(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }
  /** The value of the one series with exactly these labels; 0 when it does not exist (yet). */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.series(name, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
    if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} names ${found.length} series`);
    return found[0]?.value ?? 0;
  }
}

async function scrape(url = base): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return new Scrape(await response.text());
}

/** How much each of `series` changed while `action` ran. */
async function deltas<T>(series: [string, Record<string, string>][], action: () => Promise<T>): Promise<{ result: T; changes: number[]; after: Scrape }> {
  const before = await scrape();
  const result = await action();
  const after = await scrape();
  return { result, changes: series.map(([name, labels]) => after.value(name, labels) - before.value(name, labels)), after };
}

const gql = (query: string, { key = adminKey as string | null, variables = {} as Record<string, unknown>, url = base } = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
const rest = (path: string, { method = 'GET', key = adminKey as string | null, body }: { method?: string; key?: string | null; body?: string } = {}) =>
  fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });

const requests = (route: string, method: string, status: number): [string, Record<string, string>] => ['http_requests_total', { route, method, status: String(status) }];
const latency = (route: string, method: string): [string, Record<string, string>] => ['http_request_duration_seconds_count', { route, method }];
const operations = (operation_name: string, operation_type: string, path: 'fast' | 'yoga'): [string, Record<string, string>] => [
  'graphql_operations_total',
  { operation_name, operation_type, path },
];
const errors = (surface: 'graphql' | 'rest', code: string): [string, Record<string, string>] => ['api_errors_total', { surface, code }];

const LIST = '/v1/workspaces/{workspaceId}/models';
const MODEL = '/v1/workspaces/{workspaceId}/models/{id}';
const STATUS = '/v1/workspaces/{workspaceId}/models/{id}/status';
const ENABLE = '/v1/workspaces/{workspaceId}/models/{id}:enable';

let modelId: string;
beforeAll(async () => {
  const page = await (await rest(`/v1/workspaces/${workspaceId}/models?limit=2`)).json();
  modelId = page.items[0].metadata.id;
});

// ---------------------------------------------------------------------------

describe('GET /metrics on the front door', () => {
  it('serves the text exposition, with a request id, uncached', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    for (const name of ['http_requests_total', 'graphql_operations_total', 'api_errors_total', 'db_statements_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    // A scrape is a request too.
    const { changes } = await deltas([requests('/metrics', 'GET', 200), latency('/metrics', 'GET')], async () => (await fetch(`${base}/metrics`)).text());
    expect(changes).toEqual([2, 2]);
  });
});

describe('GraphQL operations by path', () => {
  it('a query runs through yoga until it is compiled, then straight from node:http (path="fast")', async () => {
    const query = 'query MetricsViewer { viewer { role accountId } }';
    const series = [
      operations('MetricsViewer', 'query', 'yoga'),
      operations('MetricsViewer', 'query', 'fast'),
      requests('/graphql', 'POST', 200),
      latency('/graphql', 'POST'),
    ];
    const runs: { yoga: number; fast: number; yogaSaw: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const before = yogaSaw.get(main) ?? 0;
      const { result, changes } = await deltas(series, () => gql(query));
      expect(result.status).toBe(200);
      expect(await result.json()).toEqual({ data: { viewer: { role: 'ADMIN', accountId: account.accountId } } });
      // Whichever path answered, the request is counted once, with its latency.
      expect(changes.slice(2)).toEqual([1, 1]);
      runs.push({ yoga: changes[0]!, fast: changes[1]!, yogaSaw: (yogaSaw.get(main) ?? 0) - before });
    }
    // compileQueries { after: 2 }: two interpreted runs, the third compiles in yoga, then the fast path.
    expect(runs).toEqual([
      { yoga: 1, fast: 0, yogaSaw: 1 },
      { yoga: 1, fast: 0, yogaSaw: 1 },
      { yoga: 1, fast: 0, yogaSaw: 1 },
      { yoga: 0, fast: 1, yogaSaw: 0 },
      { yoga: 0, fast: 1, yogaSaw: 0 },
      { yoga: 0, fast: 1, yogaSaw: 0 },
    ]);
  });

  it('a mutation always runs through yoga (operation_type="mutation", path="yoga")', async () => {
    const mutation = `mutation MetricsSetStatus($id: ID!) { setModelStatus(input: { id: $id, status: MODEL_STATUS_ENABLED }) { model { id } userErrors { code } } }`;
    const { changes } = await deltas(
      [operations('MetricsSetStatus', 'mutation', 'yoga'), operations('MetricsSetStatus', 'mutation', 'fast'), requests('/graphql', 'POST', 200)],
      async () => {
        for (let i = 0; i < 4; i++) {
          const response = await gql(mutation, { variables: { id: modelId } });
          expect((await response.json()).data.setModelStatus).toEqual({ model: { id: modelId }, userErrors: [] });
        }
      },
    );
    expect(changes).toEqual([4, 0, 4]);
  });

  it('an operation without a name is "anonymous"', async () => {
    const { changes } = await deltas([operations('anonymous', 'query', 'yoga')], () => gql('{ viewer { profileId } }'));
    expect(changes).toEqual([1]);
  });
});

describe('REST and other routes, by template', () => {
  it('list, get, PUT …/status and POST …:enable: one request each, by route template, method and status, with latency', async () => {
    const series = [
      requests(LIST, 'GET', 200),
      latency(LIST, 'GET'),
      requests(MODEL, 'GET', 200),
      latency(MODEL, 'GET'),
      requests(STATUS, 'PUT', 200),
      latency(STATUS, 'PUT'),
      requests(ENABLE, 'POST', 200),
      latency(ENABLE, 'POST'),
    ];
    const { changes, after } = await deltas(series, async () => {
      expect((await rest(`/v1/workspaces/${workspaceId}/models?limit=3`)).status).toBe(200);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}`)).status).toBe(200);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}/status`, { method: 'PUT', body: '{"status":"MODEL_STATUS_ENABLED"}' })).status).toBe(200);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}:enable`, { method: 'POST', body: '{}' })).status).toBe(200);
    });
    expect(changes).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // The histogram's buckets and sum go with its count.
    const buckets = after.series('http_request_duration_seconds_bucket', { route: LIST, method: 'GET' });
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(after.value('http_request_duration_seconds_count', { route: LIST, method: 'GET' }));
    expect(after.value('http_request_duration_seconds_sum', { route: LIST, method: 'GET' })).toBeGreaterThan(0);
  });

  it('/openapi.json, an unknown path and an unknown /v1 path', async () => {
    const unknown = `/no/such/${workspaceId}/page`;
    const { changes, after } = await deltas(
      [requests('/openapi.json', 'GET', 200), latency('/openapi.json', 'GET'), requests('other', 'GET', 404), latency('other', 'GET'), requests('/v1/*', 'GET', 404)],
      async () => {
        expect((await rest('/openapi.json', { key: null })).status).toBe(200);
        expect((await rest(unknown, { key: null })).status).toBe(404);
        expect((await rest(`/v1/workspaces/${workspaceId}/widgets`)).status).toBe(404);
      },
    );
    expect(changes).toEqual([1, 1, 1, 1, 1]);
    expect(after.text).not.toContain('/no/such');
  });

  it('401, 404, 400, 405, 403 and 413 on REST: statuses by route template, errors by google.rpc code', async () => {
    const series = [
      requests(LIST, 'GET', 401),
      errors('rest', 'UNAUTHENTICATED'),
      requests(MODEL, 'GET', 404),
      errors('rest', 'NOT_FOUND'),
      requests(LIST, 'GET', 400),
      errors('rest', 'INVALID_ARGUMENT'),
      requests(MODEL, 'DELETE', 405),
      errors('rest', 'UNIMPLEMENTED'),
      requests(STATUS, 'PUT', 403),
      errors('rest', 'PERMISSION_DENIED'),
      requests(STATUS, 'PUT', 413),
      latency(LIST, 'GET'),
      latency(MODEL, 'GET'),
    ];
    const { changes } = await deltas(series, async () => {
      expect((await rest(`/v1/workspaces/${workspaceId}/models`, { key: null })).status).toBe(401);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/model_01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status).toBe(404);
      expect((await rest(`/v1/workspaces/${workspaceId}/models?limit=abc`)).status).toBe(400);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}`, { method: 'DELETE' })).status).toBe(405);
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}/status`, { method: 'PUT', key: reader.apiKey, body: '{"status":"MODEL_STATUS_DISABLED"}' })).status).toBe(403);
      const huge = JSON.stringify({ status: 'MODEL_STATUS_DISABLED', pad: 'x'.repeat(1_100_000) });
      expect((await rest(`/v1/workspaces/${workspaceId}/models/${modelId}/status`, { method: 'PUT', body: huge })).status).toBe(413);
    });
    // INVALID_ARGUMENT twice: the bad limit (400) and the body over the limit (413).
    expect(changes).toEqual([1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1]);
  });

  it('GraphQL errors by extensions.code: UNAUTHENTICATED, BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED', async () => {
    const page = `query MetricsPage($w: ID!) { workspace(id: $w) { models(first: 101) { totalCount } } }`;
    const { changes, result } = await deltas(
      [errors('graphql', 'UNAUTHENTICATED'), requests('/graphql', 'POST', 401), errors('graphql', 'BAD_USER_INPUT'), errors('graphql', 'GRAPHQL_VALIDATION_FAILED')],
      async () => {
        const anonymous = await gql('query MetricsAnonymous { viewer { role } }', { key: null });
        expect(anonymous.status).toBe(401);
        const tooMany = await gql(page, { variables: { w: workspaceId } });
        expect((await tooMany.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
        const invalid = await gql('{ viewer { noSuchField } }');
        expect((await invalid.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        return tooMany.status;
      },
    );
    expect(changes).toEqual([1, 1, 1, 1]);
    expect(result).toBe(200);
  });

  it('route labels are templates and fixed names, never ids or paths; methods are a fixed set', async () => {
    await rest(`/v1/workspaces/${workspaceId}/models/${modelId}`, { method: 'PROPFIND' });
    await rest(`/v1/workspaces/${workspaceId}/models/${modelId}/extra/segments`);
    await rest(`/docs`, { key: null });
    const after = await scrape();
    const routes = new Set(after.series('http_requests_total').map((s) => s.labels.route));
    const allowed = new Set([LIST, MODEL, STATUS, ENABLE, '/v1/workspaces/{workspaceId}/models/{id}:disable', '/v1/*', '/graphql', '/openapi.json', '/docs', '/docs/*', '/graphiql/*', '/metrics', '/health', '/ready', 'other']);
    expect([...routes].filter((route) => !allowed.has(route!))).toEqual([]);
    expect(after.text).not.toContain(workspaceId);
    expect(after.text).not.toContain(modelId);
    // PROPFIND is no method of the fixed set: it counts as OTHER, on the route's template.
    expect(after.series('http_requests_total', { route: MODEL, method: 'OTHER' }).reduce((n, s) => n + s.value, 0)).toBe(1);
    const methods = new Set(after.series('http_requests_total').map((s) => s.labels.method));
    expect([...methods].filter((m) => !['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'].includes(m!))).toEqual([]);
  });
});

describe('the database', () => {
  it('db_statements_total grows with a request that reads the database, and not with one that does not', async () => {
    const statements: [string, Record<string, string>] = ['db_statements_total', {}];
    const read = await deltas([statements], async () => {
      expect((await rest(`/v1/workspaces/${workspaceId}/models?limit=5&prefix=claude`)).status).toBe(200);
    });
    expect(read.changes[0]).toBeGreaterThanOrEqual(1);
    const none = await deltas([statements], async () => {
      expect((await rest('/openapi.json', { key: null })).status).toBe(200);
    });
    expect(none.changes).toEqual([0]);
  });

  it(`db_pool_connections is there on PostgreSQL only, and follows the pool (this run: ${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
    if (!onPostgres) {
      expect((await scrape()).series('db_pool_connections')).toEqual([]);
      return;
    }
    const states = (scraped: Scrape) => Object.fromEntries(scraped.series('db_pool_connections').map((s) => [s.labels.state, s.value]));
    // postgres.js pipelines: a connection running a statement still takes more ("open"), so
    // the gauge is checked by its accounting: during a statement every connection is in exactly one state.
    const slow = Promise.all(Array.from({ length: 3 }, () => db.execute(sql`select pg_sleep(0.3)`)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = states(await scrape());
    await slow;
    const after = states(await scrape());
    expect(Object.keys(during).sort()).toEqual(['closed', 'connecting', 'max', 'open', 'queued', 'reserved', 'saturated']);
    expect(during.max).toBe(10);
    for (const pool of [during, after]) {
      expect(pool.open! + pool.saturated! + pool.connecting! + pool.reserved! + pool.closed!, JSON.stringify(pool)).toBe(pool.max);
    }
    expect(during.open! + during.saturated! + during.connecting!, `connections in use during ${JSON.stringify(during)}`).toBeGreaterThanOrEqual(1);
    expect(after.open, `after ${JSON.stringify(after)}`).toBeGreaterThanOrEqual(1);
  });
});

describe('requests recorded between scrapes', () => {
  it('reach the counter and the histogram exactly, in batches, whether or not /metrics is read in between', async () => {
    const metrics = createMetrics();
    const durations = [0.0005, 0.003, 0.2, 7];
    for (let i = 0; i < 10_000; i++) metrics.request('/graphql', 'POST', 200, durations[i % 4]!);
    metrics.request('/graphql', 'POST', 500, 0.05);
    metrics.request('/v1/workspaces/{workspaceId}/models', 'BREW', 200, 0.002);
    const text = (await metrics.render()).body;
    const line = (series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1]);
    expect(line('http_requests_total{route="/graphql",method="POST",status="200"}')).toBe(10_000);
    expect(line('http_requests_total{route="/graphql",method="POST",status="500"}')).toBe(1);
    expect(line('http_requests_total{route="/v1/workspaces/{workspaceId}/models",method="OTHER",status="200"}')).toBe(1);
    expect(line('http_request_duration_seconds_count{route="/graphql",method="POST"}')).toBe(10_001);
    expect(line('http_request_duration_seconds_bucket{le="0.001",route="/graphql",method="POST"}')).toBe(2_500);
    expect(line('http_request_duration_seconds_bucket{le="0.25",route="/graphql",method="POST"}')).toBe(7_501);
    expect(line('http_request_duration_seconds_sum{route="/graphql",method="POST"}')).toBeCloseTo(2_500 * (0.0005 + 0.003 + 0.2 + 7) + 0.05, 6);
    // Read again: nothing counted twice.
    metrics.request('/graphql', 'POST', 200, 0.003);
    const again = (await metrics.render()).body;
    expect(again).toContain('http_requests_total{route="/graphql",method="POST",status="200"} 10001');
  });
});

describe('the process', () => {
  it("prom-client's default metrics are there, but for the two that work while requests run", async () => {
    const after = await scrape();
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.value('process_open_fds')).toBeGreaterThan(0);
    expect(after.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(after.value('nodejs_active_handles_total')).toBeGreaterThan(0);
    expect(after.series('nodejs_version_info')[0]?.labels.version).toBe(process.version);
    // A callback on every garbage collection and a timer every 10 ms: about 6% of the fast path's throughput.
    expect(after.series('nodejs_gc_duration_seconds_count')).toHaveLength(0);
    expect(after.series('nodejs_eventloop_lag_seconds')).toHaveLength(0);
  });
});

describe('the switches', () => {
  it('serveMetrics: false: the front door does not serve /metrics (yoga answers 404), and metrics are still recorded', async () => {
    const quiet = app({ serveMetrics: false });
    const url = await serve(quiet);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('http_requests_total');
    expect((await gql('query MetricsQuiet { viewer { role } }', { url })).status).toBe(200);
    const recorded = new Scrape((await quiet.metrics!.render()).body);
    expect(recorded.value('http_requests_total', { route: '/metrics', method: 'GET', status: '404' })).toBe(1);
    expect(recorded.value('graphql_operations_total', { operation_name: 'MetricsQuiet', operation_type: 'query', path: 'yoga' })).toBe(1);
  });

  it('metrics: false: nothing is recorded, /metrics is not served, and every path still answers', async () => {
    const off = app({ metrics: false, compileQueries: { after: 0 } });
    // (`App.metrics` is typed `Metrics | null`; through yoga's Proxy a null property reads as undefined.)
    expect(off.metrics ?? null).toBeNull();
    const url = await serve(off);
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    for (let i = 0; i < 3; i++) expect((await gql('query MetricsOff { viewer { role } }', { url })).status).toBe(200);
    expect((await fetch(`${url}/v1/workspaces/${workspaceId}/models?limit=1`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(200);
    expect((await fetch(`${url}/v1/workspaces/${workspaceId}/models`)).status).toBe(401);
    // Nothing went to prom-client's global registry either.
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });
});

describe('the server process with METRICS_PORT', () => {
  it(
    'serves /metrics on that port only, and counts the requests PORT served',
    async () => {
      const { server, error } = await serverProcess;
      if (!server) throw error;
      const origin = new URL(server.url).origin;
      const metricsUrl = `http://127.0.0.1:${metricsPort}`;
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
      expect((await fetch(`${origin}/v1/workspaces/${workspaceId}/models`)).status).toBe(401);
      const response = await fetch(`${metricsUrl}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const scraped = new Scrape(await response.text());
      expect(scraped.value('http_requests_total', { route: LIST, method: 'GET', status: '401' })).toBe(1);
      expect(scraped.value('http_requests_total', { route: '/metrics', method: 'GET', status: '404' })).toBe(1);
      expect(scraped.value('api_errors_total', { surface: 'rest', code: 'UNAUTHENTICATED' })).toBe(1);
      expect(scraped.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(scraped.series('db_pool_connections').length > 0).toBe(onPostgres);
      // The metrics port serves nothing else.
      expect((await fetch(`${metricsUrl}/graphql`)).status).toBe(404);
      expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    },
    120_000,
  );
});
