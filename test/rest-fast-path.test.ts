/**
 * The front door answers the REST reads itself (src/http/rest-fast-path.ts)
 * and must answer exactly as fets does. Every request goes over a real socket
 * to two servers on one database: the app's front door, and the same app with
 * `direct: false` (fets answers every REST request). Status, headers (bar Date
 * and the request id's value) and body must be identical, byte for byte; a
 * plugin counting the requests fets sees shows which path answered.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultHttp } from '../src/config.ts';
import { createApp, type App, type AppOptions } from '../src/http/app.ts';
import { setupTestApp, type Tenant } from './helpers.ts';
import { send as sendRaw, serve, type Answer, type Sent } from './sockets.ts';

/** A GET unless said otherwise. */
const send = (base: string, sent: Sent) => sendRaw(base, { method: 'GET', ...sent });

const t = await setupTestApp();

/** Requests fets saw, per app. */
const seen = new Map<App, number>();
function counted(options: Omit<AppOptions, 'db'>): App {
  let app: App;
  app = createApp({ db: t.db, ...options, restPlugins: [{ onRequest: () => void seen.set(app, (seen.get(app) ?? 0) + 1) }] });
  return app;
}

interface Pair {
  direct: App;
  fets: App;
  directUrl: string;
  fetsUrl: string;
}
async function pair(options: Omit<AppOptions, 'db'> = {}): Promise<Pair> {
  const direct = counted(options);
  const fets = counted({ ...options, direct: false });
  return { direct, fets, directUrl: await serve(direct.listener), fetsUrl: await serve(fets.listener) };
}

let tenant: Tenant;
let other: Tenant;
let modelId: string;
let foreignModelId: string;
let main: Pair;

beforeAll(async () => {
  tenant = await t.tenant('Fast REST');
  other = await t.tenant('Other');
  const first = async (key: string, workspace: string) =>
    (await t.gql(`query($w: ID!) { workspace(id: $w) { models(first: 1) { nodes { id } } } }`, { key, variables: { w: workspace } })).body.data.workspace
      .models.nodes[0].id as string;
  modelId = await first(tenant.adminKey, tenant.workspaceId);
  foreignModelId = await first(other.adminKey, other.workspaceId);
  main = await pair();
});

const auth = (key = tenant.adminKey) => ({ authorization: `Bearer ${key}` });

/** Sends `sent` to both servers and checks the answers are identical; `direct` says whether fets must not have seen it. */
async function same(sent: Sent, direct: boolean, servers: Pair = main): Promise<Answer> {
  const reference = await send(servers.fetsUrl, sent);
  const before = seen.get(servers.direct) ?? 0;
  const answer = await send(servers.directUrl, sent);
  expect(answer).toEqual({ ...reference, requestId: answer.requestId });
  expect((seen.get(servers.direct) ?? 0) - before, direct ? 'answered without fets' : 'answered by fets').toBe(direct ? 1 - 1 : 1);
  return answer;
}

