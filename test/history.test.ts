/**
 * Model.statusHistory (DESIGN.md, "Live updates and history"): every status
 * change made by any path — GraphQL's three verbs and the bulk mutation,
 * REST's PUT …/status, :enable and :disable — newest first, with the caller's
 * profile and the request that made it; paged like every connection; scoped
 * to the caller's account; one statement for the histories of many models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/domain/pagination.ts';
import { fillWorkspace, setupTestApp, type Tenant } from './helpers.ts';
import { send, serve } from './rest-helpers.ts';

const app = await setupTestApp();
const base = await serve(app.yoga.listener);

const ENABLED = 'MODEL_STATUS_ENABLED';
const DISABLED = 'MODEL_STATUS_DISABLED';

const HISTORY = /* GraphQL */ `
  query History($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    model(id: $id) {
      statusHistory(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        edges { cursor node { from to profileId requestId at model { id spec { status } } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`;

interface Change {
  from: string;
  to: string;
  profileId: string;
  requestId: string | null;
  at: string;
  model: { id: string; spec: { status: string } };
}

interface HistoryPage {
  totalCount: number;
  edges: { cursor: string; node: Change }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function history(key: string, id: string, args: Record<string, unknown> = {}): Promise<HistoryPage> {
  const res = await app.gql<{ model: { statusHistory: HistoryPage } }>(HISTORY, { key, variables: { id, ...args } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.model.statusHistory;
}

/** Runs a GraphQL mutation; returns the x-request-id its response carried. */
async function mutate(key: string, mutation: string, input: Record<string, unknown>): Promise<string> {
  const res = await app.gql(`mutation Change($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { userErrors { code } } }`, {
    key,
    variables: { input },
  });
  expect(res.body.data[mutation].userErrors).toEqual([]);
  return res.headers.get('x-request-id')!;
}

/** Calls a REST route; returns the x-request-id its response carried. */
async function rest(key: string, method: 'PUT' | 'POST', path: string, body: string): Promise<string> {
  const reply = await send(base, { method, path, key, headers: { 'content-type': 'application/json' }, body });
  expect(reply.status).toBe(200);
  return reply.headers['x-request-id'] as string;
}

const profileOf = async (key: string) => (await app.gql(`query { viewer { profileId } }`, { key })).body.data.viewer.profileId as string;

describe('statusHistory', () => {
  let tenant: Tenant;
  let modelId: string;
  let profileId: string;
  /** The changes made, oldest first: [from, to, requestId]. */
  const made: [string, string, string][] = [];

  beforeAll(async () => {
    tenant = await app.tenant();
    modelId = (await fillWorkspace(app.db, tenant, tenant.workspaceId, 1))[0]!;
    profileId = await profileOf(tenant.adminKey);
    const ws = tenant.workspaceId;
    const key = tenant.adminKey;
    made.push([ENABLED, DISABLED, await mutate(key, 'setModelStatus', { id: modelId, status: DISABLED })]);
    made.push([DISABLED, ENABLED, await mutate(key, 'enableModel', { id: modelId })]);
    made.push([ENABLED, DISABLED, await mutate(key, 'disableModel', { id: modelId })]);
    made.push([DISABLED, ENABLED, await mutate(key, 'setModelStatuses', { workspaceId: ws, ids: [modelId], status: ENABLED })]);
    made.push([ENABLED, DISABLED, await rest(key, 'PUT', `/v1/workspaces/${ws}/models/${modelId}/status`, JSON.stringify({ status: DISABLED }))]);
    made.push([DISABLED, ENABLED, await rest(key, 'POST', `/v1/workspaces/${ws}/models/${modelId}:enable`, '{}')]);
    made.push([ENABLED, DISABLED, await rest(key, 'POST', `/v1/workspaces/${ws}/models/${modelId}:disable`, '')]);
  });

  it('lists every change of every path, newest first, with the caller and the request', async () => {
    const page = await history(tenant.adminKey, modelId);
    expect(page.totalCount).toBe(7);
    expect(page.edges.map(({ node }) => [node.from, node.to, node.requestId])).toEqual([...made].reverse());
    for (const { node } of page.edges) {
      expect(node.profileId).toBe(profileId);
      expect(node.model).toEqual({ id: modelId, spec: { status: DISABLED } });
    }
    const times = page.edges.map(({ node }) => node.at);
    expect(times.every((at) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at))).toBe(true);
    expect([...times].sort().reverse()).toEqual(times);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('records nothing for a change to the status the model already has, by any path', async () => {
    const ws = tenant.workspaceId;
    const key = tenant.adminKey;
    await mutate(key, 'setModelStatus', { id: modelId, status: DISABLED });
    await mutate(key, 'disableModel', { id: modelId });
    await mutate(key, 'setModelStatuses', { workspaceId: ws, ids: [modelId], status: DISABLED });
    await rest(key, 'PUT', `/v1/workspaces/${ws}/models/${modelId}/status`, JSON.stringify({ status: DISABLED }));
    await rest(key, 'POST', `/v1/workspaces/${ws}/models/${modelId}:disable`, '{}');
    // A failed change records nothing either.
    const reader = await app.gql(`mutation { enableModel(input: { id: "${modelId}" }) { userErrors { code } } }`, { key: tenant.readerKey });
    expect(reader.body.data.enableModel.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    const page = await history(key, modelId);
    expect(page.totalCount).toBe(7);
    expect(page.edges.map(({ node }) => node.requestId)).toEqual(made.map(([, , id]) => id).reverse());
  });

  it('a reader may read it, through model(id) and node(id) alike', async () => {
    const page = await history(tenant.readerKey, modelId, { first: 2 });
    expect(page.edges.map(({ node }) => node.requestId)).toEqual([made[6]![2], made[5]![2]]);
    const res = await app.gql(`query { node(id: "${modelId}") { ... on Model { statusHistory(first: 1) { nodes { to requestId } } } } }`, {
      key: tenant.readerKey,
    });
    expect(res.body.data.node.statusHistory.nodes).toEqual([{ to: DISABLED, requestId: made[6]![2] }]);
  });

  it("another account's model and its history are unreachable", async () => {
    const other = await app.tenant();
    const res = await app.gql(
      `query Foreign($id: ID!) {
        model(id: $id) { statusHistory { totalCount nodes { requestId } } }
        node(id: $id) { ... on Model { statusHistory { totalCount } } }
        nodes(ids: [$id]) { id }
      }`,
      { key: other.adminKey, variables: { id: modelId } },
    );
    expect(res.body).toEqual({ data: { model: null, node: null, nodes: [null] } });
  });

  it('a model whose status never changed has an empty history', async () => {
    const [, untouched] = await fillWorkspace(app.db, tenant, tenant.workspaceId, 2);
    const page = await history(tenant.adminKey, untouched!);
    expect(page).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
  });

  describe('paging', () => {
    const newestFirst = () => made.map(([, , id]) => id).reverse();
    const ids = (page: HistoryPage) => page.edges.map(({ node }) => node.requestId);

    it('forward with first/after to the end', async () => {
      const seen: (string | null)[] = [];
      let after: string | null = null;
      const flags: boolean[] = [];
      do {
        const page: HistoryPage = await history(tenant.adminKey, modelId, { first: 3, after });
        seen.push(...ids(page));
        flags.push(page.pageInfo.hasNextPage);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual(newestFirst());
      expect(flags).toEqual([true, true, false]);
    });

    it('backward with last/before to the start', async () => {
      const seen: (string | null)[] = [];
      let before: string | null = null;
      const flags: boolean[] = [];
      do {
        const page: HistoryPage = await history(tenant.adminKey, modelId, { last: 3, before });
        seen.unshift(...ids(page));
        flags.push(page.pageInfo.hasPreviousPage);
        before = page.pageInfo.hasPreviousPage ? page.pageInfo.startCursor : null;
      } while (before);
      expect(seen).toEqual(newestFirst());
      expect(flags).toEqual([true, true, false]);
    });

    it('between two cursors, and with only before (50 backward)', async () => {
      const all = await history(tenant.adminKey, modelId);
      const cursors = all.edges.map((edge) => edge.cursor);
      const between = await history(tenant.adminKey, modelId, { after: cursors[1], before: cursors[5] });
      expect(ids(between)).toEqual(newestFirst().slice(2, 5));
      const onlyBefore = await history(tenant.adminKey, modelId, { before: cursors[3] });
      expect(ids(onlyBefore)).toEqual(newestFirst().slice(0, 3));
      const empty = await history(tenant.adminKey, modelId, { first: 0 });
      expect(empty.edges).toEqual([]);
      expect(empty.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
    });

    it('a page stays stable while new changes are recorded', async () => {
      const first = await history(tenant.adminKey, modelId, { first: 2 });
      await mutate(tenant.adminKey, 'enableModel', { id: modelId });
      const next = await history(tenant.adminKey, modelId, { first: 2, after: first.pageInfo.endCursor });
      expect(ids(next)).toEqual(newestFirst().slice(2, 4));
      await mutate(tenant.adminKey, 'disableModel', { id: modelId });
    });
  });

  describe('bad arguments are BAD_USER_INPUT', () => {
    const refused = async (key: string, id: string, args: Record<string, unknown>) => {
      const res = await app.gql(HISTORY, { key, variables: { id, ...args } });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      return res.body.errors![0]!.message;
    };

    it('malformed cursors, and cursors of other connections or other models', async () => {
      const other = (await history(tenant.adminKey, modelId)).edges[0]!.cursor;
      const [, sibling] = await fillWorkspace(app.db, tenant, tenant.workspaceId, 2);
      const models = await app.gql(`query W($id: ID!) { workspace(id: $id) { models(first: 1) { pageInfo { endCursor } } } }`, {
        key: tenant.adminKey,
        variables: { id: tenant.workspaceId },
      });
      const modelsCursor = models.body.data.workspace.models.pageInfo.endCursor as string;
      const forged = (keys: string[]) => encodeCursor(`history:${modelId}`, keys);
      for (const cursor of ['nope', '', '!!', modelsCursor, forged(['0']), forged(['1.5']), forged(['abc']), forged(['99999999999999999']), forged([])]) {
        expect(await refused(tenant.adminKey, modelId, { after: cursor })).toMatch(/cursor/);
        expect(await refused(tenant.adminKey, modelId, { before: cursor })).toMatch(/cursor/);
      }
      // A cursor of this model's history is not one of its sibling's, nor one of another account's model.
      await refused(tenant.adminKey, sibling!, { after: other });
      const stranger = await app.tenant();
      const [theirs] = await fillWorkspace(app.db, stranger, stranger.workspaceId, 1);
      await mutate(stranger.adminKey, 'disableModel', { id: theirs });
      const theirCursor = (await history(stranger.adminKey, theirs!)).edges[0]!.cursor;
      await refused(tenant.adminKey, modelId, { after: theirCursor });
      // A well-formed cursor of this history is accepted.
      expect((await history(tenant.adminKey, modelId, { after: forged(['1']) })).edges).toEqual([]);
    });

    it('page sizes as in every connection', async () => {
      expect(await refused(tenant.adminKey, modelId, { first: 101 })).toMatch(/at most 100/);
      expect(await refused(tenant.adminKey, modelId, { last: -1 })).toMatch(/negative/);
      expect(await refused(tenant.adminKey, modelId, { first: 1, last: 1 })).toMatch(/either/);
    });
  });
});

describe('statusHistory of many models', () => {
  it('a workspace page of 20 models, each with 5 changes of its history, costs one statement for the histories', async () => {
    const tenant = await app.tenant();
    const ids = await fillWorkspace(app.db, tenant, tenant.workspaceId, 20);
    // Six changes of each model, so each page of 5 has more after it.
    for (const status of [DISABLED, ENABLED, DISABLED, ENABLED, DISABLED, ENABLED]) {
      await mutate(tenant.adminKey, 'setModelStatuses', { workspaceId: tenant.workspaceId, ids, status });
    }
    const query = /* GraphQL */ `
      query Histories($id: ID!) {
        workspace(id: $id) {
          models(first: 20) {
            nodes {
              id
              statusHistory(first: 5) {
                edges { cursor node { from to profileId at model { id } } }
                pageInfo { hasNextPage }
              }
            }
          }
        }
      }
    `;
    const { sql, result } = await app.countStatements(() => app.gql(query, { key: tenant.adminKey, variables: { id: tenant.workspaceId } }));
    expect(result.body.errors).toBeUndefined();
    const statements = sql.filter((text) => !/from "api_keys"/.test(text));
    expect(statements.filter((text) => /model_status_changes/.test(text))).toHaveLength(1);
    // The workspace with its page of models, then every history.
    expect(statements).toHaveLength(2);
    const nodes = result.body.data.workspace.models.nodes as { id: string; statusHistory: { edges: { node: Change }[]; pageInfo: { hasNextPage: boolean } } }[];
    expect(nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
    for (const node of nodes) {
      expect(node.statusHistory.pageInfo.hasNextPage).toBe(true);
      expect(node.statusHistory.edges.map((e) => [e.node.from, e.node.to])).toEqual([
        [DISABLED, ENABLED],
        [ENABLED, DISABLED],
        [DISABLED, ENABLED],
        [ENABLED, DISABLED],
        [DISABLED, ENABLED],
      ]);
      expect(node.statusHistory.edges.every((e) => e.node.model.id === node.id)).toBe(true);
    }
    // With totalCount, one more statement for all the counts together.
    const counted = await app.countStatements(() =>
      app.gql(`query Counts($id: ID!) { workspace(id: $id) { models(first: 20) { nodes { statusHistory(first: 1) { totalCount } } } } }`, {
        key: tenant.adminKey,
        variables: { id: tenant.workspaceId },
      }),
    );
    expect(counted.sql.filter((text) => !/from "api_keys"/.test(text))).toHaveLength(3);
    expect(counted.result.body.data.workspace.models.nodes.map((n: { statusHistory: { totalCount: number } }) => n.statusHistory.totalCount)).toEqual(
      ids.map(() => 6),
    );
  });
});
