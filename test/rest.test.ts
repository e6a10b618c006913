/**
 * The REST resource (DESIGN.md, "The REST resource"), through real sockets to
 * the app's front door: every route as the contract says, the same models in
 * the same order as GraphQL, every error as a google.rpc.Status, the OpenAPI
 * document and the self-hosted /docs, and a client generated from the
 * document alone. Nothing is mocked: data is made through the domain
 * services, GraphQL mutations and (for values no mutation sets: bundleKey,
 * unset prices, other creation times) plain inserts and updates of rows.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/client.ts';
import { newId } from '../src/db/ids.ts';
import { models } from '../src/db/schema.ts';
import { createAccount, createApiKey, revokeApiKey } from '../src/domain/auth.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { createApp } from '../src/http/app.ts';
import { setupTestApp, testTarget, unwrap, type Tenant } from './helpers.ts';
import {
  answered,
  BadRequestError,
  createSdk,
  expectMasked,
  expectRpcError,
  jsonText,
  METADATA_KEYS,
  MODEL_FIELDS,
  NotFoundError,
  PermissionDeniedError,
  restFromGraphQL,
  send,
  serve,
  SPEC_KEYS,
  UnauthenticatedError,
  type GraphQLModel,
  type Reply,
  type RestModel,
  type Sent,
} from './rest-helpers.ts';

const t = await setupTestApp();
const base = await serve(t.yoga.listener);
const call = (sent: Sent) => send(base, sent);

// ---------------------------------------------------------------------------
// Paths, statuses, GraphQL

const ENABLED = 'MODEL_STATUS_ENABLED';
const DISABLED = 'MODEL_STATUS_DISABLED';
const UNSPECIFIED = 'MODEL_STATUS_UNSPECIFIED';

const listPath = (workspaceId: string, query = '') => `/v1/workspaces/${workspaceId}/models${query ? `?${query}` : ''}`;
const modelPath = (workspaceId: string, id: string) => `/v1/workspaces/${workspaceId}/models/${id}`;
const statusPath = (workspaceId: string, id: string) => `${modelPath(workspaceId, id)}/status`;
const verbPath = (workspaceId: string, id: string, verb: 'enable' | 'disable') => `${modelPath(workspaceId, id)}:${verb}`;

const putStatus = (workspaceId: string, id: string, key: string | null, status: string) =>
  call({ method: 'PUT', path: statusPath(workspaceId, id), key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
const postVerb = (workspaceId: string, id: string, key: string | null, verb: 'enable' | 'disable', body?: string) =>
  call({ method: 'POST', path: verbPath(workspaceId, id, verb), key, ...(body === undefined ? { body: '' } : { body, headers: { 'content-type': 'application/json' } }) });

interface Page {
  items: RestModel[];
  pagination: { next_cursor?: string };
}

/** A 200 list answer: JSON, exactly `{items, pagination}`. */
function pageOf(reply: Reply): Page {
  expect(reply.status, `${reply.path}: ${reply.text.slice(0, 300)}`).toBe(200);
  expect(reply.headers['content-type']).toMatch(/^application\/json\b/);
  expect(Object.keys(reply.json)).toEqual(['items', 'pagination']);
  const pagination = reply.json.pagination as Record<string, unknown>;
  expect(Object.keys(pagination).every((key) => key === 'next_cursor')).toBe(true);
  if ('next_cursor' in pagination) expect(pagination.next_cursor).toMatch(/^\S+$/);
  return reply.json as Page;
}

/** Every page of a REST list; each page must hold `limit` items but the last. */
async function restPages(workspaceId: string, query: Record<string, string | number>, key: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), ...(cursor ? { cursor } : {}) });
    const page = pageOf(await call({ path: listPath(workspaceId, params.toString()), key }));
    pages.push(page);
    cursor = page.pagination.next_cursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor !== undefined);
  return pages;
}
const restAll = async (workspaceId: string, query: Record<string, string | number>, key: string) =>
  (await restPages(workspaceId, query, key)).flatMap((page) => page.items);

async function gqlData<Data = any>(query: string, variables: Record<string, unknown>, key: string): Promise<Data> {
  const response = await t.gql<Data>(query, { key, variables });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as Data;
}

interface GraphQLFilter {
  status?: string;
  bundleKey?: string;
  labels?: { key: string; value: string }[];
  search?: string;
}

