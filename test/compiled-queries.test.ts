/**
 * Queries run compiled by graphql-jit (src/compiled-queries.ts) must answer
 * exactly as graphql-js does. Every document here goes to the app as it runs
 * in production and to the same app with compilation off, on one database;
 * the responses must be equal, errors included (bar their request ids). The
 * compiling app gets each document twice: the first run compiles it inside
 * the envelope, the second runs it straight from the request's parameters.
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/config.ts';
import type { Context } from '../src/graphql/context.ts';
import { createApp, type App } from '../src/http/app.ts';
import { setupTestApp, type Tenant } from './helpers.ts';

const t = await setupTestApp();
const interpreted = createApp({ db: t.db, compileQueries: false });
const logLines: { msg: string; operationName?: string | null; compiled?: boolean }[] = [];
const debugLog = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
const logged = createApp({ db: t.db, log: debugLog, compileQueries: { after: 0 } });
const patient = createApp({ db: t.db, log: debugLog, compileQueries: { after: 2 } });

let tenant: Tenant;
let modelIds: string[];
beforeAll(async () => {
  tenant = await t.tenant('Compiled');
  const page = await t.gql(`query($w: ID!) { workspace(id: $w) { models(first: 3) { nodes { id } } } }`, {
    key: tenant.adminKey,
    variables: { w: tenant.workspaceId },
  });
  modelIds = page.body.data.workspace.models.nodes.map((m: { id: string }) => m.id);
  await t.gql(`mutation($id: ID!) { setModelLabels(input: { id: $id, labels: [{ key: "tier", value: "gold" }] }) { userErrors { code } } }`, {
    key: tenant.adminKey,
    variables: { id: modelIds[0] },
  });
});

async function send(app: App, query: string, variables?: Record<string, unknown>, operationName?: string) {
  const response = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${tenant.adminKey}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = await response.json();
  for (const error of body.errors ?? []) delete error.extensions?.requestId;
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

/** Both apps' answers, after checking they are identical. */
async function same(query: string, variables?: () => Record<string, unknown>, operationName?: string) {
  const reference = await send(interpreted, query, variables?.(), operationName);
  let compiled;
  for (const run of ['compiling', 'compiled']) {
    compiled = await send(t.yoga, query, variables?.(), operationName);
    expect(compiled, run).toEqual(reference);
    // toEqual ignores key order; a response's field order is part of the spec.
    expect(JSON.stringify(compiled.body), run).toBe(JSON.stringify(reference.body));
  }
  return compiled!;
}

const MODEL = `id __typename metadata { id accountId createdAt name profileId workspaceId bundleKey externalId labels { key value } revision }
  spec { provider family status inputPricePerMillionTokens outputPricePerMillionTokens maxInputTokens maxOutputTokens }`;

