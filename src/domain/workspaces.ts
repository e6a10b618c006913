import { and, count, eq, sql } from 'drizzle-orm';
import { catalogRowsFor } from './catalog.ts';
import type { Database } from '../db/client.ts';
import { isIdOf, newId } from '../db/ids.ts';
import { models, workspaces, type WorkspaceRow } from '../db/schema.ts';
import { accountRowsIn, idsValue, preparedPerIdCount } from '../db/sql.ts';
import {
  isTimestamp,
  pageWindow,
  toPage,
  windowConditions,
  windowOrderBy,
  type ConnectionArgs,
  type KeysetOrder,
  type Page,
} from './pagination.ts';
import { fail, normalizeLabels, normalizeName, ok, type Result } from './validation.ts';
import { isoString } from './time.ts';

export interface CreateWorkspaceInput {
  accountId: string;
  profileId: string;
  name: string;
  labels?: readonly { key: string; value: string }[] | null;
}

/**
 * Creates a workspace seeded with the whole catalog, atomically. A name that
 * matches another of the account's workspaces (trimmed, ASCII case folded) is
 * a CONFLICT; `field` paths are relative to the caller's input.
 */
export async function createWorkspace(
  db: Database,
  input: CreateWorkspaceInput,
): Promise<Result<{ workspace: WorkspaceRow; modelCount: number }>> {
  const name = normalizeName(input.name, ['name']);
  if (!name.ok) return name;
  const labels = normalizeLabels(input.labels ?? [], ['labels']);
  if (!labels.ok) return labels;

  const workspace: WorkspaceRow = {
    id: newId('Workspace'),
    accountId: input.accountId,
    profileId: input.profileId,
    name: name.value,
    labels: labels.value,
    // Set here, not by the database, so the row is known without reading it back.
    createdAt: new Date(),
    modelCount: 0,
  };
  // One statement, so it is atomic without a transaction: the unique index on
  // (account_id, lower(name)) decides conflicts (two concurrent creations of
  // one name cannot both succeed), and the models are inserted only when the
  // workspace was.
  const created = db.$with('created').as(db.insert(workspaces).values(workspace).onConflictDoNothing().returning({ id: workspaces.id }));
  const seeded = await db
    .with(created)
    .insert(models)
    .select(sql`select * from ${catalogRowsFor([{ accountId: workspace.accountId, workspaceId: workspace.id, profileId: workspace.profileId }], workspace.createdAt)} where exists (select from ${created})`)
    .returning({ id: models.id });
  if (seeded.length === 0) {
    return fail('CONFLICT', ['name'], `A workspace named "${name.value}" already exists in this account`);
  }
  // The count trigger has added the seeded models to the row.
  return ok({ workspace: { ...workspace, modelCount: seeded.length }, modelCount: seeded.length });
}

const workspaceOrder: KeysetOrder<WorkspaceRow> = {
  keys: [
    { expr: workspaces.createdAt, cast: 'timestamptz', of: (row) => isoString(row.createdAt), valid: isTimestamp },
    { expr: workspaces.id, cast: 'text', of: (row) => row.id, valid: (value) => isIdOf('Workspace', value) },
  ],
  descending: false,
};

/** The account's workspaces, oldest first, as a Relay page. */
export async function workspacePage(db: Database, accountId: string, args: ConnectionArgs): Promise<Page<WorkspaceRow>> {
  const scope = 'workspaces';
  const window = pageWindow(args, scope, workspaceOrder);
  const rows = await db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.accountId, accountId), ...windowConditions(workspaceOrder, window)))
    .orderBy(...windowOrderBy(workspaceOrder, window))
    .limit(window.limit + 1);
  return toPage(rows, window, scope, workspaceOrder);
}

const workspacesByIds = preparedPerIdCount((db: Database, ids) =>
  db
    .select()
    .from(workspaces)
    .where(accountRowsIn(workspaces, ids))
    .prepare(`workspaces_by_ids:${ids}`),
);

/** The account's workspaces with these ids; unknown and foreign ids are simply absent. */
export function selectWorkspaces(db: Database, accountId: string, ids: readonly string[]): Promise<WorkspaceRow[]> {
  return workspacesByIds(db, ids).execute({ accountId, ids: idsValue(ids) });
}

export async function countWorkspaces(db: Database, accountId: string): Promise<number> {
  const [row] = await db.select({ count: count() }).from(workspaces).where(eq(workspaces.accountId, accountId));
  return row?.count ?? 0;
}
