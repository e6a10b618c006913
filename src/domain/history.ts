import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { models, modelStatusChanges, type ModelRow, type ModelStatusChangeRow } from '../db/schema.ts';
import { accountRowsIn, anyText, idCount, idsValue, preparedOnce, type IdCount } from '../db/sql.ts';
import { isSequence, windowConditions, windowOrderBy, type KeysetOrder, type PageWindow } from './pagination.ts';

/**
 * The audit trail of model statuses. Rows are written only by the trigger of
 * drizzle/0005, in the transaction of the change, from the actor and request
 * the changing statement names; see model-changes.ts and catalog.ts.
 */

/** The NOTIFY channel the trigger announces each recorded change on, after its commit. */
export const STATUS_CHANGES_CHANNEL = 'model_status_changes';

/** A NOTIFY payload: ids only (a NOTIFY carries at most 8,000 bytes). */
export interface StatusChangeNotice {
  seq: number;
  accountId: string;
  workspaceId: string;
  modelId: string;
}

/** The notice in a NOTIFY payload, or null for anything the trigger did not write. */
export function parseStatusChangeNotice(payload: string): StatusChangeNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { seq, accountId, workspaceId, modelId } = value as Record<string, unknown>;
  return typeof seq === 'number' && typeof accountId === 'string' && typeof workspaceId === 'string' && typeof modelId === 'string'
    ? { seq, accountId, workspaceId, modelId }
    : null;
}

/**
 * What ModelStatusChange resolves from: a row of the trail, with the model
 * when whoever produced it already holds the row (a live event carries the
 * model as read with its batch of changes, once for every subscriber of the
 * process); otherwise `model` is read through the request's loader.
 */
export type StatusChange = ModelStatusChangeRow & { model?: ModelRow };

/** The id of the catalog's system profile: the actor of every change the catalog sync makes. Not a row of profiles. */
export const CATALOG_PROFILE_ID = 'prof_00000000000000000000000000';

/**
 * Newest first: `seq` is the order of recording, unique, and the second
 * column of the trail's index on (model_id, seq), which a page walks backwards.
 */
export const HISTORY_ORDER: KeysetOrder<ModelStatusChangeRow> = {
  keys: [{ expr: modelStatusChanges.seq, cast: 'bigint', of: (row) => String(row.seq), valid: isSequence }],
  descending: true,
};

/** The scope of a history cursor: valid only for the history of the model that produced it. */
export const historyCursorScope = (modelId: string) => `history:${modelId}`;

/**
 * A page's changes travel as one JSON array per model, each change an array
 * of its column values in this order (see MODEL_TUPLE in models.ts for why).
 */
const CHANGE_TUPLE = ['seq', 'accountId', 'workspaceId', 'modelId', 'fromStatus', 'toStatus', 'profileId', 'requestId', 'at'] as const satisfies readonly (keyof ModelStatusChangeRow)[];

// Every column of the row is in the tuple (a compile error names any that is not).
const everyColumn: Record<Exclude<keyof ModelStatusChangeRow, (typeof CHANGE_TUPLE)[number]>, never> = {};
void everyColumn;

type ChangeTuple = { [I in keyof typeof CHANGE_TUPLE]: I extends `${number}` ? (typeof CHANGE_TUPLE)[I] extends 'at' ? string : ModelStatusChangeRow[(typeof CHANGE_TUPLE)[I]] : never };

function changeFromTuple(t: ChangeTuple): ModelStatusChangeRow {
  return {
    seq: t[0],
    accountId: t[1],
    workspaceId: t[2],
    modelId: t[3],
    fromStatus: t[4],
    toStatus: t[5],
    profileId: t[6],
    requestId: t[7],
    at: new Date(t[8]),
  };
}

/**
 * The statement of one window shape (direction, which cursors), built once per
 * database: for each of the account's models among the ids, a correlated
 * subquery walks that model's part of the trail's index and stops after the
 * window, so any number of models costs one statement.
 */
const historyStatements = preparedOnce((_db: Database) => new Map<string, ReturnType<typeof buildHistoryStatement>>());

function historyStatement(db: Database, ids: IdCount, window: PageWindow) {
  const shape = [ids, window.backward, window.after !== null, window.before !== null].join(':');
  const statements = historyStatements(db);
  let statement = statements.get(shape);
  if (!statement) statements.set(shape, (statement = buildHistoryStatement(db, ids, window, shape)));
  return statement;
}

function buildHistoryStatement(db: Database, ids: IdCount, window: PageWindow, name: string) {
  const orderBySql = windowOrderBy(HISTORY_ORDER, window);
  const placeholders = (prefix: string, keys: readonly string[] | null) => keys && keys.map((_, i) => sql.placeholder(`${prefix}${i}`));
  // Named like the table it reads, so the order's expressions mean the same
  // column in json_agg's ORDER BY as in the window (see buildPageStatement).
  const page = db
    .select(getTableColumns(modelStatusChanges))
    .from(modelStatusChanges)
    .where(
      and(
        eq(modelStatusChanges.modelId, models.id),
        eq(modelStatusChanges.accountId, sql.placeholder('accountId')),
        ...windowConditions(HISTORY_ORDER, { after: placeholders('after', window.after), before: placeholders('before', window.before) }),
      ),
    )
    .orderBy(...orderBySql)
    .limit(sql.placeholder('limit'))
    .as('model_status_changes');
  const tuple = sql.join(
    CHANGE_TUPLE.map((key) => sql`${page[key]}`),
    sql`, `,
  );
  return db
    .select({
      modelId: models.id,
      // Null for an empty page.
      changes: sql<ChangeTuple[] | null>`(select json_agg(json_build_array(${tuple}) order by ${sql.join(orderBySql, sql`, `)}) from ${page})`,
    })
    .from(models)
    .where(accountRowsIn(models, ids))
    .prepare(`status_history:${name}`);
}

/**
 * One window of the status history of each of the account's models among
 * `modelIds`, in ONE statement; each page is in query order (see toPage).
 * Unknown and foreign models are absent.
 */
export async function selectStatusHistoryPages(
  db: Database,
  accountId: string,
  modelIds: readonly string[],
  window: PageWindow,
): Promise<Map<string, ModelStatusChangeRow[]>> {
  const values: Record<string, unknown> = { accountId, ids: idsValue(modelIds), limit: window.limit + 1 };
  window.after?.forEach((key, i) => (values[`after${i}`] = key));
  window.before?.forEach((key, i) => (values[`before${i}`] = key));
  const rows = await historyStatement(db, idCount(modelIds), window).execute(values);
  return new Map(rows.map(({ modelId, changes }) => [modelId, changes ? changes.map(changeFromTuple) : []]));
}

/** How many changes each of the account's models among `modelIds` has recorded: one grouped statement over the trail's index. */
export async function countStatusChanges(db: Database, accountId: string, modelIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ modelId: modelStatusChanges.modelId, count: sql<number>`count(*)::int` })
    .from(modelStatusChanges)
    .where(and(eq(modelStatusChanges.accountId, accountId), anyText(modelStatusChanges.modelId, modelIds)))
    .groupBy(modelStatusChanges.modelId);
  return new Map(rows.map((row) => [row.modelId, row.count]));
}