describe('compiled queries answer exactly as graphql-js', () => {
  it('a page of models with every field, edges, cursors and page info, in every order', async () => {
    for (const orderBy of [undefined, { field: 'NAME', direction: 'DESC' }, { field: 'PROVIDER', direction: 'ASC' }]) {
      const query = `query Page($w: ID!, $orderBy: ModelOrder, $after: String) {
        workspace(id: $w) { id name createdAt labels { key value }
          models(first: 4, after: $after, orderBy: $orderBy) { totalCount edges { cursor node { ${MODEL} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
      const first = await same(query, () => ({ w: tenant.workspaceId, orderBy }));
      const after = first.body.data.workspace.models.pageInfo.endCursor;
      const next = await same(query, () => ({ w: tenant.workspaceId, orderBy, after }));
      expect(next.body.data.workspace.models.edges).toHaveLength(4);
    }
  });

  it('nested connections, filters, aliases, fragments, and @skip/@include from variables', async () => {
    const query = `
      fragment Spec on Model { spec { provider family status } }
      query Nested($yes: Boolean!, $no: Boolean!) {
        list: workspaces(first: 5) {
          totalCount
          nodes { id
            enabled: models(first: 2, filter: { status: MODEL_STATUS_ENABLED }) { totalCount nodes { id ...Spec } }
            gold: models(filter: { labels: [{ key: "tier", value: "gold" }] }) { nodes { id metadata { labels { key value } } } }
            anthropic: models(filter: { provider: "anthropic", search: "CLAUDE" }) { nodes { name: id ... on Model @include(if: $yes) { spec { family } } } }
            skipped: models(first: 1) @skip(if: $yes) { nodes { id } }
            kept: models(first: 1) @include(if: $no) { nodes { id } }
          }
          pageInfo { hasNextPage endCursor }
        }
        viewer { accountId profileId role }
      }`;
    for (const [yes, no] of [[true, false], [false, true]]) await same(query, () => ({ yes, no }));
  });

  it('node and nodes with every kind of id: own, unknown, malformed, of another type', async () => {
    const query = `query Nodes($id: ID!, $ids: [ID!]!) {
      node(id: $id) { __typename id ... on Model { spec { status } } ... on Workspace { name } }
      nodes(ids: $ids) { __typename id ... on Model { metadata { name } } }
      model(id: $id) { id }
      workspace(id: $id) { id }
    }`;
    const ids = () => [modelIds[0], tenant.workspaceId, 'model_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'nonsense', '', modelIds[1]];
    for (const id of ids()) await same(query, () => ({ id, ids: ids() }));
  });

  it('errors: page sizes, cursors, variables of the wrong type, unknown or ambiguous operations', async () => {
    const page = `query($w: ID!, $first: Int, $after: String) { workspace(id: $w) { models(first: $first, after: $after) { nodes { id } } } }`;
    const cases: Record<string, unknown>[] = [
      { first: 101 },
      { first: -1 },
      { first: 2, after: 'not-a-cursor' },
      { first: 'twenty' },
      { first: 2.5 },
    ];
    for (const variables of cases) {
      const answer = await same(page, () => ({ w: tenant.workspaceId, ...variables }));
      expect(answer.body.errors?.length, JSON.stringify(variables)).toBeGreaterThan(0);
    }
    // The spec's locations come from graphql-js, which answers every error.
    const located = await same(page, () => ({ w: tenant.workspaceId, first: 101 }));
    expect(located.body.errors[0].locations).toEqual([{ line: 1, column: 67 }]);
    await same(`query A { viewer { role } } query B { viewer { accountId } }`, () => ({}), 'C');
    await same(`query A { viewer { role } } query B { viewer { accountId } }`, () => ({}));
    await same(`query A { viewer { role } } query B { viewer { accountId } }`, () => ({}), 'B');
  });

  it('a non-null variable with a default value takes the default (graphql-js runs such documents)', async () => {
    const query = `query($w: ID!, $n: Int! = 2) { workspace(id: $w) { models(first: $n) { nodes { id } } } }`;
    const answer = await same(query, () => ({ w: tenant.workspaceId }));
    expect(answer.body.data.workspace.models.nodes).toHaveLength(2);
  });

  it('string literals that look like code are data: the compiler emits no part of a document as code', async () => {
    const hostile = ['"); process.exit(1); ("', "'); throw 1; ('", '`${process.exit(1)}`', '\u2028\u2029 */ /*', '</script>'];
    for (const text of hostile) {
      const literal = JSON.stringify(text);
      const answer = await same(`{ workspaces(first: 1) { nodes { models(filter: { search: ${literal}, provider: ${literal} }) { totalCount } } } }`);
      expect(answer.body.data.workspaces.nodes[0].models.totalCount).toBe(0);
      await same(`query { model(id: ${literal}) { id } }`);
    }
  });

  it('introspection', async () => {
    await same(`{ __schema { queryType { name } types { name kind fields { name args { name defaultValue } } } } __type(name: "Model") { name } }`);
  });
});

describe('which operations run compiled', () => {
  const post = (query: string, variables?: Record<string, unknown>, app: App = logged) => send(app, query, variables);

  it('queries compile once per document; mutations and documents with variable defaults are left to graphql-js', async () => {
    const page = `query LoggedPage($w: ID!, $first: Int) { workspace(id: $w) { models(first: $first) { nodes { id } } } }`;
    await post(page, { w: tenant.workspaceId, first: 2 });
    await post(page, { w: tenant.workspaceId, first: 3 });
    await post(`query WithDefault($w: ID!, $n: Int! = 2) { workspace(id: $w) { models(first: $n) { nodes { id } } } }`, { w: tenant.workspaceId });
    await post(`mutation Status($id: ID!) { setModelStatus(input: { id: $id, status: MODEL_STATUS_ENABLED }) { userErrors { code } } }`, { id: modelIds[2] });
    const decisions = logLines.filter((l) => l.msg === 'operation compiled' || l.msg === 'operation left to graphql-js');
    expect(decisions.map((l) => [l.operationName, l.compiled])).toEqual([
      ['LoggedPage', true],
      ['WithDefault', false],
      ['Status', false],
    ]);
  });

  it('a compiled run that reports an error is answered by graphql-js', async () => {
    const before = logLines.length;
    const { body } = await post(`query Oversized($w: ID!) { workspace(id: $w) { models(first: 101) { nodes { id } } } }`, { w: tenant.workspaceId });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].locations).toBeDefined();
    expect(logLines.slice(before).map((l) => l.msg)).toContain('compiled run reported errors: graphql-js answers');
  });

  it('a document is compiled only after it has run `after` times through graphql-js', async () => {
    const query = `query Patient($w: ID!) { workspace(id: $w) { models(first: 2) { nodes { id } } } }`;
    const compiledLines = () => logLines.filter((l) => l.msg === 'operation compiled' && l.operationName === 'Patient').length;
    const answers: unknown[] = [];
    for (let run = 1; run <= 4; run++) {
      answers.push((await post(query, { w: tenant.workspaceId }, patient)).body);
      expect(compiledLines(), `after run ${run}`).toBe(run <= 2 ? 0 : 1);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });
});

describe('a compiled operation runs from its parameters; the envelope answers what it cannot', () => {
  const executed: string[] = [];
  const counting: Plugin<Context> = {
    onExecute({ args }) {
      executed.push(getOperationAST(args.document, args.operationName)?.name?.value ?? '');
    },
  };
  const app = createApp({ db: t.db, log: debugLog, compileQueries: { after: 0 }, limits: { ...defaultLimits, objects: 30 }, plugins: [counting] });
  const post = async (query: string, variables: Record<string, unknown>, authorization: string | null = `Bearer ${tenant.adminKey}`) => {
    const response = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.json() };
  };
  const runs = (operationName: string) => executed.filter((name) => name === operationName).length;

  it('a compiled query skips the envelope and answers the same', async () => {
    const query = `query Direct($id: ID!) { model(id: $id) { id spec { status } } }`;
    const first = await post(query, { id: modelIds[0] });
    expect(runs('Direct')).toBe(1);
    for (const id of [modelIds[0], modelIds[1], 'nonsense']) {
      const again = await post(query, { id });
      expect(again.status).toBe(200);
      expect(again.body.data.model?.id ?? null).toBe(id === 'nonsense' ? null : id);
    }
    expect((await post(query, { id: modelIds[0] })).body).toEqual(first.body);
    expect(runs('Direct')).toBe(1);
  });

  it('no key or a wrong key: the authentication gate refuses, as for any document', async () => {
    // A malformed id resolves to null without asking who the viewer is: only the gate refuses it.
    const query = `query Gated { node(id: "nonsense") { id } }`;
    expect((await post(query, {})).body).toEqual({ data: { node: null } });
    for (const authorization of [null, 'Bearer nonsense', `Bearer ${tenant.adminKey}x`]) {
      const refused = await post(query, {}, authorization);
      expect(refused.status, String(authorization)).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(runs('Gated')).toBe(4);
  });

  it('too many objects for the variables sent: the objects limit refuses', async () => {
    const query = `query Sized($first: Int!) { workspaces(first: 1) { nodes { models(first: $first) { nodes { id } } } } }`;
    expect((await post(query, { first: 2 })).body.data.workspaces.nodes[0].models.nodes).toHaveLength(2);
    expect((await post(query, { first: 3 })).body.data.workspaces.nodes[0].models.nodes).toHaveLength(3);
    const refused = await post(query, { first: 30 });
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'OBJECT_LIMIT_EXCEEDED', limit: 30, requested: 31 });
    expect(refused.body.data).toBeUndefined();
    expect(runs('Sized')).toBe(2);
  });

  it('a compiled run with errors: graphql-js answers, with locations, and the compiled run is not repeated', async () => {
    const query = `query Faulty($w: ID!, $first: Int) { workspace(id: $w) { models(first: $first) { nodes { id } } } }`;
    await post(query, { w: tenant.workspaceId, first: 1 });
    const before = logLines.length;
    const refused = await post(query, { w: tenant.workspaceId, first: 101 });
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].locations).toBeDefined();
    expect(logLines.slice(before).filter((l) => l.msg === 'compiled run reported errors: graphql-js answers')).toHaveLength(1);
    const wrongType = await post(query, { w: tenant.workspaceId, first: 'ten' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0].message).toMatch(/Variable "\$first" got invalid value "ten"/);
    expect(runs('Faulty')).toBe(3);
  });
});
