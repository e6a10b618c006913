/**
 * The node:http listener answers compiled queries itself (src/http/graphql-fast-path.ts)
 * and must answer them exactly as yoga does. Every request here goes over a
 * real socket to two servers on one database: the app's listener, and the
 * same app with `direct: false` (yoga's own listener). Status, headers (bar
 * Date and the request id's value) and body must be identical, byte for
 * byte; a plugin counting the requests yoga sees shows which path answered.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { Plugin } from 'graphql-yoga';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultHttp, defaultLimits } from '../src/config.ts';
import type { Context } from '../src/graphql/context.ts';
import { regularMediaType } from '../src/http/graphql-fast-path.ts';
import { createApp, type App, type AppOptions } from '../src/http/app.ts';
import { setupTestApp, type Tenant } from './helpers.ts';
import { send, serve, type Answer, type Sent } from './sockets.ts';

const t = await setupTestApp();
const logLines: { msg: string; requestId?: string; status?: number }[] = [];
const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

/** Requests yoga saw, per app. */
const seen = new Map<App, number>();
function counted(options: Omit<AppOptions, 'db'>): App {
  let app: App;
  const counting: Plugin<Context> = { onRequest: () => void seen.set(app, (seen.get(app) ?? 0) + 1) };
  app = createApp({ db: t.db, log, compileQueries: { after: 0 }, plugins: [counting], ...options });
  return app;
}

let tenant: Tenant;
let other: Tenant;
let modelId: string;
let foreignModelId: string;

/** The app under test, its yoga-only twin, and their addresses. */
interface Pair {
  direct: App;
  yoga: App;
  directUrl: string;
  yogaUrl: string;
}
async function pair(options: Omit<AppOptions, 'db'> = {}): Promise<Pair> {
  const direct = counted(options);
  const yoga = counted({ ...options, direct: false });
  return { direct, yoga, directUrl: await serve(direct.listener), yogaUrl: await serve(yoga.listener) };
}
let main: Pair;

beforeAll(async () => {
  tenant = await t.tenant('Direct');
  other = await t.tenant('Other');
  const ids = async (key: string, workspace: string) =>
    (await t.gql(`query($w: ID!) { workspace(id: $w) { models(first: 2) { nodes { id } } } }`, { key, variables: { w: workspace } })).body.data
      .workspace.models.nodes as { id: string }[];
  modelId = (await ids(tenant.adminKey, tenant.workspaceId))[0]!.id;
  foreignModelId = (await ids(other.adminKey, other.workspaceId))[0]!.id;
  main = await pair();
});

const MODEL_BY_ID = `query ModelById($id: ID!) { model(id: $id) { id metadata { name createdAt labels { key value } } spec { provider family status inputPricePerMillionTokens } } }`;
const json = (params: Record<string, unknown>) => JSON.stringify(params);
const auth = () => ({ authorization: `Bearer ${tenant.adminKey}`, 'content-type': 'application/json' });

/**
 * Sends `sent` to both servers (twice to each: the first run compiles the
 * document) and checks the answers are identical; `direct` says whether the
 * app's listener must have answered the second time without yoga.
 */
async function same(sent: Sent, direct: boolean, servers: Pair = main): Promise<Answer> {
  let reference: Answer | undefined;
  for (let run = 0; run < 2; run++) reference = await send(servers.yogaUrl, sent);
  await send(servers.directUrl, sent);
  const before = seen.get(servers.direct) ?? 0;
  const answer = await send(servers.directUrl, sent);
  expect(answer).toEqual({ ...reference!, requestId: answer.requestId });
  expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect((seen.get(servers.direct) ?? 0) - before, direct ? 'answered without yoga' : 'answered by yoga').toBe(direct ? 0 : 1);
  return answer;
}