describe('the REST reads straight from node:http answer exactly as fets', () => {
  it('a model: the same status, headers and bytes, without fets', async () => {
    const answer = await same({ path: `/v1/workspaces/${tenant.workspaceId}/models/${modelId}`, headers: auth() }, true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).metadata.id).toBe(modelId);
  });

  it('pages with every parameter, followed to the end, without fets', async () => {
    const base = `/v1/workspaces/${tenant.workspaceId}/models`;
    for (const query of ['', '?limit=3', '?limit=7&sortOrder=desc', '?status=MODEL_STATUS_ENABLED&query=CLAUDE', '?prefix=gem&limit=1', '?labels=a%3Db&bundleKey=x', '?status=MODEL_STATUS_UNSPECIFIED&unknown=1']) {
      let path: string | null = `${base}${query}`;
      for (let pages = 0; path && pages < 20; pages++) {
        const answer = await same({ path, headers: auth() }, true);
        expect(answer.status).toBe(200);
        const cursor = (JSON.parse(answer.body) as { pagination: { next_cursor?: string } }).pagination.next_cursor;
        path = cursor ? `${base}${query ? `${query}&` : '?'}cursor=${cursor}` : null;
      }
    }
  });

  it('with CORS for listed origins: the same headers', async () => {
    const cors = await pair({ http: { ...defaultHttp, corsOrigins: ['https://app.example.com'] } });
    for (const origin of ['https://app.example.com', 'https://evil.example.com']) {
      await same({ path: `/v1/workspaces/${tenant.workspaceId}/models/${modelId}`, headers: { ...auth(), origin } }, true, cors);
    }
    await same({ path: `/v1/workspaces/${tenant.workspaceId}/models/${modelId}`, headers: { ...auth(), origin: 'https://x.example' } }, true);
  });

  it('every refusal is fets’s own answer', async () => {
    const ws = tenant.workspaceId;
    const refused: Sent[] = [
      { path: `/v1/workspaces/${ws}/models/${modelId}` },
      { path: `/v1/workspaces/${ws}/models/${modelId}`, headers: { authorization: 'Bearer nonsense' } },
      { path: `/v1/workspaces/${ws}/models/${foreignModelId}`, headers: auth() },
      { path: `/v1/workspaces/${other.workspaceId}/models`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models/model_01ARZ3NDEKTSV4RRFFQ69G5FAV`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?limit=0`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?limit=101`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?limit=abc`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?limit=1&limit=2`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?cursor=nope`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?sortOrder=up`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?labels=broken`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?query=%00`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models?limit[a]=1`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models/${modelId}:enable`, headers: auth() },
      { path: `/v1/workspaces/${ws}/models/${modelId}/status`, headers: auth() },
      { method: 'DELETE', path: `/v1/workspaces/${ws}/models/${modelId}`, headers: auth() },
      { path: `/v1/workspaces/w%20s/models`, headers: auth() },
    ];
    for (const sent of refused) {
      const answer = await same(sent, false);
      expect(answer.status, sent.path).toBeGreaterThanOrEqual(400);
    }
  });

  it('a query string fets reads its own way goes to fets: an unknown, undecodable parameter is still ignored', async () => {
    expect((await same({ path: `/v1/workspaces/${tenant.workspaceId}/models?%zz=1&limit=1`, headers: auth() }, false)).status).toBe(200);
  });

  it('a reader reads on the fast path too', async () => {
    await same({ path: `/v1/workspaces/${tenant.workspaceId}/models?limit=2`, headers: auth(tenant.readerKey) }, true);
  });

  it('300 random reads: identical answers from both', async () => {
    let direct = 0;
    const segment = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(tenant.workspaceId, tenant.workspaceId, modelId, other.workspaceId, foreignModelId) },
      fc.constantFrom('ws_', 'model_x', '', '%2F', 'MODEL_01', '..'),
      fc.string({ maxLength: 8 }).map(encodeURIComponent),
    );
    const good = fc.oneof(
      fc.integer({ min: 1, max: 100 }).map((n) => ['limit', String(n)] as [string, string]),
      fc.constantFrom<[string, string]>(['sortOrder', 'desc'], ['sortOrder', 'asc'], ['status', 'MODEL_STATUS_ENABLED'], ['query', 'claude'], ['prefix', 'GEM']),
    );
    const bad = fc.tuple(
      fc.constantFrom('limit', 'cursor', 'status', 'sortOrder', 'labels', 'prefix', 'query', 'bundleKey', 'x', 'limit[]'),
      fc.oneof(fc.constantFrom('1', '20', '100', '0', 'asc', 'desc', 'MODEL_STATUS_ENABLED', 'a=b', 'claude', ''), fc.string({ maxLength: 6 }).map(encodeURIComponent)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          workspace: segment,
          model: fc.option(segment, { nil: undefined, freq: 2 }),
          params: fc.array(fc.oneof({ weight: 3, arbitrary: good }, bad), { maxLength: 3 }),
          key: fc.constantFrom(tenant.adminKey, tenant.adminKey, tenant.readerKey, other.adminKey, null),
        }),
        async ({ workspace, model, params, key }) => {
          const query = params.map(([k, v]) => `${k}=${v}`).join('&');
          const path = `/v1/workspaces/${workspace}/models${model === undefined ? '' : `/${model}`}${query ? `?${query}` : ''}`;
          const reference = await send(main.fetsUrl, { path, headers: key ? auth(key) : {} });
          const before = seen.get(main.direct) ?? 0;
          const answer = await send(main.directUrl, { path, headers: key ? auth(key) : {} });
          if ((seen.get(main.direct) ?? 0) === before) direct++;
          expect(answer).toEqual({ ...reference, requestId: answer.requestId });
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
    console.log(`REST fast path property: ${direct} of 300 answered without fets`);
    expect(direct).toBeGreaterThan(20);
  });
});
