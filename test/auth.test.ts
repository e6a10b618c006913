import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../src/domain/auth.ts';
import { newId } from '../src/db/ids.ts';
import { setupTestApp, unwrap, type GraphQLResponse, type Tenant } from './helpers.ts';

const app = await setupTestApp();

/** What no response may ever reveal: stacks, SQL, driver messages. */
const LEAKS = /stack|failed query|select |postgres/i;

/**
 * Sends an operation with an Authorization header given verbatim (null: none),
 * and checks that the body leaks nothing, whatever the test is about.
 */
async function send(
  query: string,
  { authorization = null, variables }: { authorization?: string | null; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResponse> {
  const response = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  expect(text).not.toMatch(LEAKS);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

const bearer = (key: string) => `Bearer ${key}`;

function expectUnauthenticated(res: GraphQLResponse) {
  expect(res.status).toBe(401);
  expect(res.body.data ?? null).toBeNull();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
}

function expectRequestIdMatchesHeader(res: GraphQLResponse) {
  const header = res.headers.get('x-request-id');
  expect(header).toBeTruthy();
  expect(res.body.errors?.length).toBeGreaterThan(0);
  for (const error of res.body.errors!) expect(error.extensions?.requestId).toBe(header);
}

let t: Tenant;
let modelId: string;

beforeAll(async () => {
  t = await app.tenant('Auth');
  const res = await send(
    /* GraphQL */ `query FirstModel($id: ID!) { workspace(id: $id) { models(first: 1) { nodes { id } } } }`,
    { authorization: bearer(t.adminKey), variables: { id: t.workspaceId } },
  );
  modelId = res.body.data.workspace.models.nodes[0].id;
});

describe('without valid credentials', () => {
  const operations: [string, string, Record<string, unknown>?][] = [
    ['a query', /* GraphQL */ `query Me { viewer { accountId } }`],
    ['__typename mixed with a real field', /* GraphQL */ `query Mixed { __typename viewer { role } }`],
    ['a real field behind an introspection field', /* GraphQL */ `query SchemaAndWorkspaces { __schema { queryType { name } } workspaces { totalCount } }`],
    ['a real field inside a fragment', /* GraphQL */ `query ViaFragment { ...Root } fragment Root on Query { __typename viewer { role } }`],
    [
      'a mutation',
      /* GraphQL */ `mutation Disable($id: ID!) { setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { id } } }`,
    ],
  ];

  // Each returns an Authorization header value, or null for none.
  const credentials: [string, () => Promise<string | null>][] = [
    ['no Authorization header', async () => null],
    ['"Bearer" alone', async () => 'Bearer'],
    ['"Basic x"', async () => 'Basic x'],
    ['"Bearer garbage"', async () => 'Bearer garbage'],
    ['the key without "Bearer"', async () => t.adminKey],
    ['a well-formed unknown key', async () => bearer(`${newId('ApiKey')}.${'A'.repeat(43)}`)],
    [
      'a known key id with a wrong secret',
      async () => {
        const [id, secret] = t.adminKey.split('.') as [string, string];
        const wrong = secret.startsWith('A') ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;
        return bearer(`${id}.${wrong}`);
      },
    ],
    [
      'a revoked key',
      async () => {
        const key = unwrap(await createApiKey(app.db, { accountId: t.accountId, role: 'ADMIN' }));
        const before = await send(/* GraphQL */ `query BeforeRevoke { viewer { role } }`, { authorization: bearer(key.apiKey) });
        expect(before.body.data.viewer.role).toBe('ADMIN');
        unwrap(await revokeApiKey(app.db, key.apiKeyId));
        // The contract lets a revocation take up to one second to reach every
        // process (verified keys are trusted that long): it must not take longer.
        const revokedAt = performance.now();
        while ((await send(/* GraphQL */ `query AfterRevoke { viewer { role } }`, { authorization: bearer(key.apiKey) })).status !== 401) {
          expect(performance.now() - revokedAt).toBeLessThan(1_100);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return bearer(key.apiKey);
      },
    ],
  ];

  const cases = credentials.flatMap(([who, header]) =>
    operations.map(([what, query]) => [who, what, header, query] as const),
  );

  it.each(cases)('%s: %s → 401 UNAUTHENTICATED', async (_who, _what, header, query) => {
    const res = await send(query, { authorization: await header(), variables: { id: modelId } });
    expectUnauthenticated(res);
  });

  it('a refused mutation changes nothing', async () => {
    await send(
      /* GraphQL */ `mutation DisableAnonymously($id: ID!) { setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { id } } }`,
      { variables: { id: modelId } },
    );
    const res = await send(/* GraphQL */ `query StatusAfter($id: ID!) { model(id: $id) { spec { status } } }`, {
      authorization: bearer(t.adminKey),
      variables: { id: modelId },
    });
    expect(res.body.data.model.spec.status).toBe('MODEL_STATUS_ENABLED');
  });
});

describe('pure introspection needs no key', () => {
  it.each([
    ['__typename', /* GraphQL */ `query Typename { __typename }`, { __typename: 'Query' }],
    ['__type', /* GraphQL */ `query ModelType { __type(name: "Model") { name kind } }`, { __type: { name: 'Model', kind: 'OBJECT' } }],
    [
      '__typename through a fragment spread',
      /* GraphQL */ `query Spread { ...Intro } fragment Intro on Query { __typename t: __type(name: "Workspace") { name } }`,
      { __typename: 'Query', t: { name: 'Workspace' } },
    ],
    [
      '__typename through an inline fragment',
      /* GraphQL */ `query Inline { ... on Query { __typename } }`,
      { __typename: 'Query' },
    ],
  ])('%s', async (_case, query, data) => {
    const res = await send(query);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(data);
  });

  it('__schema', async () => {
    const res = await send(/* GraphQL */ `query Schema { __schema { queryType { name } mutationType { name } types { name } } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.name).toBe('Query');
    expect(res.body.data.__schema.mutationType.name).toBe('Mutation');
    expect(res.body.data.__schema.types.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['Model', 'Workspace', 'Node', 'UserError']),
    );
  });
});

describe('viewer', () => {
  const VIEWER = /* GraphQL */ `query Viewer { viewer { accountId profileId role } }`;

  it('reports the owner profile for the admin key', async () => {
    const res = await send(VIEWER, { authorization: bearer(t.adminKey) });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ accountId: t.accountId, profileId: t.profileId, role: 'ADMIN' });
  });

  it("reports a reader key's own service-account profile", async () => {
    const issued = unwrap(await createApiKey(app.db, { accountId: t.accountId, role: 'READER' }));
    const res = await send(VIEWER, { authorization: bearer(issued.apiKey) });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ accountId: t.accountId, profileId: issued.profileId, role: 'READER' });
    expect(issued.profileId).not.toBe(t.profileId);

    // The tenant's own reader key, too.
    const reader = await send(VIEWER, { authorization: bearer(t.readerKey) });
    expect(reader.body.data.viewer).toEqual({ accountId: t.accountId, profileId: expect.stringMatching(/^prof_/), role: 'READER' });
    expect(reader.body.data.viewer.profileId).not.toBe(t.profileId);
  });

  it('is accepted with a lower-case scheme and surrounding spaces', async () => {
    const res = await send(VIEWER, { authorization: `bearer   ${t.adminKey}  ` });
    expect(res.body.data.viewer.role).toBe('ADMIN');
  });
});

describe('reader keys may not mutate', () => {
  const read = async () => {
    const res = await send(
      /* GraphQL */ `
        query ReadBack($model: ID!) {
          model(id: $model) { spec { status } metadata { labels { key value } } }
          workspaces(first: 100) { totalCount nodes { name } }
        }
      `,
      { authorization: bearer(t.adminKey), variables: { model: modelId } },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };

  it.each([
    [
      'setModelStatus',
      'model',
      /* GraphQL */ `mutation ReaderStatus($id: ID!) {
        payload: setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { id } userErrors { code field message } }
      }`,
    ],
    [
      'setModelLabels',
      'model',
      /* GraphQL */ `mutation ReaderLabels($id: ID!) {
        payload: setModelLabels(input: { id: $id, labels: [{ key: "env", value: "prod" }] }) { model { id } userErrors { code field message } }
      }`,
    ],
    [
      'createWorkspace',
      'workspace',
      /* GraphQL */ `mutation ReaderCreate {
        payload: createWorkspace(input: { name: "Reader's workspace" }) { workspace { id } userErrors { code field message } }
      }`,
    ],
  ])('%s → FORBIDDEN, %s null, nothing changed', async (_mutation, object, query) => {
    const before = await read();
    const res = await send(query, { authorization: bearer(t.readerKey), variables: { id: modelId } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.payload).toEqual({
      [object]: null,
      userErrors: [{ code: 'FORBIDDEN', field: null, message: expect.any(String) }],
    });
    expect(await read()).toEqual(before);
  });
});

describe('request ids', () => {
  it.each([
    ['UNAUTHENTICATED', null, /* GraphQL */ `query Anonymous { viewer { role } }`, {}],
    [
      'BAD_USER_INPUT',
      'admin',
      /* GraphQL */ `query TooManyNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: Array.from({ length: 101 }, () => newId('Model')) },
    ],
  ] as const)('a %s error carries the x-request-id of its response', async (code, who, query, variables) => {
    const res = await send(query, { authorization: who ? bearer(t.adminKey) : null, variables });
    expect(res.body.errors![0]!.extensions?.code).toBe(code);
    expectRequestIdMatchesHeader(res);
  });

  it('every response has its own x-request-id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await send(/* GraphQL */ `query Ok { viewer { role } }`, { authorization: bearer(t.adminKey) })).headers.get('x-request-id')),
    );
    for (const id of ids) expect(id).toBeTruthy();
    expect(new Set(ids).size).toBe(3);
  });
});

