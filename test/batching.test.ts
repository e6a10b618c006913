import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { setupTestApp, unwrap, type Tenant } from './helpers.ts';

const app = await setupTestApp();

const isKeyLookup = (text: string) => /from "api_keys"/.test(text);

/** Statements of one request, without the API key lookup (authentication may add one). */
async function statementsOf(query: string, key: string, variables?: Record<string, unknown>) {
  const { statements, result, sql } = await app.countStatements(() => app.gql(query, { key, variables }));
  const auth = sql.filter(isKeyLookup).length;
  expect(auth).toBeLessThanOrEqual(1);
  expect(result.body.errors).toBeUndefined();
  return { statements: statements - auth, data: result.body.data, sql };
}

async function tenantWithWorkspaces(count: number): Promise<Tenant> {
  const tenant = await app.tenant();
  for (let i = 1; i < count; i++) {
    unwrap(await createWorkspace(app.db, { accountId: tenant.accountId, profileId: tenant.profileId, name: `Extra ${i}` }));
  }
  return tenant;
}

const NESTED = /* GraphQL */ `
  query Nested($workspaces: Int!, $models: Int!) {
    workspaces(first: $workspaces) {
      nodes {
        models(first: $models) {
          totalCount
          nodes { id workspace { id } }
        }
      }
    }
  }
`;

describe('batching: statements per request', () => {
  it('model(id) is one statement', async () => {
    const tenant = await app.tenant();
    const first = await app.gql(`query { workspace(id: "${tenant.workspaceId}") { models(first: 1) { nodes { id } } } }`, { key: tenant.adminKey });
    const id = first.body.data.workspace.models.nodes[0].id;
    const { statements, data } = await statementsOf(
      /* GraphQL */ `query One($id: ID!) { model(id: $id) { id metadata { name } spec { status } } }`,
      tenant.adminKey,
      { id },
    );
    expect(data.model.id).toBe(id);
    expect(statements).toBe(1);
  });

  it('nodes with 50 model ids is one statement', async () => {
    const a = await app.tenant();
    const b = await tenantWithWorkspaces(3);
    const ids: string[] = [];
    const pages = await app.gql(/* GraphQL */ `query { workspaces { nodes { models(first: 20) { nodes { id } } } } }`, { key: b.adminKey });
    for (const ws of pages.body.data.workspaces.nodes) ids.push(...ws.models.nodes.map((m: { id: string }) => m.id));
    const fifty = ids.slice(0, 50);
    expect(fifty).toHaveLength(50);
    const { statements, data } = await statementsOf(
      /* GraphQL */ `query Many($ids: [ID!]!) { nodes(ids: $ids) { id ... on Model { spec { family } } } }`,
      b.adminKey,
      { ids: fifty },
    );
    expect(data.nodes.map((n: { id: string }) => n.id)).toEqual(fifty);
    expect(statements).toBe(1);
    // The same ids seen by another tenant: still one statement, and all null.
    const foreign = await statementsOf(/* GraphQL */ `query Many($ids: [ID!]!) { nodes(ids: $ids) { id } }`, a.adminKey, { ids: fifty });
    expect(foreign.data.nodes).toEqual(fifty.map(() => null));
  });

  it.each([2, 20])('nested workspaces → models over %i workspaces is at most 3 statements', async (count) => {
    const tenant = await tenantWithWorkspaces(count);
    const { statements, data } = await statementsOf(NESTED, tenant.adminKey, { workspaces: 20, models: 10 });
    expect(data.workspaces.nodes).toHaveLength(count);
    for (const workspace of data.workspaces.nodes) {
      expect(workspace.models.nodes).toHaveLength(10);
      expect(workspace.models.totalCount).toBeGreaterThanOrEqual(15);
      const owner = new Set(workspace.models.nodes.map((m: { workspace: { id: string } }) => m.workspace.id));
      expect(owner.size).toBe(1);
    }
    expect(statements).toBeLessThanOrEqual(3);
  });

  it('a models page is one windowed statement whatever the number of workspaces', async () => {
    const tenant = await tenantWithWorkspaces(5);
    const withoutCount = await statementsOf(
      /* GraphQL */ `query { workspaces { nodes { models(first: 5, orderBy: { field: NAME, direction: DESC }) { nodes { id } } } } }`,
      tenant.adminKey,
    );
    expect(withoutCount.statements).toBe(2);
    expect(withoutCount.sql.filter((text) => /json_agg/i.test(text))).toHaveLength(1);
  });

  it('authentication costs one lookup per key per second, not one per request', async () => {
    const tenant = await app.tenant();
    const lookups = async () => (await app.countStatements(() => app.gql(`query { viewer { role } }`, { key: tenant.adminKey }))).sql.filter(isKeyLookup).length;
    expect(await lookups()).toBe(1);
    expect(await lookups()).toBe(0);
    expect(await lookups()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await lookups()).toBe(1);
    // A wrong secret for a remembered key id is still refused.
    const [id] = tenant.adminKey.split('.');
    const wrong = await app.gql(`query { viewer { role } }`, { key: `${id}.${'A'.repeat(43)}` });
    expect(wrong.status).toBe(401);
  });

  it('workspace(id) with a page of its models and its totalCount is one statement', async () => {
    const tenant = await app.tenant();
    const PAGE = /* GraphQL */ `
      query Page($id: ID!, $after: String, $count: Boolean!) {
        workspace(id: $id) {
          name
          models(first: 5, after: $after, orderBy: { field: NAME, direction: ASC }) {
            totalCount @include(if: $count)
            edges { cursor node { id metadata { name } workspace { id } } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }
    `;
    const first = await statementsOf(PAGE, tenant.adminKey, { id: tenant.workspaceId, count: false });
    expect(first.statements).toBe(1);
    expect(first.data.workspace.models.edges).toHaveLength(5);
    // An unfiltered totalCount is the count kept on the workspace row: no statement more.
    const next = await statementsOf(PAGE, tenant.adminKey, { id: tenant.workspaceId, after: first.data.workspace.models.pageInfo.endCursor, count: true });
    expect(next.statements).toBe(1);
    expect(next.data.workspace.models.totalCount).toBeGreaterThanOrEqual(15);
    // The second page continues the first.
    const names = [...first.data.workspace.models.edges, ...next.data.workspace.models.edges].map((e: { node: { metadata: { name: string } } }) => e.node.metadata.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    // Another tenant's workspace: null, in one statement, whatever the selection.
    const other = await app.tenant();
    const foreign = await statementsOf(PAGE, other.adminKey, { id: tenant.workspaceId, count: true });
    expect(foreign.data.workspace).toBeNull();
    expect(foreign.statements).toBe(1);
  });
});