const GRAPHQL_PAGE = /* GraphQL */ `
  query RestParityPage($w: ID!, $first: Int!, $after: String, $direction: OrderDirection!, $filter: ModelFilter) {
    workspace(id: $w) {
      models(first: $first, after: $after, filter: $filter, orderBy: { field: CREATED_AT, direction: $direction }) {
        nodes { ${MODEL_FIELDS} }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** Every page of a workspace's models through GraphQL, `first` at a time. */
async function graphqlPages(workspaceId: string, key: string, first: number, direction: 'ASC' | 'DESC' = 'ASC', filter?: GraphQLFilter) {
  const pages: GraphQLModel[][] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await gqlData(GRAPHQL_PAGE, { w: workspaceId, first, after, direction, filter }, key);
    const connection = data.workspace.models;
    pages.push(connection.nodes);
    if (!connection.pageInfo.hasNextPage) return pages;
    after = connection.pageInfo.endCursor;
  }
}
const graphqlAll = async (workspaceId: string, key: string, direction: 'ASC' | 'DESC' = 'ASC', filter?: GraphQLFilter) =>
  (await graphqlPages(workspaceId, key, 100, direction, filter)).flat();

async function graphqlModel(id: string, key: string): Promise<GraphQLModel> {
  const data = await gqlData<{ model: GraphQLModel }>(`query RestModel($id: ID!) { model(id: $id) { ${MODEL_FIELDS} } }`, { id }, key);
  expect(data.model).not.toBeNull();
  return data.model;
}

async function setLabels(id: string, labels: { key: string; value: string }[], key: string) {
  const data = await gqlData(
    `mutation RestLabels($input: SetModelLabelsInput!) { setModelLabels(input: $input) { model { id } userErrors { code message } } }`,
    { input: { id, labels } },
    key,
  );
  expect(data.setModelLabels.userErrors).toEqual([]);
}

async function setStatusByGraphQL(id: string, status: string, key: string) {
  const data = await gqlData(
    `mutation RestStatus($input: SetModelStatusInput!) { setModelStatus(input: $input) { model { id } userErrors { code message } } }`,
    { input: { id, status } },
    key,
  );
  expect(data.setModelStatus.userErrors).toEqual([]);
}

const ids = (list: { metadata: { id: string } }[]) => list.map((model) => model.metadata.id);
/** ASCII letters folded to lower case, nothing else (the contract's folding). */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
/** The contract's order: createdAt, then id, by code point. */
const byCreatedAtThenId = (a: GraphQLModel, b: GraphQLModel) =>
  a.metadata.createdAt < b.metadata.createdAt ? -1 : a.metadata.createdAt > b.metadata.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

// ---------------------------------------------------------------------------
// Fixtures

/** Tenant A: its first workspace holds the catalog and 40 added models, decorated (labels, statuses, bundle keys). */
let a: Tenant;
/** A second workspace of A's account. */
let aSecond: string;
let aSecondModel: string;
/** Another account. */
let b: Tenant;
let bModel: string;
/** Tenant W: status changes happen here only. */
let w: Tenant;
let wModels: string[];

/** A's models as GraphQL has them after decoration, in the contract's ascending order. */
let aModels: GraphQLModel[];
const EXTRA = 40;
const BASE_TIME = Date.UTC(2026, 10, 28, 18, 0, 0, 0); // 2026-11-28T18:00:00.000Z
const SPECIAL_NAMES = ['ÉCLAIR Special', 'Promo 100% off', 'snake_case model', 'éclair lower'];

/** 40 models no catalog seeds: varied creation times (with ties), unset optional fields, bundle keys. */
async function addModels(tenant: Tenant) {
  const rows = Array.from({ length: EXTRA }, (_, i) => ({
    id: newId('Model'),
    accountId: tenant.accountId,
    workspaceId: tenant.workspaceId,
    profileId: tenant.profileId,
    name: SPECIAL_NAMES[i] ?? `Acme ${i}`,
    // Ties at BASE_TIME; some long before the catalog's, some long after.
    createdAt: new Date(i % 10 === 0 ? BASE_TIME : i < 30 ? BASE_TIME + i * 61_000 + (i % 7) : Date.UTC(2031, 0, 1) + (i % 3)),
    bundleKey: i % 5 === 0 ? 'bundle-a' : i % 5 === 1 ? 'bundle-b' : null,
    externalId: i % 4 === 0 ? null : `acme/ACME-${i}`,
    labels: {},
    provider: 'acme',
    family: `acme-${i}`,
    inputPricePerMillionTokens: i % 3 === 0 ? null : `${i}.5`,
    outputPricePerMillionTokens: i % 3 === 0 ? null : `${i * 10}`,
    maxInputTokens: i % 2 === 0 ? null : 1000 * i,
    maxOutputTokens: i % 2 === 0 ? null : 100 * i,
    status: ENABLED as typeof ENABLED,
  }));
  await t.db.insert(models).values(rows);
  return rows.map((row) => row.id);
}

let extra: string[];
let catalog: string[];

beforeAll(async () => {
  a = await t.tenant('REST A');
  b = await t.tenant('REST B');
  w = await t.tenant('REST W');
  aSecond = unwrap(await createWorkspace(t.db, { accountId: a.accountId, profileId: a.profileId, name: 'REST A second' })).workspace.id;

  catalog = ids(await graphqlAll(a.workspaceId, a.adminKey));
  expect(catalog.length).toBeGreaterThanOrEqual(15);
  extra = await addModels(a);
  // Labels, given unsorted. (Keys of other lengths, whose order jsonb changes, are the subject of a test of their own.)
  await setLabels(catalog[0]!, [{ key: 'tier', value: 'gold' }, { key: 'env', value: 'prod' }], a.adminKey);
  await setLabels(catalog[1]!, [{ key: 'env', value: 'prod' }], a.adminKey);
  await setLabels(extra[5]!, [{ key: 'tier', value: 'gold' }, { key: 'env', value: 'prod' }, { key: 'app', value: 'x' }], a.adminKey);
  await setLabels(extra[6]!, [{ key: 'env', value: 'dev' }], a.adminKey);
  for (const id of [catalog[2]!, extra[7]!, extra[8]!]) await setStatusByGraphQL(id, DISABLED, a.adminKey);

  aModels = await graphqlAll(a.workspaceId, a.adminKey);
  expect(aModels).toHaveLength(catalog.length + EXTRA);
  aSecondModel = ids(await graphqlAll(aSecond, a.adminKey))[0]!;
  bModel = ids(await graphqlAll(b.workspaceId, b.adminKey))[0]!;
  wModels = ids(await graphqlAll(w.workspaceId, w.adminKey));
});

/** A's models matching `keep`, ascending (or descending). */
const expected = (keep: (model: GraphQLModel) => boolean = () => true, direction: 'asc' | 'desc' = 'asc') => {
  const kept = aModels.filter(keep);
  return direction === 'asc' ? kept : [...kept].reverse();
};

// ---------------------------------------------------------------------------

describe('routes: as the contract says', () => {
  it('lists 50 by default, then the rest; the last page has no next_cursor', async () => {
    const first = pageOf(await call({ path: listPath(a.workspaceId), key: a.adminKey }));
    expect(first.items).toHaveLength(50);
    expect(first.pagination.next_cursor).toBeTypeOf('string');
    const second = pageOf(await call({ path: listPath(a.workspaceId, `cursor=${encodeURIComponent(first.pagination.next_cursor!)}`), key: a.adminKey }));
    expect(second.items).toHaveLength(aModels.length - 50);
    expect(second.pagination).toEqual({});
    expect(ids([...first.items, ...second.items])).toEqual(ids(aModels));
  });

  // (limit=1 pages through everything in the parity and SDK tests below.)
  it.each([2, 7, 59, 60, 100])('limit=%i: pages of that size, the last one without next_cursor', async (limit) => {
    const pages = await restPages(a.workspaceId, { limit }, a.adminKey);
    expect(pages).toHaveLength(Math.ceil(aModels.length / limit));
    for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
    expect(pages.at(-1)!.pagination).toEqual({});
    expect(ids(pages.flatMap((page) => page.items))).toEqual(ids(aModels));
  });

  it('the model JSON: keys in the contract order, unset ones omitted, labels sorted, createdAt in milliseconds', async () => {
    const items = (await restPages(a.workspaceId, { limit: 100 }, a.adminKey)).flatMap((page) => page.items);
    // Every model is exactly what the contract makes of GraphQL's fields, key order included.
    expect(items.map(jsonText)).toEqual(aModels.map((model) => jsonText(restFromGraphQL(model))));
    const byId = new Map(items.map((item) => [item.metadata.id, item]));

    // A catalog model: no bundleKey, no labels; every spec field.
    const plain = byId.get(catalog[3]!)!;
    expect(Object.keys(plain)).toEqual(['metadata', 'spec']);
    expect(Object.keys(plain.metadata)).toEqual(['id', 'accountId', 'createdAt', 'name', 'profileId', 'workspaceId', 'externalId']);
    expect(Object.keys(plain.spec)).toEqual(SPEC_KEYS);
    expect(plain.metadata.accountId).toBe(a.accountId);
    expect(plain.metadata.workspaceId).toBe(a.workspaceId);
    expect(plain.spec.inputPricePerMillionTokens).toBeTypeOf('string');

    // Added model 0: bundleKey, no externalId, no prices, no token limits, created at the contract's example time.
    const bare = byId.get(extra[0]!)!;
    expect(Object.keys(bare.metadata)).toEqual(['id', 'accountId', 'createdAt', 'name', 'profileId', 'workspaceId', 'bundleKey']);
    expect(Object.keys(bare.spec)).toEqual(['family', 'provider', 'status']);
    expect(bare.metadata.createdAt).toBe('2026-11-28T18:00:00.000Z');
    expect(bare.metadata.bundleKey).toBe('bundle-a');

    // Added model 5: every key, labels last with their keys sorted.
    const full = byId.get(extra[5]!)!;
    expect(Object.keys(full.metadata)).toEqual(METADATA_KEYS);
    expect(JSON.stringify(full.metadata.labels)).toBe('{"app":"x","env":"prod","tier":"gold"}');
    expect(full.spec.inputPricePerMillionTokens).toBe('5.5');
    expect(full.spec.maxInputTokens).toBe(5000);

    const twoLabels = byId.get(catalog[0]!)!;
    expect(JSON.stringify(twoLabels.metadata.labels)).toBe('{"env":"prod","tier":"gold"}');
    for (const item of items) expect(item.metadata.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gets one model: the same JSON as in the list, and as GraphQL has it', async () => {
    for (const id of [catalog[0]!, catalog[2]!, extra[0]!, extra[5]!, extra[39]!]) {
      const reply = await call({ path: modelPath(a.workspaceId, id), key: a.adminKey });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json\b/);
      expect(reply.text).toBe(jsonText(restFromGraphQL(aModels.find((model) => model.id === id)!)));
      // A reader reads too.
      const asReader = await call({ path: modelPath(a.workspaceId, id), key: a.readerKey });
      expect(asReader.text).toBe(reply.text);
    }
  });

  it('labels are sorted by key, by code point, whatever the keys’ lengths', async () => {
    // jsonb keeps object keys by length first: a label map read back from it as is comes out "b", "aa", "tier", "region", ….
    await setLabels(aSecondModel, [{ key: 'tier', value: 'gold' }, { key: 'region', value: 'eu' }, { key: 'b', value: '1' }, { key: 'aa', value: '2' }, { key: 'app.kubernetes.io/name', value: 'x' }], a.adminKey);
    const sorted = ['aa', 'app.kubernetes.io/name', 'b', 'region', 'tier'];
    const one = await call({ path: modelPath(aSecond, aSecondModel), key: a.adminKey });
    expect.soft(Object.keys(one.json.metadata.labels), 'GET one').toEqual(sorted);
    const listed = await restAll(aSecond, { labels: 'b=1', limit: 5 }, a.adminKey);
    expect(listed).toHaveLength(1);
    expect.soft(Object.keys(listed[0]!.metadata.labels!), 'in the list').toEqual(sorted);
    expect.soft((await graphqlModel(aSecondModel, a.adminKey)).metadata.labels.map((label) => label.key), 'GraphQL').toEqual(sorted);
  });

  it('status: ENABLED and DISABLED filter, MODEL_STATUS_UNSPECIFIED is no filter', async () => {
    const disabled = await restAll(a.workspaceId, { status: DISABLED, limit: 2 }, a.adminKey);
    expect(ids(disabled)).toEqual(ids(expected((m) => m.spec.status === DISABLED)));
    expect(disabled).toHaveLength(3);
    const enabled = await restAll(a.workspaceId, { status: ENABLED, limit: 100 }, a.adminKey);
    expect(ids(enabled)).toEqual(ids(expected((m) => m.spec.status === ENABLED)));
    expect(ids(await restAll(a.workspaceId, { status: UNSPECIFIED, limit: 100 }, a.adminKey))).toEqual(ids(aModels));
  });

  it('bundleKey: an exact match', async () => {
    for (const bundleKey of ['bundle-a', 'bundle-b', 'BUNDLE-A', 'bundle', 'nothing']) {
      const found = await restAll(a.workspaceId, { bundleKey, limit: 3 }, a.adminKey);
      expect(ids(found), bundleKey).toEqual(ids(expected((m) => m.metadata.bundleKey === bundleKey)));
    }
    expect(await restAll(a.workspaceId, { bundleKey: 'bundle-a' }, a.adminKey)).toHaveLength(8);
  });

  it('labels=k=v,k2=v2: every pair must match', async () => {
    const has = (pairs: [string, string][]) => (m: GraphQLModel) => pairs.every(([k, v]) => m.metadata.labels.some((l) => l.key === k && l.value === v));
    const cases: [string, [string, string][], number][] = [
      ['env=prod', [['env', 'prod']], 3],
      ['env=prod,tier=gold', [['env', 'prod'], ['tier', 'gold']], 2],
      ['tier=gold,env=prod', [['env', 'prod'], ['tier', 'gold']], 2],
      ['app=x,tier=gold', [['app', 'x'], ['tier', 'gold']], 1],
      ['env=dev', [['env', 'dev']], 1],
      ['env=nope', [['env', 'nope']], 0],
      ['env=prod,tier=silver', [['env', 'prod'], ['tier', 'silver']], 0],
    ];
    for (const [labels, pairs, count] of cases) {
      const found = await restAll(a.workspaceId, { labels, limit: 1 }, a.adminKey);
      expect(ids(found), labels).toEqual(ids(expected(has(pairs))));
      expect(found, labels).toHaveLength(count);
    }
    // No match: an empty page without next_cursor.
    expect(pageOf(await call({ path: listPath(a.workspaceId, 'labels=env%3Dnope'), key: a.adminKey }))).toEqual({ items: [], pagination: {} });
  });

  it('prefix: a case-insensitive (ASCII) prefix of the name, the externalId or the id', async () => {
    const starts = (prefix: string) => (m: GraphQLModel) =>
      [m.metadata.name, m.metadata.externalId, m.id].some((text) => text !== null && foldAscii(text).startsWith(foldAscii(prefix)));
    const one = extra[11]!;
    const cases: [string, number | null][] = [
      ['claude', 3], // names
      ['ANTHROPIC/', 3], // externalIds
      ['acme/acme-1', 9], // externalIds acme/ACME-1 and -10…-19, but for 12 and 16 (none: i % 4 === 0)
      [one.toUpperCase(), 1], // an id
      [one.slice(0, 10).toLowerCase(), null],
      ['MODEL_', aModels.length],
      ['ÉCLAIR', 1], // non-ASCII letters are not folded…
      ['éclair', 1], // …so each matches only its own case
      ['laude', 0], // not a prefix
      ['promo 100%', 1], // % is literal
      ['snake_', 1], // _ is literal
      ['snake%', 0],
    ];
    for (const [prefix, count] of cases) {
      const found = await restAll(a.workspaceId, { prefix, limit: 7 }, a.adminKey);
      expect(ids(found), prefix).toEqual(ids(expected(starts(prefix))));
      if (count !== null) expect(found, prefix).toHaveLength(count);
    }
    expect(ids(await restAll(a.workspaceId, { prefix: one.toUpperCase() }, a.adminKey))).toEqual([one]);
  });

  it('query: free text, as GraphQL filter.search (ASCII case folded; % and _ literal)', async () => {
    const contains = (text: string) => (m: GraphQLModel) =>
      [m.metadata.name, m.spec.provider, m.spec.family].some((field) => foldAscii(field).includes(foldAscii(text)));
    for (const query of ['FLASH', 'mistral', 'Claude', 'gpt-5', 'acme-3', '100%', '%', '_', 'e_c', 'ÉCLAIR', 'no such model']) {
      const rest = await restAll(a.workspaceId, { query, limit: 9 }, a.adminKey);
      expect(ids(rest), query).toEqual(ids(expected(contains(query))));
      expect(ids(rest), `${query} (GraphQL search)`).toEqual(ids(await graphqlAll(a.workspaceId, a.adminKey, 'ASC', { search: query })));
    }
    expect(await restAll(a.workspaceId, { query: 'flash' }, a.adminKey)).toHaveLength(3);
  });

  it('sortOrder: asc (the default) and desc, by createdAt then id', async () => {
    const sorted = [...aModels].sort(byCreatedAtThenId);
    // The fixture has ties on createdAt (broken by id) and models before and after the catalog's.
    expect(new Set(aModels.map((m) => m.metadata.createdAt)).size).toBeLessThan(aModels.length - 5);
    const asc = await restAll(a.workspaceId, { limit: 100 }, a.adminKey);
    expect(ids(asc)).toEqual(sorted.map((m) => m.id));
    expect(ids(await restAll(a.workspaceId, { sortOrder: 'asc', limit: 13 }, a.adminKey))).toEqual(ids(asc));
    expect(ids(await restAll(a.workspaceId, { sortOrder: 'desc', limit: 13 }, a.adminKey))).toEqual(ids(asc).reverse());
  });

  it('filters together, paged with cursors', async () => {
    const keep = (m: GraphQLModel) => m.spec.status === ENABLED && m.spec.provider === 'acme' && m.metadata.bundleKey === 'bundle-b';
    for (const sortOrder of ['asc', 'desc'] as const) {
      const found = await restAll(a.workspaceId, { status: ENABLED, query: 'acme', bundleKey: 'bundle-b', sortOrder, limit: 2 }, a.adminKey);
      expect(ids(found)).toEqual(ids(expected(keep, sortOrder)));
      expect(found.length).toBeGreaterThan(2);
    }
  });

  it('unknown parameters are ignored', async () => {
    const plain = await call({ path: listPath(a.workspaceId, 'limit=5'), key: a.adminKey });
    const extraParams = await call({ path: listPath(a.workspaceId, 'limit=5&pageSize=1&page_token=x&orderBy=name&filter=status%3DX&foo'), key: a.adminKey });
    expect(extraParams.status).toBe(200);
    expect(extraParams.json.items).toEqual(plain.json.items);
    expect(extraParams.json.items).toHaveLength(5);
  });
});

describe('routes: status changes', () => {
  const revisionOf = async (id: string) => (await graphqlModel(id, w.adminKey)).metadata.revision;

  it('PUT …/status: 200 with the model after the change; the same status again changes nothing', async () => {
    const id = wModels[0]!;
    const before = await revisionOf(id);
    const disabled = await putStatus(w.workspaceId, id, w.adminKey, DISABLED);
    expect(disabled.status).toBe(200);
    expect(disabled.headers['content-type']).toMatch(/^application\/json\b/);
    expect(disabled.json.spec.status).toBe(DISABLED);
    const afterChange = await graphqlModel(id, w.adminKey);
    expect(afterChange.metadata.revision).toBe(before + 1);
    expect(disabled.text).toBe(jsonText(restFromGraphQL(afterChange)));
    expect((await call({ path: modelPath(w.workspaceId, id), key: w.adminKey })).text).toBe(disabled.text);

    const again = await putStatus(w.workspaceId, id, w.adminKey, DISABLED);
    expect(again.status).toBe(200);
    expect(again.text).toBe(disabled.text);
    expect(await revisionOf(id)).toBe(before + 1);

    const enabled = await putStatus(w.workspaceId, id, w.adminKey, ENABLED);
    expect(enabled.json.spec.status).toBe(ENABLED);
    expect(await revisionOf(id)).toBe(before + 2);
  });

  it('PUT …/status with a chunked body', async () => {
    const id = wModels[1]!;
    const reply = await call({
      method: 'PUT',
      path: statusPath(w.workspaceId, id),
      key: w.adminKey,
      headers: { 'content-type': 'application/json' },
      body: ['{"status":', '"MODEL_STATUS_DISABLED"', '}'],
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.spec.status).toBe(DISABLED);
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(DISABLED);
  });

  it(':enable and :disable with an empty body, with {} and without any body; the status it has changes nothing', async () => {
    const id = wModels[2]!;
    const before = await revisionOf(id);
    const steps: [verb: 'enable' | 'disable', body: string | undefined, status: string, revision: number][] = [
      ['disable', undefined, DISABLED, before + 1], // empty body, no content type
      ['disable', '{}', DISABLED, before + 1], // already disabled: nothing changes
      ['enable', '{}', ENABLED, before + 2],
      ['enable', undefined, ENABLED, before + 2],
      ['disable', ' {} ', DISABLED, before + 3],
    ];
    for (const [verb, body, status, revision] of steps) {
      const reply = await postVerb(w.workspaceId, id, w.adminKey, verb, body);
      expect(reply.status, `${verb} ${body}: ${reply.text}`).toBe(200);
      expect(reply.json.spec.status).toBe(status);
      const model = await graphqlModel(id, w.adminKey);
      expect(model.metadata.revision, `${verb} ${body}`).toBe(revision);
      expect(reply.text).toBe(jsonText(restFromGraphQL(model)));
    }
    // No body at all (no Content-Length, no Transfer-Encoding).
    const bare = await call({ method: 'POST', path: verbPath(w.workspaceId, id, 'enable'), key: w.adminKey });
    expect(bare.status, bare.text).toBe(200);
    expect(bare.json.spec.status).toBe(ENABLED);
  });

  it('a change through REST is what GraphQL and the list then show', async () => {
    const id = wModels[3]!;
    await postVerb(w.workspaceId, id, w.adminKey, 'disable');
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(DISABLED);
    const listed = await restAll(w.workspaceId, { status: DISABLED, limit: 100 }, w.adminKey);
    expect(ids(listed)).toContain(id);
    await postVerb(w.workspaceId, id, w.adminKey, 'enable');
    expect(ids(await restAll(w.workspaceId, { status: DISABLED, limit: 100 }, w.adminKey))).not.toContain(id);
  });
});

describe('parity with GraphQL', () => {
  it.each([
    [1, 'asc'],
    [7, 'asc'],
    [7, 'desc'],
    [50, 'asc'],
    [50, 'desc'],
    [100, 'asc'],
    [100, 'desc'],
    [1, 'desc'],
  ] as const)('limit %i, %s: the same models in the same pages, with the same values', async (limit, sortOrder) => {
    const rest = await restPages(a.workspaceId, { limit, sortOrder }, a.adminKey);
    const graphql = await graphqlPages(a.workspaceId, a.adminKey, limit, sortOrder === 'asc' ? 'ASC' : 'DESC');
    expect(rest.map((page) => page.items.map(jsonText))).toEqual(graphql.map((page) => page.map((model) => jsonText(restFromGraphQL(model)))));
    expect(rest.flatMap((page) => page.items)).toHaveLength(aModels.length);
  });

  it('each filter selects what the same GraphQL filter selects', async () => {
    const cases: [Record<string, string>, GraphQLFilter][] = [
      [{ status: DISABLED }, { status: DISABLED }],
      [{ status: ENABLED }, { status: ENABLED }],
      [{ bundleKey: 'bundle-b' }, { bundleKey: 'bundle-b' }],
      [{ labels: 'env=prod,tier=gold' }, { labels: [{ key: 'env', value: 'prod' }, { key: 'tier', value: 'gold' }] }],
      [{ query: 'GEMINI' }, { search: 'GEMINI' }],
      [{ query: 'acme', status: ENABLED, bundleKey: 'bundle-a' }, { search: 'acme', status: ENABLED, bundleKey: 'bundle-a' }],
    ];
    for (const [query, filter] of cases) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const rest = await restAll(a.workspaceId, { ...query, sortOrder: direction.toLowerCase(), limit: 5 }, a.adminKey);
        const graphql = await graphqlAll(a.workspaceId, a.adminKey, direction, filter);
        expect(rest.map(jsonText), JSON.stringify(query)).toEqual(graphql.map((model) => jsonText(restFromGraphQL(model))));
        expect(rest.length, JSON.stringify(query)).toBeGreaterThan(0);
      }
    }
  });

  it('a list page is one SQL statement; a model is one', async () => {
    const isKeyLookup = (text: string) => /from "api_keys"/.test(text);
    /** Statements of one request, the key lookup aside (the authenticator trusts a key 1 s). */
    const statementsOf = async (sent: Sent) => {
      const { sql: statements, result } = await t.countStatements(() => call(sent));
      expect(result.status, result.text).toBe(200);
      expect(statements.filter(isKeyLookup).length).toBeLessThanOrEqual(1);
      return statements.filter((text) => !isKeyLookup(text));
    };
    await call({ path: listPath(a.workspaceId, 'limit=1'), key: a.adminKey }); // warms the key
    const first = await call({ path: listPath(a.workspaceId, 'limit=5&sortOrder=desc'), key: a.adminKey });
    const cursor = encodeURIComponent(first.json.pagination.next_cursor);
    const pages = [
      listPath(a.workspaceId),
      listPath(a.workspaceId, 'limit=100'),
      listPath(a.workspaceId, `limit=5&sortOrder=desc&cursor=${cursor}`),
      listPath(a.workspaceId, 'status=MODEL_STATUS_ENABLED&labels=env%3Dprod&query=a&prefix=c&bundleKey=x&limit=3'),
      listPath(aSecond, 'limit=7'),
    ];
    for (const path of pages) expect(await statementsOf({ path, key: a.adminKey }), path).toHaveLength(1);
    expect(await statementsOf({ path: modelPath(a.workspaceId, extra[3]!), key: a.adminKey })).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------

describe('errors: 400 INVALID_ARGUMENT with a BadRequest naming the field', () => {
  const list = (query: string, key = a.adminKey) => call({ path: listPath(a.workspaceId, query), key });

  it.each(['0', '101', '-1', 'abc', '1.5', '', '5&limit=6'])('limit=%s', async (limit) => {
    expectRpcError(await list(`limit=${limit}`), 400, 3, 'limit');
  });

  it('a malformed cursor, or one made for other filters, another sortOrder, another workspace or GraphQL', async () => {
    const page = await list('limit=2&status=MODEL_STATUS_ENABLED');
    const cursor = page.json.pagination.next_cursor as string;
    const plain = (await list('limit=2')).json.pagination.next_cursor as string;
    const second = (await call({ path: listPath(aSecond, 'limit=2'), key: a.adminKey })).json.pagination.next_cursor as string;
    const graphqlCursor = (await gqlData(`query($w: ID!) { workspace(id: $w) { models(first: 2) { pageInfo { endCursor } } } }`, { w: a.workspaceId }, a.adminKey))
      .workspace.models.pageInfo.endCursor as string;
    const e = encodeURIComponent;
    const cases = [
      'cursor=garbage',
      `cursor=${e(cursor.slice(0, -3))}`,
      `cursor=${e(`${cursor}x`)}`,
      'cursor=%00',
      `cursor=${e(cursor)}`, // without its status filter
      `cursor=${e(cursor)}&status=MODEL_STATUS_DISABLED`,
      `cursor=${e(cursor)}&status=MODEL_STATUS_ENABLED&query=a`,
      `cursor=${e(cursor)}&status=MODEL_STATUS_ENABLED&sortOrder=desc`,
      `cursor=${e(plain)}&sortOrder=desc`,
      `cursor=${e(plain)}&labels=env%3Dprod`,
      `cursor=${e(plain)}&prefix=a`,
      `cursor=${e(plain)}&bundleKey=bundle-a`,
      `cursor=${e(second)}`, // made for another workspace of the account
      `cursor=${e(graphqlCursor)}`,
    ];
    for (const query of cases) expectRpcError(await list(query), 400, 3, 'cursor');
    // The same cursor with its own filters works.
    expect((await list(`cursor=${e(cursor)}&status=MODEL_STATUS_ENABLED&limit=2`)).status).toBe(200);
    expect((await list(`cursor=${e(plain)}&limit=9`)).status).toBe(200);
  });

  it('status and sortOrder must be one of their values', async () => {
    for (const status of ['bogus', 'ENABLED', 'model_status_enabled', '1']) expectRpcError(await list(`status=${status}`), 400, 3, 'status');
    for (const sortOrder of ['sideways', 'descending', 'up']) expectRpcError(await list(`sortOrder=${sortOrder}`), 400, 3, 'sortOrder');
  });

  it('labels must be key=value pairs, with valid and distinct keys', async () => {
    for (const labels of ['env', '%3Dprod', 'env%3Dprod%2C', '%2C', 'Bad%20Key%3Dx', 'a%3D1%2Ca%3D2', `${'k'.repeat(64)}%3Dv`]) {
      expectRpcError(await list(`labels=${labels}`), 400, 3, 'labels');
    }
  });

  it('text parameters with NUL characters, or too long', async () => {
    for (const field of ['prefix', 'query', 'bundleKey']) expectRpcError(await list(`${field}=a%00b`), 400, 3, field);
    expectRpcError(await list('labels=env%3Dpr%00od'), 400, 3, 'labels');
    expectRpcError(await list('labels=e%00nv%3Dprod'), 400, 3, 'labels');
    expectRpcError(await list('status=MODEL_STATUS_ENABLED%00'), 400, 3, 'status');
    expectRpcError(await list('sortOrder=asc%00'), 400, 3, 'sortOrder');
    expectRpcError(await list(`query=${'x'.repeat(201)}`), 400, 3, 'query');
  });

  it('PUT …/status: a body that is not a JSON object with a known status, or MODEL_STATUS_UNSPECIFIED, changes nothing', async () => {
    const id = wModels[4]!;
    const before = await graphqlModel(id, w.adminKey);
    const cases: [body: string, field: string][] = [
      ['', 'body'],
      ['not json', 'body'],
      ['{"status": "MODEL_STATUS_DISABLED"', 'body'],
      ['[]', 'body'],
      ['["MODEL_STATUS_DISABLED"]', 'body'],
      ['"MODEL_STATUS_DISABLED"', 'body'],
      ['null', 'body'],
      ['42', 'body'],
      ['{}', 'status'],
      ['{"state": "MODEL_STATUS_DISABLED"}', 'status'],
      ['{"status": null}', 'status'],
      ['{"status": 2}', 'status'],
      ['{"status": "DISABLED"}', 'status'],
      ['{"status": "model_status_disabled"}', 'status'],
      ['{"status": "MODEL_STATUS_UNSPECIFIED"}', 'status'],
      ['{"status": "MODEL_STATUS_DISABLED\\u0000"}', 'status'],
    ];
    for (const [body, field] of cases) {
      const reply = await call({ method: 'PUT', path: statusPath(w.workspaceId, id), key: w.adminKey, headers: { 'content-type': 'application/json' }, body });
      expectRpcError(reply, 400, 3, field);
    }
    expect(await graphqlModel(id, w.adminKey)).toEqual(before);
  });

  it(':enable and :disable with a body that is not a JSON object change nothing', async () => {
    const id = wModels[4]!;
    const before = await graphqlModel(id, w.adminKey);
    for (const body of ['[]', '"x"', 'nope', 'null', '1', 'true', '{', '{}{}']) {
      for (const verb of ['enable', 'disable'] as const) expectRpcError(await postVerb(w.workspaceId, id, w.adminKey, verb, body), 400, 3, 'body');
    }
    expect(await graphqlModel(id, w.adminKey)).toEqual(before);
  });
});

describe('errors: 401 UNAUTHENTICATED', () => {
  /** One request per route; `workspaceId`/`id` default to A's. */
  const everyRoute = (key: string | null, headers: Record<string, string> = {}, workspaceId = a.workspaceId, id = catalog[5]!) => [
    call({ path: listPath(workspaceId), key, headers }),
    call({ path: modelPath(workspaceId, id), key, headers }),
    call({ method: 'PUT', path: statusPath(workspaceId, id), key, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ status: DISABLED }) }),
    call({ method: 'POST', path: verbPath(workspaceId, id, 'enable'), key, headers, body: '' }),
    call({ method: 'POST', path: verbPath(workspaceId, id, 'disable'), key, headers, body: '{}' }),
  ];

  it('without a key, with a malformed or wrong one, with another scheme — before anything else, and nothing changes', async () => {
    const [keyId] = a.adminKey.split('.');
    const cases: [string | null, Record<string, string>][] = [
      [null, {}],
      ['nonsense', {}],
      [`${keyId}.${'A'.repeat(43)}`, {}], // a real key id with a wrong secret
      [null, { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }],
      [null, { authorization: a.adminKey }], // no scheme
      [null, { authorization: 'Bearer' }],
    ];
    for (const [key, headers] of cases) {
      for (const reply of await Promise.all(everyRoute(key, headers))) expectRpcError(reply, 401, 16);
      // Unknown ids too: 401 says nothing about them.
      for (const reply of await Promise.all(everyRoute(key, headers, 'ws_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'model_01ARZ3NDEKTSV4RRFFQ69G5FAV'))) expectRpcError(reply, 401, 16);
    }
    expect((await graphqlModel(catalog[5]!, a.adminKey)).spec.status).toBe(ENABLED);
  });

  it('with a revoked key, within a second of the revocation', async () => {
    const issued = unwrap(await createApiKey(t.db, { accountId: a.accountId, role: 'ADMIN' }));
    expect((await call({ path: listPath(a.workspaceId, 'limit=1'), key: issued.apiKey })).status).toBe(200);
    unwrap(await revokeApiKey(t.db, issued.apiKeyId));
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    for (const reply of await Promise.all(everyRoute(issued.apiKey))) expectRpcError(reply, 401, 16);
    expect((await graphqlModel(catalog[5]!, a.adminKey)).spec.status).toBe(ENABLED);
  });
});

describe('errors: 403 PERMISSION_DENIED for a reader changing a status', () => {
  it('PUT, :enable and :disable on its own model are 403 and change nothing', async () => {
    const id = wModels[5]!;
    const before = await graphqlModel(id, w.adminKey);
    const replies = [
      await putStatus(w.workspaceId, id, w.readerKey, DISABLED),
      await putStatus(w.workspaceId, id, w.readerKey, ENABLED), // even the status it has
      await postVerb(w.workspaceId, id, w.readerKey, 'disable'),
      await postVerb(w.workspaceId, id, w.readerKey, 'disable', '{}'),
      await postVerb(w.workspaceId, id, w.readerKey, 'enable'),
    ];
    for (const reply of replies) expectRpcError(reply, 403, 7);
    expect(await graphqlModel(id, w.adminKey)).toEqual(before);
    // It reads, though.
    expect((await call({ path: modelPath(w.workspaceId, id), key: w.readerKey })).status).toBe(200);
    expect((await call({ path: listPath(w.workspaceId), key: w.readerKey })).status).toBe(200);
  });
});

describe('errors: 404 NOT_FOUND, never 403, for ids that are unknown, malformed, foreign or of another workspace', () => {
  const UNKNOWN_WS = 'ws_01ARZ3NDEKTSV4RRFFQ69G5FAV';
  const UNKNOWN_MODEL = 'model_01ARZ3NDEKTSV4RRFFQ69G5FAV';

  it('the list of a workspace that is unknown, malformed, of another type or another account’s', async () => {
    for (const key of [a.adminKey, a.readerKey]) {
      for (const workspaceId of [UNKNOWN_WS, 'nope', 'ws_123', catalog[0]!, a.accountId, b.workspaceId, encodeURIComponent(`${a.workspaceId}\0`)]) {
        expectRpcError(await call({ path: listPath(workspaceId), key }), 404, 5);
        expectRpcError(await call({ path: listPath(workspaceId, 'limit=1&status=MODEL_STATUS_ENABLED'), key }), 404, 5);
      }
    }
    // The foreign workspace's answer is the unknown one's, byte for byte.
    const foreign = await call({ path: listPath(b.workspaceId), key: a.adminKey });
    const unknown = await call({ path: listPath(UNKNOWN_WS), key: a.adminKey });
    expect(foreign.text).toBe(unknown.text);
  });

  it('a model on every route, for an admin and a reader, and nothing changes', async () => {
    const bBefore = await graphqlModel(bModel, b.adminKey);
    const secondBefore = await graphqlModel(aSecondModel, a.adminKey);
    const pairs: [what: string, workspaceId: string, id: string][] = [
      ['unknown model', a.workspaceId, UNKNOWN_MODEL],
      ['malformed model', a.workspaceId, 'nope'],
      ['malformed model with a NUL', a.workspaceId, `${catalog[0]!}%00`],
      ['a workspace id as model id', a.workspaceId, aSecond],
      ['another account’s model', a.workspaceId, bModel],
      ['another account’s model in its workspace', b.workspaceId, bModel],
      ['another account’s workspace', b.workspaceId, catalog[0]!],
      ['a model of the account’s other workspace', a.workspaceId, aSecondModel],
      ['a model under the account’s other workspace', aSecond, catalog[0]!],
      ['unknown workspace', UNKNOWN_WS, catalog[0]!],
      ['malformed workspace', 'nope', catalog[0]!],
    ];
    const notFound: Reply[] = [];
    const otherwise: string[] = [];
    for (const key of [a.adminKey, a.readerKey]) {
      for (const [what, workspaceId, id] of pairs) {
        const replies = [
          await call({ path: modelPath(workspaceId, id), key }),
          await putStatus(workspaceId, id, key, DISABLED),
          await postVerb(workspaceId, id, key, 'disable'),
          await postVerb(workspaceId, id, key, 'enable', '{}'),
        ];
        for (const reply of replies) {
          if (reply.status === 404) notFound.push(reply);
          else otherwise.push(`${what}${key === a.readerKey ? ' (reader)' : ''}: ${reply.method} ${reply.path} → ${reply.status} ${reply.text}`);
        }
      }
    }
    expect(otherwise).toEqual([]);
    for (const reply of notFound) expectRpcError(reply, 404, 5);
    expect(await graphqlModel(bModel, b.adminKey)).toEqual(bBefore);
    expect(await graphqlModel(aSecondModel, a.adminKey)).toEqual(secondBefore);
    // A foreign model's answer is an unknown one's, byte for byte.
    const foreign = await call({ path: modelPath(a.workspaceId, bModel), key: a.adminKey });
    const unknown = await call({ path: modelPath(a.workspaceId, UNKNOWN_MODEL), key: a.adminKey });
    expect(foreign.text).toBe(unknown.text);
  });
});

describe('errors: 404 for a model id with an (encoded) colon', () => {
  it('GET …/models/x%3Aenable is an unknown model, not a wrong method', async () => {
    // The id is "x:enable": malformed, so 404 like any other; it is not the :enable route (that is a literal colon).
    for (const id of ['x%3Aenable', `${catalog[0]!}%3Aenable`, 'x%3Afoo']) {
      expectRpcError(await call({ path: modelPath(a.workspaceId, id), key: a.adminKey }), 404, 5);
    }
  });
});

describe('errors: 405 UNIMPLEMENTED for a wrong method, with Allow', () => {
  it.each([
    ['DELETE', 'model', 'GET'],
    ['PUT', 'model', 'GET'],
    ['POST', 'model', 'GET'],
    ['POST', 'list', 'GET'],
    ['DELETE', 'list', 'GET'],
    ['GET', 'enable', 'POST'],
    ['PUT', 'disable', 'POST'],
    ['GET', 'status', 'PUT'],
    ['PATCH', 'status', 'PUT'],
  ] as const)('%s on the %s path: Allow %s', async (method, route, allow) => {
    const id = catalog[6]!;
    const path = {
      model: modelPath(a.workspaceId, id),
      list: listPath(a.workspaceId),
      enable: verbPath(a.workspaceId, id, 'enable'),
      disable: verbPath(a.workspaceId, id, 'disable'),
      status: statusPath(a.workspaceId, id),
    }[route];
    const reply = await call({ method, path, key: a.adminKey, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }) });
    expectRpcError(reply, 405, 12);
    expect(reply.headers.allow).toBe(allow);
    expect((await graphqlModel(id, a.adminKey)).spec.status).toBe(ENABLED);
  });
});

describe('errors: 413 for a body over the limit', () => {
  let small: string;
  beforeAll(async () => {
    small = await serve(createApp({ db: t.db, limits: { ...defaultLimits, bodyBytes: 1024 } }).listener);
  });
  const big = JSON.stringify({ status: DISABLED, padding: 'x'.repeat(2_000) });

  it('with a Content-Length and chunked, on every route; nothing changes and the server answers on', async () => {
    const id = wModels[6]!;
    const json = { 'content-type': 'application/json' };
    const chunks = [big.slice(0, 500), big.slice(500, 1_000), big.slice(1_000, 1_500), big.slice(1_500)];
    const replies = [
      await send(small, { method: 'PUT', path: statusPath(w.workspaceId, id), key: w.adminKey, headers: json, body: big }),
      await send(small, { method: 'PUT', path: statusPath(w.workspaceId, id), key: w.adminKey, headers: json, body: chunks }),
      await send(small, { method: 'POST', path: verbPath(w.workspaceId, id, 'disable'), key: w.adminKey, headers: json, body: big }),
      await send(small, { method: 'POST', path: verbPath(w.workspaceId, id, 'enable'), key: w.adminKey, headers: json, body: chunks }),
      await send(small, { path: listPath(w.workspaceId), key: w.adminKey, headers: json, body: big }),
      await send(small, { path: modelPath(w.workspaceId, id), key: w.adminKey, headers: json, body: chunks }),
    ];
    for (const reply of replies) {
      expect(reply.status, `${reply.method} ${reply.path}`).toBe(413);
      expectRpcError(reply, 413, reply.json?.code);
      expect(reply.json.code).toBeTypeOf('number');
    }
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(ENABLED);
    // Within the limit, chunked or not, the same server changes the status.
    const padded = `{"status":"MODEL_STATUS_DISABLED"}${' '.repeat(900)}`;
    const within = await send(small, { method: 'PUT', path: statusPath(w.workspaceId, id), key: w.adminKey, headers: json, body: [padded.slice(0, 500), padded.slice(500)] });
    expect(within.status, within.text).toBe(200);
    expect(within.json.spec.status).toBe(DISABLED);
    expect((await send(small, { method: 'POST', path: verbPath(w.workspaceId, id, 'enable'), key: w.adminKey, body: '' })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------
// OpenAPI

/** The contract's five routes: method, OpenAPI path, and a request path matcher. */
const ROUTES = [
  { operationId: 'ListModels', method: 'get', path: '/v1/workspaces/{workspaceId}/models', pattern: /^\/v1\/workspaces\/[^/]+\/models$/ },
  { operationId: 'GetModel', method: 'get', path: '/v1/workspaces/{workspaceId}/models/{id}', pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/:]+$/ },
  { operationId: 'SetModelStatus', method: 'put', path: '/v1/workspaces/{workspaceId}/models/{id}/status', pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+\/status$/ },
  { operationId: 'EnableModel', method: 'post', path: '/v1/workspaces/{workspaceId}/models/{id}:enable', pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+:enable$/ },
  { operationId: 'DisableModel', method: 'post', path: '/v1/workspaces/{workspaceId}/models/{id}:disable', pattern: /^\/v1\/workspaces\/[^/]+\/models\/[^/]+:disable$/ },
] as const;
const routeOf = (path: string) => ROUTES.find((route) => route.pattern.test(path.split('?')[0]!));

let openapi: any;
const loadOpenApi = async () => {
  if (openapi) return openapi;
  const reply = await call({ path: '/openapi.json' });
  expect(reply.status).toBe(200);
  return (openapi = reply.json);
};
const operationOf = (operationId: string) => {
  for (const item of Object.values<Record<string, any>>(openapi.paths)) for (const operation of Object.values<any>(item)) if (operation.operationId === operationId) return operation;
  throw new Error(`no operation ${operationId} in /openapi.json`);
};
const operations = () =>
  Object.entries<Record<string, any>>(openapi.paths).flatMap(([path, item]) => Object.entries<any>(item).map(([method, operation]) => ({ path, method, operation })));

describe('OpenAPI: /openapi.json', () => {
  beforeAll(loadOpenApi);

  it('is served without a key as JSON, and is a valid OpenAPI 3.1 document', async () => {
    const reply = await call({ path: '/openapi.json' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json\b/);
    expect(openapi.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(openapi);
    expect(result.valid, JSON.stringify(result.errors, null, 1)).toBe(true);
  });

  it('declares exactly the five routes, each with its method, operationId and path parameters', () => {
    expect(Object.keys(openapi.paths).sort()).toEqual(ROUTES.map((route) => route.path).sort());
    for (const route of ROUTES) {
      const item = openapi.paths[route.path] ?? {};
      expect(Object.keys(item), route.path).toEqual([route.method]);
      expect(item[route.method]?.operationId, route.path).toBe(route.operationId);
      const pathParameters = (item[route.method]?.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
      expect(pathParameters.sort(), route.path).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
    }
  });

  it('gives every operation and every parameter a description (the Parameter Object’s own: what Swagger UI and generators show)', () => {
    const missing: string[] = [];
    for (const { path, method, operation } of operations()) {
      if (!operation.description && !operation.summary) missing.push(`${method.toUpperCase()} ${path}`);
      for (const parameter of operation.parameters ?? []) {
        if (typeof parameter.description !== 'string' || parameter.description.trim() === '') missing.push(`${operation.operationId} ${parameter.in} parameter ${parameter.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes every property of every schema', () => {
    const missing = new Set<string>();
    const visit = (schema: any, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      for (const [name, property] of Object.entries<any>(schema.properties ?? {})) {
        if (typeof property?.description !== 'string' || property.description.trim() === '') missing.add(`${where}.${name}`);
        visit(property, `${where}.${name}`);
      }
      for (const key of ['items', 'additionalProperties']) if (typeof schema[key] === 'object') visit(schema[key], `${where}[]`);
      for (const key of ['anyOf', 'oneOf', 'allOf']) (schema[key] ?? []).forEach((s: unknown, i: number) => visit(s, `${where}<${i}>`));
      for (const [pattern, s] of Object.entries<any>(schema.patternProperties ?? {})) visit(s, `${where}{${pattern}}`);
    };
    // Named by the schema's title where it has one: the same schema in many responses is one entry.
    for (const { operation } of operations()) {
      for (const media of Object.values<any>(operation.requestBody?.content ?? {})) visit(media.schema, `${operation.operationId} body`);
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        for (const media of Object.values<any>(response.content ?? {})) visit(media.schema, media.schema?.title ?? `${operation.operationId} ${status}`);
      }
    }
    for (const [name, schema] of Object.entries<any>(openapi.components?.schemas ?? {})) visit(schema, name);
    expect([...missing]).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe('/docs: a self-hosted API reference', () => {
  it('is HTML whose every src and href is a same-origin path that answers 200 with its type; nothing names another host', async () => {
    const page = await call({ path: '/docs' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html\b/);
    expect(page.text).not.toMatch(/https?:\/\//i);
    expect(page.text).not.toMatch(/(src|href)\s*=\s*["']?\/\//i);
    const references = [...page.text.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThanOrEqual(3);
    const types: [RegExp, RegExp][] = [
      [/\.css$/, /^text\/css\b/],
      [/\.js$/, /^(text|application)\/javascript\b/],
      [/\.png$/, /^image\/png$/],
    ];
    for (const reference of references) {
      expect(reference, reference).toMatch(/^\/[^/]/);
      const asset = await call({ path: reference });
      expect(asset.status, reference).toBe(200);
      const expectedType = types.find(([extension]) => extension.test(reference));
      expect(expectedType, `${reference}: a known kind of asset`).toBeDefined();
      expect(asset.headers['content-type'], reference).toMatch(expectedType![1]);
      expect(asset.text.length, reference).toBeGreaterThan(0);
    }
    // The scripts the page runs: Swagger UI's bundle, and an init script that loads this server's document.
    const scripts = references.filter((reference) => reference.endsWith('.js'));
    expect(scripts.some((script) => /swagger-ui-bundle\.js$/.test(script))).toBe(true);
    const inline = [...page.text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('\n');
    const own = await Promise.all(scripts.filter((script) => !/swagger-ui-bundle/.test(script)).map((script) => call({ path: script })));
    const init = own.map((reply) => reply.text).join('\n') + inline;
    expect(init).toMatch(/SwaggerUIBundle/);
    expect(init).not.toMatch(/https?:\/\//i);
    const documentUrl = /url\s*:\s*['"]([^'"]+)['"]/.exec(init)?.[1];
    expect(documentUrl).toBe('/openapi.json');
    expect((await call({ path: documentUrl! })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------

describe('a client generated from the original API works unchanged', () => {
  const sdkFor = async (key: string | null) => createSdk((await call({ path: '/openapi.json' })).json, base, key);

  it('knows the five operations', async () => {
    expect((await sdkFor(null)).operationIds.sort()).toEqual(ROUTES.map((route) => route.operationId).sort());
  });

  it.each([1, 3, 100])('lists every model with auto-pagination, limit %i', async (limit) => {
    const sdk = await sdkFor(a.readerKey);
    const { items, pages } = await sdk.listAll(a.workspaceId, { limit });
    expect(items.map(jsonText)).toEqual(aModels.map((model) => jsonText(restFromGraphQL(model))));
    expect(pages).toBe(Math.ceil(aModels.length / limit));
  });

  it('lists with each filter and both sort orders', async () => {
    const sdk = await sdkFor(a.adminKey);
    const cases: [Record<string, string>, (m: GraphQLModel) => boolean][] = [
      [{ status: DISABLED }, (m) => m.spec.status === DISABLED],
      [{ status: UNSPECIFIED }, () => true],
      [{ bundleKey: 'bundle-a' }, (m) => m.metadata.bundleKey === 'bundle-a'],
      [{ labels: 'env=prod' }, (m) => m.metadata.labels.some((l) => l.key === 'env' && l.value === 'prod')],
      [{ prefix: 'Gemini' }, (m) => [m.metadata.name, m.metadata.externalId ?? '', m.id].some((s) => foldAscii(s).startsWith('gemini'))],
      [{ query: 'FLASH' }, (m) => [m.metadata.name, m.spec.provider, m.spec.family].some((s) => foldAscii(s).includes('flash'))],
    ];
    for (const [query, keep] of cases) {
      for (const sortOrder of ['asc', 'desc'] as const) {
        const { items } = await sdk.listAll(a.workspaceId, { ...query, sortOrder, limit: 3 });
        expect(ids(items), `${JSON.stringify(query)} ${sortOrder}`).toEqual(ids(expected(keep, sortOrder)));
        expect(items.length).toBeGreaterThan(0);
      }
    }
  });

  it('gets a model and sets its status with PUT …/status', async () => {
    const sdk = await sdkFor(w.adminKey);
    const id = wModels[8]!;
    const model = await sdk.call<RestModel>('GetModel', { workspaceId: w.workspaceId, id });
    expect(jsonText(model)).toBe(jsonText(restFromGraphQL(await graphqlModel(id, w.adminKey))));
    expect((await sdk.call<RestModel>('SetModelStatus', { workspaceId: w.workspaceId, id }, { status: DISABLED })).spec.status).toBe(DISABLED);
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(DISABLED);
    expect((await sdk.call<RestModel>('SetModelStatus', { workspaceId: w.workspaceId, id }, { status: ENABLED })).spec.status).toBe(ENABLED);
  });

  it('enables and disables with :enable and :disable', async () => {
    const sdk = await sdkFor(w.adminKey);
    const id = wModels[8]!;
    expect((await sdk.call<RestModel>('DisableModel', { workspaceId: w.workspaceId, id })).spec.status).toBe(DISABLED);
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(DISABLED);
    expect((await sdk.call<RestModel>('EnableModel', { workspaceId: w.workspaceId, id })).spec.status).toBe(ENABLED);
    expect((await graphqlModel(id, w.adminKey)).spec.status).toBe(ENABLED);
  });

  it('maps errors to classes: 404 (never 403) for foreign and unknown ids, 401, 403 for a reader, 400 for bad input', async () => {
    const admin = await sdkFor(w.adminKey);
    const reader = await sdkFor(w.readerKey);
    const anonymous = await sdkFor(null);
    const own = { workspaceId: w.workspaceId, id: wModels[9]! };
    for (const sdk of [admin, reader]) {
      await expect(sdk.call('GetModel', { workspaceId: w.workspaceId, id: bModel })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('GetModel', { workspaceId: b.workspaceId, id: bModel })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('GetModel', { workspaceId: w.workspaceId, id: 'model_01ARZ3NDEKTSV4RRFFQ69G5FAV' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('ListModels', { workspaceId: b.workspaceId })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('SetModelStatus', { workspaceId: b.workspaceId, id: bModel }, { status: DISABLED })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('SetModelStatus', { workspaceId: w.workspaceId, id: bModel }, { status: DISABLED })).rejects.toBeInstanceOf(NotFoundError);
      await expect(sdk.call('ListModels', { workspaceId: w.workspaceId, limit: 0 })).rejects.toBeInstanceOf(BadRequestError);
      await expect(sdk.call('ListModels', { workspaceId: w.workspaceId, cursor: 'nope' })).rejects.toBeInstanceOf(BadRequestError);
    }
    await expect(anonymous.call('ListModels', { workspaceId: w.workspaceId })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(anonymous.call('GetModel', own)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(anonymous.call('SetModelStatus', own, { status: DISABLED })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(reader.call('SetModelStatus', own, { status: DISABLED })).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(admin.call('SetModelStatus', own, { status: UNSPECIFIED })).rejects.toBeInstanceOf(BadRequestError);
    await expect(admin.call('SetModelStatus', own, {})).rejects.toBeInstanceOf(BadRequestError);
    expect((await graphqlModel(own.id, w.adminKey)).spec.status).toBe(ENABLED);
  });

  it('maps :enable and :disable errors the same way', async () => {
    const admin = await sdkFor(w.adminKey);
    const reader = await sdkFor(w.readerKey);
    const anonymous = await sdkFor(null);
    const own = { workspaceId: w.workspaceId, id: wModels[9]! };
    for (const verb of ['EnableModel', 'DisableModel']) {
      await expect(admin.call(verb, { workspaceId: w.workspaceId, id: bModel })).rejects.toBeInstanceOf(NotFoundError);
      await expect(reader.call(verb, { workspaceId: b.workspaceId, id: bModel })).rejects.toBeInstanceOf(NotFoundError);
      await expect(reader.call(verb, own)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(anonymous.call(verb, own)).rejects.toBeInstanceOf(UnauthenticatedError);
    }
    expect((await graphqlModel(own.id, w.adminKey)).spec.status).toBe(ENABLED);
  });
});

// ---------------------------------------------------------------------------
// Last: a database that goes away. On PGlite it is this file's own database
// (private to the file), so nothing may use it afterwards; on PostgreSQL the
// database is shared with the other files, so a scratch one is made for this.

interface Outage {
  /** Each route's answer while the database's models table is missing (a server-side failure). */
  broken: Reply[];
  /** Each route's answer once the database handle is closed. */
  gone: Reply[];
  /** What the same server answers afterwards. */
  after: Reply[];
}

/** Memoized: the OpenAPI test and the outage test read the same answers. */
let outage: Promise<Outage> | undefined;
const runOutage = () => (outage ??= outageOnce());

interface Victim {
  base: string;
  db: DatabaseHandle['db'];
  key: string;
  workspaceId: string;
  modelId: string;
  close(): Promise<void>;
  drop(): Promise<void>;
}

/** A scratch database on the PostgreSQL server, with an account, a workspace and an app of its own. */
async function scratchPostgres(url: string): Promise<Victim> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const name = `rest_outage_${process.pid}_${Date.now()}`;
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const server = postgres(admin.href, { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${name}"`);
  const handle = await openDatabase({ kind: 'postgres', url: scratch.href });
  const account = unwrap(await createAccount(handle.db, { name: 'Outage' }));
  const { workspace } = unwrap(await createWorkspace(handle.db, { accountId: account.accountId, profileId: account.profileId, name: 'Outage' }));
  const [model] = await handle.db.select({ id: models.id }).from(models).where(eq(models.workspaceId, workspace.id)).limit(1);
  let closed = false;
  return {
    base: await serve(createApp({ db: handle.db }).listener),
    db: handle.db,
    key: account.apiKey,
    workspaceId: workspace.id,
    modelId: model!.id,
    close: async () => {
      closed = true;
      await handle.close();
    },
    async drop() {
      if (!closed) await handle.close();
      await server.unsafe(`drop database if exists "${name}" with (force)`);
      await server.end({ timeout: 5 });
    },
  };
}

async function outageOnce(): Promise<Outage> {
  const target = testTarget();
  const victim: Victim =
    target.kind === 'postgres'
      ? await scratchPostgres(target.url)
      : { base, db: t.db, key: w.adminKey, workspaceId: w.workspaceId, modelId: wModels[10]!, close: () => t.close(), drop: async () => {} };
  try {
    const { key, workspaceId, modelId } = victim;
    const to = (sent: Sent) => send(victim.base, sent);
    const everyRoute = async () => [
      await to({ path: listPath(workspaceId), key }),
      await to({ path: modelPath(workspaceId, modelId), key }),
      await to({ method: 'PUT', path: statusPath(workspaceId, modelId), key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: DISABLED }) }),
      await to({ method: 'POST', path: verbPath(workspaceId, modelId, 'enable'), key, body: '' }),
      await to({ method: 'POST', path: verbPath(workspaceId, modelId, 'disable'), key, body: '{}' }),
    ];
    expect((await to({ path: listPath(workspaceId), key })).status).toBe(200);
    await victim.db.execute(sql`alter table models rename to models_gone`);
    const broken = await everyRoute();
    await victim.close();
    const gone = await everyRoute();
    const after = [await to({ path: '/health' }), await to({ path: '/openapi.json' }), await to({ path: '/docs' })];
    return { broken, gone, after };
  } finally {
    await victim.drop();
  }
}

describe('OpenAPI: every status an operation declares is one the server answers to it', () => {
  it('one request per declared status (the masked ones from the outage below)', async () => {
    await loadOpenApi();
    const small = await serve(createApp({ db: t.db, limits: { ...defaultLimits, bodyBytes: 1024 } }).listener);
    const id = wModels[7]!;
    const big = JSON.stringify({ status: DISABLED, padding: 'x'.repeat(2_000) });
    const json = { 'content-type': 'application/json' };
    /** For each operation, the request that makes the server answer each status. */
    const drivers: Record<string, Record<string, () => Promise<Reply>>> = {
      ListModels: {
        200: () => call({ path: listPath(w.workspaceId), key: w.readerKey }),
        400: () => call({ path: listPath(w.workspaceId, 'limit=0'), key: w.readerKey }),
        401: () => call({ path: listPath(w.workspaceId) }),
        404: () => call({ path: listPath(b.workspaceId), key: w.readerKey }),
        405: () => call({ method: 'POST', path: listPath(w.workspaceId), key: w.adminKey }),
        413: () => send(small, { path: listPath(w.workspaceId), key: w.readerKey, headers: json, body: big }),
      },
      GetModel: {
        200: () => call({ path: modelPath(w.workspaceId, id), key: w.readerKey }),
        401: () => call({ path: modelPath(w.workspaceId, id) }),
        404: () => call({ path: modelPath(w.workspaceId, bModel), key: w.readerKey }),
        405: () => call({ method: 'DELETE', path: modelPath(w.workspaceId, id), key: w.adminKey }),
        413: () => send(small, { path: modelPath(w.workspaceId, id), key: w.readerKey, headers: json, body: big }),
      },
      SetModelStatus: {
        200: () => putStatus(w.workspaceId, id, w.adminKey, ENABLED),
        400: () => putStatus(w.workspaceId, id, w.adminKey, UNSPECIFIED),
        401: () => putStatus(w.workspaceId, id, null, ENABLED),
        403: () => putStatus(w.workspaceId, id, w.readerKey, ENABLED),
        404: () => putStatus(w.workspaceId, bModel, w.adminKey, ENABLED),
        405: () => call({ method: 'GET', path: statusPath(w.workspaceId, id), key: w.adminKey }),
        413: () => send(small, { method: 'PUT', path: statusPath(w.workspaceId, id), key: w.adminKey, headers: json, body: big }),
      },
    };
    for (const verb of ['enable', 'disable'] as const) {
      drivers[verb === 'enable' ? 'EnableModel' : 'DisableModel'] = {
        200: () => postVerb(w.workspaceId, id, w.adminKey, verb),
        400: () => postVerb(w.workspaceId, id, w.adminKey, verb, '[]'),
        401: () => postVerb(w.workspaceId, id, null, verb),
        403: () => postVerb(w.workspaceId, id, w.readerKey, verb),
        404: () => postVerb(w.workspaceId, bModel, w.adminKey, verb),
        405: () => call({ method: 'GET', path: verbPath(w.workspaceId, id, verb), key: w.adminKey }),
        413: () => send(small, { method: 'POST', path: verbPath(w.workspaceId, id, verb), key: w.adminKey, headers: json, body: big }),
      };
    }
    const unanswered: string[] = [];
    const masked: [operationId: string, status: string][] = [];
    for (const route of ROUTES) {
      const operation = operationOf(route.operationId);
      const declared = Object.keys(operation.responses);
      for (const status of declared) {
        const drive = drivers[route.operationId]![status];
        if (!drive) {
          masked.push([route.operationId, status]);
          continue;
        }
        const reply = await drive();
        if (String(reply.status) !== status) unanswered.push(`${route.operationId} ${status} (${reply.method} ${reply.path} → ${reply.status})`);
      }
      // What the drivers make the server answer is declared.
      for (const status of Object.keys(drivers[route.operationId]!)) expect(declared, route.operationId).toContain(status);
    }
    // The statuses no request of a well database makes: the outage's (it closes this file's PGlite, so it comes last).
    const { broken, gone } = await runOutage();
    for (const [operationId, status] of masked) {
      const route = ROUTES.find((r) => r.operationId === operationId)!;
      if (![...broken, ...gone].some((reply) => routeOf(reply.path) === route && String(reply.status) === status)) {
        unanswered.push(`${operationId} ${status} (no request known that the server answers so)`);
      }
    }
    expect(unanswered, 'declared, but never answered').toEqual([]);
  });
});

describe('errors: a database that has gone away', () => {
  it('a failing statement is a masked 500/13, a closed database a masked 503/14 (or 500/13), with the request id; the server answers on', async () => {
    const { broken, gone, after } = await runOutage();
    for (const reply of broken) {
      expect(reply.status, `${reply.method} ${reply.path}: ${reply.text}`).toBe(500);
      expectMasked(reply);
    }
    for (const reply of gone) expectMasked(reply);
    expect(gone.filter((reply) => reply.status === 503).length, 'a closed database is UNAVAILABLE').toBeGreaterThan(0);
    for (const reply of after) expect(reply.status, reply.path).toBe(200);
  });
});

// Last of all: it reads what every test above was answered.
describe('OpenAPI: every status answered in this file is declared', () => {
  it('for the operation of the path it was answered on', async () => {
    await loadOpenApi();
    const undeclared = new Set<string>();
    let checked = 0;
    for (const reply of answered) {
      const route = routeOf(reply.path);
      if (!route) continue;
      checked++;
      if (!(String(reply.status) in operationOf(route.operationId).responses)) undeclared.add(`${route.operationId} ${reply.status} (${reply.method} ${reply.path})`);
    }
    expect(checked).toBeGreaterThan(100);
    expect([...undeclared]).toEqual([]);
  });
});