describe('compiled queries straight from node:http answer exactly as yoga', () => {
  it('a model by id: the same status, headers and bytes, without yoga', async () => {
    const answer = await same({ headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id: modelId } }) }, true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.model.id).toBe(modelId);
    expect(answer.headers.map(([name]) => name)).toEqual(['x-request-id', 'content-type', 'content-length', 'connection', 'keep-alive']);
  });

  it('pages, nested connections, fragments and operation names', async () => {
    const page = `fragment M on Model { id spec { provider family } }
      query Other { viewer { role } }
      query Page($w: ID!, $after: String) { workspace(id: $w) { models(first: 3, after: $after) { totalCount edges { cursor node { ...M } } pageInfo { hasNextPage endCursor } } } }`;
    const first = await same({ headers: auth(), body: json({ query: page, operationName: 'Page', variables: { w: tenant.workspaceId } }) }, true);
    const after = JSON.parse(first.body).data.workspace.models.pageInfo.endCursor;
    await same({ headers: auth(), body: json({ query: page, operationName: 'Page', variables: { w: tenant.workspaceId, after } }) }, true);
    await same({ headers: auth(), body: json({ query: page, operationName: 'Other' }) }, true);
    const nested = `{ workspaces(first: 5) { nodes { id name models(first: 2) { nodes { id } } } } viewer { accountId } }`;
    await same({ headers: auth(), body: json({ query: nested, variables: null, operationName: null }) }, true);
  });

  it('another tenant’s model and unknown ids answer null without errors, directly', async () => {
    for (const id of [foreignModelId, 'model_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'nonsense']) {
      const answer = await same({ headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id } }) }, true);
      expect(JSON.parse(answer.body)).toEqual({ data: { model: null } });
    }
  });

  it('every Accept header: JSON ones directly, the rest by yoga (event streams, multipart, 406)', async () => {
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    const direct = [
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json',
      'application/json, application/graphql-response+json',
      'application/graphql-response+json;charset=utf-8, application/json;q=0.9',
      'APPLICATION/JSON',
      'application/*',
      'text/event-stream, application/json',
      'application/json, text/event-stream',
      'multipart/mixed, application/graphql-response+json',
      'application/json; charset=latin1, application/graphql-response+json',
      '',
    ];
    for (const accept of direct) {
      expect(regularMediaType(accept), accept).not.toBeNull();
      await same({ headers: { ...auth(), accept }, body }, true);
    }
    for (const accept of ['text/event-stream', 'multipart/mixed', 'text/html', 'application/json; charset=latin1', 'application/xml']) {
      expect(regularMediaType(accept), accept).toBeNull();
      await same({ headers: { ...auth(), accept }, body }, false);
    }
  });

  it('CORS: the same headers for every origin and setting', async () => {
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    const anyOrigin = await same({ headers: { ...auth(), origin: 'https://app.example' }, body }, true);
    expect(anyOrigin.headers).toContainEqual(['access-control-allow-origin', 'https://app.example']);
    const listed = await pair({ http: { ...defaultHttp, corsOrigins: ['https://a.example', 'https://b.example'] } });
    for (const origin of ['https://a.example', 'https://b.example', 'https://c.example']) await same({ headers: { ...auth(), origin }, body }, true, listed);
    const one = await pair({ http: { ...defaultHttp, corsOrigins: ['https://a.example'] } });
    const answer = await same({ headers: { ...auth(), origin: 'https://c.example' }, body }, true, one);
    expect(answer.headers).toContainEqual(['access-control-allow-origin', 'https://a.example']);
  });

  it('content types: JSON with parameters directly; other types, as yoga judges them', async () => {
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    await same({ headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' }, body }, true);
    await same({ headers: { ...auth(), 'content-type': 'application/json, text/plain' }, body }, true);
    for (const contentType of ['application/graphql+json', 'text/plain', 'Application/JSON', 'application/jsonx']) {
      await same({ headers: { ...auth(), 'content-type': contentType }, body }, false);
    }
  });

  it('bodies yoga refuses or reads its own way go to yoga, which reads the same bytes', async () => {
    const query = MODEL_BY_ID;
    const variables = { id: modelId };
    const bodies = [
      json({ query, variables, extra: 1 }),
      json({ query, variables, extensions: {} }),
      json({ query, variables: [modelId] }),
      json({ query, variables: 'id' }),
      json({ query, variables, operationName: 7 }),
      json({ variables }),
      json({ query: 7 }),
      `{"query": ${JSON.stringify(query)}, "variables": `,
      `\ufeff${json({ query, variables })}`,
      JSON.stringify([{ query, variables }]),
      'null',
      '"text"',
      json({ query, variables, operationName: 'Unknown' }),
      json({ query: '{ model(id: 1) { nonsense } }' }),
    ];
    for (const body of bodies) await same({ headers: auth(), body }, false);
    // Null parameters are as good as absent.
    await same({ headers: auth(), body: json({ query, variables, extra: null, extensions: null }) }, true);
  });

  it('bodies this path does not read: chunked, empty, or larger than 64 KiB', async () => {
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    await same({ headers: auth(), body: [body.slice(0, 20), body.slice(20)] }, false);
    await same({ headers: auth(), body: '' }, false);
    const padded = json({ query: MODEL_BY_ID, variables: { id: modelId, padding: 'x'.repeat(70_000) } });
    await same({ headers: auth(), body: padded }, false);
  });

  it('other methods and paths go to yoga', async () => {
    const query = encodeURIComponent(`{ viewer { role } }`);
    await same({ method: 'GET', path: `/graphql?query=${query}`, headers: { authorization: `Bearer ${tenant.adminKey}` } }, false);
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    await same({ path: '/graphql?x=1', headers: auth(), body }, false);
    await same({ path: '/graphql/', headers: auth(), body }, false);
    await same({ path: '/other', headers: auth(), body }, false);
  });

  it('no key, a wrong key, a reader: the gate and the roles answer as always', async () => {
    const body = json({ query: MODEL_BY_ID, variables: { id: modelId } });
    const refused = await same({ headers: { 'content-type': 'application/json' }, body }, false);
    expect(refused.status).toBe(401);
    await same({ headers: { ...auth(), authorization: `Bearer ${tenant.adminKey}x` }, body }, false);
    await same({ headers: { ...auth(), authorization: `Bearer ${tenant.readerKey}` }, body }, true);
  });

  it('too many objects for the variables: refused by yoga', async () => {
    const limited = await pair({ limits: { ...defaultLimits, objects: 30 } });
    const query = `query Sized($first: Int!) { workspaces(first: 1) { nodes { models(first: $first) { nodes { id } } } } }`;
    await same({ headers: auth(), body: json({ query, variables: { first: 3 } }) }, true, limited);
    const refused = await same({ headers: auth(), body: json({ query, variables: { first: 30 } }) }, false, limited);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('OBJECT_LIMIT_EXCEEDED');
  });

  it('a compiled run with errors: yoga answers with graphql-js, under the same request id, without running it again', async () => {
    const query = `query Faulty($w: ID!, $first: Int) { workspace(id: $w) { models(first: $first) { nodes { id } } } }`;
    await same({ headers: auth(), body: json({ query, variables: { w: tenant.workspaceId, first: 1 } }) }, true);
    const before = logLines.length;
    const refused = await same({ headers: auth(), body: json({ query, variables: { w: tenant.workspaceId, first: 101 } }) }, false);
    const error = JSON.parse(refused.body).errors[0];
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', requestId: '<id>' });
    expect(error.locations).toBeDefined();
    const lines = logLines.slice(before).filter((line) => line.requestId === refused.requestId);
    expect(lines.filter((line) => line.msg === 'compiled run reported errors: graphql-js answers')).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'request')).toEqual([expect.objectContaining({ status: 200 })]);
  });

  it('one log line per request, with the id of its x-request-id header', async () => {
    const answer = await same({ headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id: modelId } }) }, true);
    expect(logLines.filter((line) => line.requestId === answer.requestId)).toEqual([
      expect.objectContaining({ msg: 'request', method: 'POST', path: '/graphql', status: 200, ms: expect.any(Number) }),
    ]);
  });

  it('while the front door drains, the fast path answers with Connection: close', async () => {
    const app = counted({});
    app.frontDoor.drain();
    const draining = await serve(app.listener);
    await send(draining, { headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id: modelId } }) });
    const before = seen.get(app) ?? 0;
    const answer = await send(draining, { headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id: modelId } }) });
    expect(answer.status).toBe(200);
    expect(answer.headers).toContainEqual(['connection', 'close']);
    expect(seen.get(app) ?? 0, 'answered without yoga').toBe(before);
  });

  it('a client that goes away while sending its body: the server carries on', async () => {
    const url = new URL(main.directUrl);
    await new Promise<void>((resolve) => {
      const request = httpRequest({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', headers: { ...auth(), 'content-length': '500' } });
      request.on('error', () => resolve());
      request.write('{"query": "{ viewer');
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 50);
    });
    const answer = await send(main.directUrl, { headers: auth(), body: json({ query: MODEL_BY_ID, variables: { id: modelId } }) });
    expect(JSON.parse(answer.body).data.model.id).toBe(modelId);
  });
});

