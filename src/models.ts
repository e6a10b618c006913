import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from './db/client.ts';
import { isIdOf } from './db/ids.ts';
import { models, workspaces, type Labels, type ModelRow, type ModelStatus, type WorkspaceRow } from './db/schema.ts';
import { anyText, preparedOnce } from './db/sql.ts';
import { isText, isTimestamp, windowConditions, windowOrderBy, type KeysetOrder, type PageWindow, type SortKey } from './pagination.ts';
import { foldAscii } from './validation.ts';

export type ModelOrderField = 'CREATED_AT' | 'NAME' | 'PROVIDER';
export type OrderDirection = 'ASC' | 'DESC';
export interface ModelOrderBy {
  field: ModelOrderField;
  direction: OrderDirection;
}

/** A validated ModelFilter: every condition must hold. */
export interface ModelFilter {
  status?: ModelStatus;
  provider?: string;
  family?: string;
  bundleKey?: string;
  labels?: Labels;
  /** Already ASCII-folded. */
  search?: string;
}

const text = (expr: SQL, of: (row: ModelRow) => string): SortKey<ModelRow> => ({ expr, cast: 'text', of, valid: isText });
const byId: SortKey<ModelRow> = { expr: models.id, cast: 'text', of: (row) => row.id, valid: (value) => isIdOf('Model', value) };

const sortKeys: Record<ModelOrderField, SortKey<ModelRow>[]> = {
  CREATED_AT: [{ expr: models.createdAt, cast: 'timestamptz', of: (row) => row.createdAt.toISOString(), valid: isTimestamp }, byId],
  // lower() under the "C" collation of the column folds ASCII letters only.
  NAME: [text(sql`lower(${models.name})`, (row) => foldAscii(row.name)), byId],
  PROVIDER: [text(sql`${models.provider}`, (row) => row.provider), text(sql`${models.family}`, (row) => row.family), byId],
};

export function modelOrder({ field, direction }: ModelOrderBy): KeysetOrder<ModelRow> {
  return { keys: sortKeys[field], descending: direction === 'DESC' };
}

function filterConditions(filter: ModelFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(eq(models.status, filter.status));
  if (filter.provider !== undefined) conditions.push(eq(models.provider, filter.provider));
  if (filter.family !== undefined) conditions.push(eq(models.family, filter.family));
  if (filter.bundleKey !== undefined) conditions.push(eq(models.bundleKey, filter.bundleKey));
  if (filter.labels !== undefined) conditions.push(sql`${models.labels} @> ${JSON.stringify(filter.labels)}::jsonb`);
  if (filter.search !== undefined) {
    // strpos, not LIKE: '%' and '_' in a search match literally.
    const needle = sql`${filter.search}::text`;
    conditions.push(
      sql`(strpos(lower(${models.name}), ${needle}) > 0 or strpos(lower(${models.provider}), ${needle}) > 0 or strpos(lower(${models.family}), ${needle}) > 0)`,
    );
  }
  return conditions;
}

const modelsByIds = preparedOnce((db: Database) =>
  db
    .select()
    .from(models)
    .where(and(eq(models.accountId, sql.placeholder('accountId')), sql`${models.id} = any(${sql.placeholder('ids')}::text[])`))
    .prepare('models_by_ids'),
);

/** The account's models with these ids; unknown and foreign ids are simply absent. */
export function selectModels(db: Database, accountId: string, ids: readonly string[]): Promise<ModelRow[]> {
  return modelsByIds(db).execute({ accountId, ids });
}

/**
 * The account's workspaces with these ids, each with one page of its models,
 * in ONE statement: a LATERAL subquery per workspace walks the index of the
 * order and stops after the window, however deep the cursor. Unknown and
 * foreign workspaces are absent; each page is in query order (see toPage).
 */
export async function selectModelPages(
  db: Database,
  accountId: string,
  workspaceIds: readonly string[],
  window: PageWindow,
  orderBy: ModelOrderBy,
  filter: ModelFilter,
): Promise<Map<string, { workspace: WorkspaceRow; rows: ModelRow[] }>> {
  const order = modelOrder(orderBy);
  const orderBySql = windowOrderBy(order, window);
  const page = db
    .select({
      ...getTableColumns(models),
      // The position within the window, so the outer query can keep each page's order.
      position: sql<number>`row_number() over (order by ${sql.join(orderBySql, sql`, `)})`.as('position'),
    })
    .from(models)
    .where(
      and(
        eq(models.workspaceId, workspaces.id),
        eq(models.accountId, accountId),
        ...filterConditions(filter),
        ...windowConditions(order, window),
      ),
    )
    .orderBy(...orderBySql)
    .limit(window.limit + 1)
    .as('page');
  const rows = await db
    .select({ workspace: workspaces, model: page._.selectedFields })
    .from(workspaces)
    .leftJoinLateral(page, sql`true`)
    .where(and(eq(workspaces.accountId, accountId), anyText(workspaces.id, workspaceIds)))
    .orderBy(workspaces.id, page.position);
  const pages = new Map<string, { workspace: WorkspaceRow; rows: ModelRow[] }>();
  for (const { workspace, model } of rows) {
    let entry = pages.get(workspace.id);
    if (!entry) pages.set(workspace.id, (entry = { workspace, rows: [] }));
    if (model) {
      const { position: _, ...row } = model;
      entry.rows.push(row);
    }
  }
  return pages;
}

/** How many models match the filter in each workspace: one grouped statement. */
export async function countModels(
  db: Database,
  accountId: string,
  workspaceIds: readonly string[],
  filter: ModelFilter,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ workspaceId: models.workspaceId, count: sql<number>`count(*)::int` })
    .from(models)
    .where(and(eq(models.accountId, accountId), anyText(models.workspaceId, workspaceIds), ...filterConditions(filter)))
    .groupBy(models.workspaceId);
  return new Map(rows.map((r) => [r.workspaceId, r.count]));
}