describe('responses never leak internals', () => {
  // `send` checks every body of this file; these inputs try hardest to reach the database badly.
  const none = () => ({});
  const onModel = () => ({ id: modelId });
  const onWorkspace = () => ({ id: t.workspaceId });
  it.each([
    ['NUL in an id', /* GraphQL */ `query NulId($v: ID!) { model(id: $v) { id } node(id: $v) { id } }`, 'model_\u0000', none],
    ['quote in an id', /* GraphQL */ `query QuoteId($v: ID!) { workspace(id: $v) { id } }`, "ws_' or 1=1 --", none],
    [
      'NUL in a label value',
      /* GraphQL */ `mutation NulLabel($id: ID!, $v: String!) { setModelLabels(input: { id: $id, labels: [{ key: "k", value: $v }] }) { userErrors { code } } }`,
      'a\u0000b',
      onModel,
    ],
    ['lone surrogate in a name', /* GraphQL */ `mutation Surrogate($v: String!) { createWorkspace(input: { name: $v }) { userErrors { code } } }`, 'a\ud800', none],
    [
      'NUL in a search',
      /* GraphQL */ `query NulSearch($id: ID!, $v: String!) { workspace(id: $id) { models(filter: { search: $v }) { totalCount } } }`,
      '\u0000',
      onWorkspace,
    ],
    [
      'a malformed cursor',
      /* GraphQL */ `query BadCursor($id: ID!, $v: String!) { workspace(id: $id) { models(after: $v) { totalCount } } }`,
      "garbage' --",
      onWorkspace,
    ],
  ])('%s', async (_case, query, v, variables) => {
    const res = await send(query, { authorization: bearer(t.adminKey), variables: { v, ...variables() } });
    expect(res.status).toBeLessThan(500);
    for (const error of res.body.errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });
});
