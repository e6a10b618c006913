/**
 * Statements by one id must be ones PostgreSQL plans once (IdCount in
 * src/db/sql.ts): `id = any($1)` is planned afresh on every execution, which
 * cost the server more than running the statement. Checked on one pooled
 * connection, whose prepared statements PostgreSQL lists with how each was
 * planned.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/client.ts';
import { selectModelPages, selectModels } from '../src/domain/models.ts';
import { selectWorkspaces } from '../src/domain/workspaces.ts';
import { setupTestApp, testTarget, type TestApp } from './helpers.ts';

const target = testTarget();
// Only a PostgreSQL run opens anything.
const t: TestApp | null = target.kind === 'postgres' ? await setupTestApp() : null;

describe.skipIf(target.kind !== 'postgres')('statements by id on PostgreSQL', () => {
  let one: DatabaseHandle;
  beforeAll(async () => void (one = await openDatabase(target, { pool: { max: 1, idleTimeoutSeconds: 0 }, migrate: false })));
  afterAll(() => one?.close());

  it('one id: a model, a workspace, a page of one workspace are planned once; many ids every time', async () => {
    const tenant = await t!.tenant('Plans');
    const page = await t!.gql(`query($w: ID!) { workspace(id: $w) { models(first: 2) { nodes { id } } } }`, {
      key: tenant.adminKey,
      variables: { w: tenant.workspaceId },
    });
    const modelIds: string[] = page.body.data.workspace.models.nodes.map((m: { id: string }) => m.id);
    const window = { limit: 20, backward: false, after: null, before: null };
    const runs = 8;
    for (let run = 0; run < runs; run++) {
      expect(await selectModels(one.db, tenant.accountId, [modelIds[0]!])).toHaveLength(1);
      expect(await selectModels(one.db, tenant.accountId, modelIds)).toHaveLength(2);
      expect(await selectWorkspaces(one.db, tenant.accountId, [tenant.workspaceId])).toHaveLength(1);
      const pages = await selectModelPages(one.db, tenant.accountId, [tenant.workspaceId], window, { field: 'CREATED_AT', direction: 'ASC' }, {});
      expect(pages.get(tenant.workspaceId)?.rows.length).toBeGreaterThan(2);
    }
    const statements = (await one.db.execute(
      sql`select statement, generic_plans::int, custom_plans::int from pg_prepared_statements where not from_sql`,
    )) as unknown as { statement: string; generic_plans: number; custom_plans: number }[];
    const planned = (pattern: RegExp) => {
      const found = statements.filter((s) => pattern.test(s.statement));
      expect(found, `${pattern}: ${statements.map((s) => s.statement).join('\n')}`).toHaveLength(1);
      return found[0]!;
    };
    // PostgreSQL decides after five custom plans; every later execution reuses the generic one.
    for (const byOneId of [/from "models" where [^)]*"models"\."id" = \$\d+\)$/, /^select [^(]*from "workspaces" where [^)]*"workspaces"\."id" = \$\d+\)$/, /json_agg.*"workspaces"\."id" = \$\d+\)$/]) {
      expect(planned(byOneId).generic_plans, String(byOneId)).toBe(runs - 5);
    }
    expect(planned(/from "models" where [^)]*"models"\."id" = any\(/)).toMatchObject({ generic_plans: 0, custom_plans: runs });
  });
});