describe('random requests: the same answer from both listeners', () => {
  const QUERIES = [
    MODEL_BY_ID,
    `query Page($w: ID!, $first: Int, $after: String) { workspace(id: $w) { models(first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage } } } }`,
    `{ viewer { role accountId } }`,
    `query A { viewer { role } } query B { __typename }`,
    `query Defaulted($first: Int = 2) { workspaces(first: $first) { nodes { id } } }`,
    `mutation { createWorkspace(input: { name: "" }) { userErrors { code } } }`,
    `{ nonsense }`,
  ];
  const value = fc.oneof(
    fc.constantFrom(null, 0, 2, 101, -1, 2.5, '', 'nonsense', true),
    fc.constantFrom('model', 'workspace', 'cursor').map((kind) => ({ model: modelId, workspace: tenant.workspaceId, cursor: 'bm9wZQ' })[kind]),
    fc.jsonValue({ maxDepth: 1 }),
  );
  const hostile = fc.record(
    {
      query: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...QUERIES) }, fc.jsonValue({ maxDepth: 1 })),
      variables: fc.oneof(
        { weight: 4, arbitrary: fc.record({ id: value, w: value, first: value, after: value }, { requiredKeys: [] }) },
        fc.jsonValue({ maxDepth: 1 }),
      ),
      operationName: fc.constantFrom('A', 'B', 'Page', '', null, 3),
      extensions: fc.constantFrom(null, {}, 'x'),
      other: fc.constantFrom(null, 1),
    },
    { requiredKeys: ['query'] },
  );
  /** Envelopes the direct path may take, with variables good and bad. */
  const wellFormed = fc.oneof(
    value.map((id) => ({ query: MODEL_BY_ID, variables: { id } })),
    fc.tuple(value, fc.oneof(fc.constantFrom(1, 3), value), fc.oneof(fc.constant(null), value)).map(([w, first, after]) => ({
      query: QUERIES[1],
      variables: { w: typeof w === 'string' && w !== 'nonsense' ? tenant.workspaceId : w, first, after },
    })),
    fc.constant({ query: QUERIES[2] }),
    fc.constantFrom('A', 'B').map((operationName) => ({ query: QUERIES[3], operationName, variables: null })),
  );
  const body = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: hostile });
  const request = fc.record({
    body: fc.oneof({ weight: 8, arbitrary: body.map((b) => JSON.stringify(b)) }, fc.string({ maxLength: 40 })),
    accept: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(undefined, '*/*', 'application/graphql-response+json', 'application/json;q=0.5, text/html') },
      fc.constantFrom('text/event-stream', 'text/html'),
    ),
    contentType: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      fc.constantFrom('text/plain', 'application/graphql+json'),
    ),
    origin: fc.constantFrom(undefined, 'https://app.example'),
    key: fc.constantFrom('admin', 'admin', 'reader', 'other', 'wrong', 'none'),
  });

  it('300 requests of every shape, compared header for header and byte for byte', async () => {
    const keys: Record<string, string | undefined> = {
      admin: tenant.adminKey,
      reader: tenant.readerKey,
      other: other.adminKey,
      wrong: `${tenant.adminKey}x`,
      none: undefined,
    };
    let direct = 0;
    await fc.assert(
      fc.asyncProperty(request, async (drawn) => {
        const headers: Record<string, string> = { 'content-type': drawn.contentType };
        if (drawn.accept !== undefined) headers.accept = drawn.accept;
        if (drawn.origin) headers.origin = drawn.origin;
        if (keys[drawn.key]) headers.authorization = `Bearer ${keys[drawn.key]}`;
        const reference = await send(main.yogaUrl, { headers, body: drawn.body });
        const before = seen.get(main.direct) ?? 0;
        const answer = await send(main.directUrl, { headers, body: drawn.body });
        if ((seen.get(main.direct) ?? 0) === before) direct++;
        expect(answer).toEqual({ ...reference, requestId: answer.requestId });
      }),
      { seed: 20261129, numRuns: 300 },
    );
    console.log(`Direct path: ${direct} of 300 random requests answered without yoga, all identical to yoga's answers.`);
    expect(direct).toBeGreaterThanOrEqual(40);
  });
});

describe('a database that is gone, met on the direct path', () => {
  it('authentication fails: yoga answers one masked 500 with the request id', async () => {
    const body = json({ query: `query Me { viewer { role } }` });
    await same({ headers: auth(), body }, true);
    await t.close();
    // A key not verified yet: its lookup meets the closed database.
    const unknown = { ...auth(), authorization: `Bearer key_01M8HTMBHMM4B4QMSFB4VCVYQW.${'a'.repeat(43)}` };
    const answer = await same({ headers: unknown, body }, false);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: '<id>' } }] });
    // Logged once, under that id, though both paths met the failure.
    expect(logLines.filter((line) => line.requestId === answer.requestId).map((line) => line.msg)).toEqual(['unexpected error', 'request']);
  });
});
