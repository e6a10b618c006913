import { and, eq, getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isIdOf } from '../db/ids.ts';
import { models, workspaces, type Labels, type ModelRow, type ModelStatus, type WorkspaceRow } from '../db/schema.ts';
import { accountRowsIn, anyText, idCount, idsValue, preparedOnce, preparedPerIdCount, type IdCount } from '../db/sql.ts';
import { isText, isTimestamp, windowConditions, windowOrderBy, type KeysetOrder, type PageWindow, type SortKey } from './pagination.ts';
import { checkText, fail, foldAscii, normalizeLabels, ok, type Result } from './validation.ts';
import { isoString } from './time.ts';

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
  /** A prefix of the name, the externalId or the id; already ASCII-folded. */
  prefix?: string;
}

/** A filter as a client sends it, before validation. */
export interface ModelFilterInput {
  status?: ModelStatus | null;
  provider?: string | null;
  family?: string | null;
  bundleKey?: string | null;
  labels?: readonly { key: string; value: string }[] | null;
  search?: string | null;
  prefix?: string | null;
}

export const SEARCH_MAX = 200;
const FILTER_TEXT_MAX = 255;

/**
 * Validates a filter; `field` names each input as the caller's surface calls
 * it (GraphQL's `filter.search` is REST's `query`), for the problem it reports.
 */
export function parseModelFilter(input: ModelFilterInput, field: (name: keyof ModelFilterInput) => string[]): Result<ModelFilter> {
  const filter: ModelFilter = {};
  if (input.status != null) filter.status = input.status;
  for (const name of ['provider', 'family', 'bundleKey', 'search', 'prefix'] as const) {
    const value = input[name];
    if (value == null) continue;
    const text = checkText(value, field(name));
    if (!text.ok) return text;
    const max = name === 'search' ? SEARCH_MAX : FILTER_TEXT_MAX;
    if (value.length > max) return fail('INVALID_ARGUMENT', field(name), `${field(name).join('.')} must be at most ${max} characters`);
    filter[name] = name === 'search' || name === 'prefix' ? foldAscii(value) : value;
  }
  if (input.labels != null) {
    const labels = normalizeLabels(input.labels, field('labels'));
    if (!labels.ok) return labels;
    filter.labels = labels.value;
  }
  return ok(filter);
}

const text = (expr: SQL, of: (row: ModelRow) => string): SortKey<ModelRow> => ({ expr, cast: 'text', of, valid: isText });
const byId: SortKey<ModelRow> = { expr: models.id, cast: 'text', of: (row) => row.id, valid: (value) => isIdOf('Model', value) };

const sortKeys: Record<ModelOrderField, SortKey<ModelRow>[]> = {
  CREATED_AT: [{ expr: models.createdAt, cast: 'timestamptz', of: (row) => isoString(row.createdAt), valid: isTimestamp }, byId],
  // lower() under the "C" collation of the column folds ASCII letters only.
  NAME: [text(sql`lower(${models.name})`, (row) => foldAscii(row.name)), byId],
  PROVIDER: [text(sql`${models.provider}`, (row) => row.provider), text(sql`${models.family}`, (row) => row.family), byId],
};

export function modelOrder({ field, direction }: ModelOrderBy): KeysetOrder<ModelRow> {
  return { keys: sortKeys[field], descending: direction === 'DESC' };
}

/** The values a filter condition compares with: the filter's own, or placeholders for a prepared statement. */
type FilterValue = (name: keyof ModelFilter) => unknown;
const filterValues = (filter: ModelFilter) => ({
  ...filter,
  ...(filter.labels !== undefined ? { labels: JSON.stringify(filter.labels) } : {}),
});
const valuesOf = (filter: ModelFilter): FilterValue => {
  const values = filterValues(filter);
  return (name) => values[name];
};

function filterConditions(filter: ModelFilter, value: FilterValue = valuesOf(filter)): SQL[] {
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(sql`${models.status} = ${value('status')}`);
  if (filter.provider !== undefined) conditions.push(sql`${models.provider} = ${value('provider')}`);
  if (filter.family !== undefined) conditions.push(sql`${models.family} = ${value('family')}`);
  if (filter.bundleKey !== undefined) conditions.push(sql`${models.bundleKey} = ${value('bundleKey')}`);
  if (filter.labels !== undefined) conditions.push(sql`${models.labels} @> ${value('labels')}::jsonb`);
  if (filter.search !== undefined) {
    // strpos, not LIKE: '%' and '_' in a search match literally.
    const needle = sql`${value('search')}::text`;
    conditions.push(
      sql`(strpos(lower(${models.name}), ${needle}) > 0 or strpos(lower(${models.provider}), ${needle}) > 0 or strpos(lower(${models.family}), ${needle}) > 0)`,
    );
  }
  if (filter.prefix !== undefined) {
    // starts_with, not LIKE, for the same reason; external_id is compared under "C" like the others.
    const prefix = sql`${value('prefix')}::text`;
    conditions.push(
      sql`(starts_with(lower(${models.name}), ${prefix}) or starts_with(lower(${models.externalId} collate "C"), ${prefix}) or starts_with(lower(${models.id}), ${prefix}))`,
    );
  }
  return conditions;
}

const modelsByIds = preparedPerIdCount((db: Database, ids) =>
  db
    // One JSON array per model, as in pages (see MODEL_TUPLE): mapping 17 columns a row cost more than the lookup.
    .select({ model: sql<ModelTuple>`${modelTuple(models)}` })
    .from(models)
    .where(accountRowsIn(models, ids))
    .prepare(`models_by_ids:${ids}`),
);

/** The account's models with these ids; unknown and foreign ids are simply absent. */
export async function selectModels(db: Database, accountId: string, ids: readonly string[]): Promise<ModelRow[]> {
  const rows = await modelsByIds(db, ids).execute({ accountId, ids: idsValue(ids) });
  return rows.map((row) => modelFromTuple(row.model));
}

/**
 * The account's workspaces with these ids, each with one page of its models,
 * in ONE statement: a subquery per workspace walks the index of the order
 * and stops after the window, however deep the cursor. Unknown and
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
  const values: Record<string, unknown> = { ...filterValues(filter), accountId, ids: idsValue(workspaceIds), limit: window.limit + 1 };
  window.after?.forEach((key, i) => (values[`after${i}`] = key));
  window.before?.forEach((key, i) => (values[`before${i}`] = key));
  const rows = await pageStatement(db, idCount(workspaceIds), window, orderBy, filter).execute(values);
  return new Map(rows.map(({ workspace, models }) => [workspace.id, { workspace, rows: models ? models.map(modelFromTuple) : [] }]));
}

/**
 * A page's models travel as one JSON array per workspace, each model an array
 * of its column values in the order of MODEL_TUPLE, built by the database: the
 * driver parses it natively, where mapping a row per model column by column
 * dominated the profile of pages, and arrays cost the database a third less
 * to build than objects with keys. Numbers that must stay exact (prices)
 * travel as text; timestamps as ISO 8601 text, made Dates here as Drizzle would.
 */
const MODEL_TUPLE = [
  'id',
  'accountId',
  'workspaceId',
  'profileId',
  'name',
  'createdAt',
  'bundleKey',
  'externalId',
  'labels',
  'provider',
  'family',
  'inputPricePerMillionTokens',
  'outputPricePerMillionTokens',
  'maxInputTokens',
  'maxOutputTokens',
  'status',
  'revision',
] as const satisfies readonly (keyof ModelRow)[];

// Every column of ModelRow is in the tuple (a compile error names any that is not).
const everyColumn: Record<Exclude<keyof ModelRow, (typeof MODEL_TUPLE)[number]>, never> = {};
void everyColumn;

type ModelTuple = { [I in keyof typeof MODEL_TUPLE]: I extends `${number}` ? (typeof MODEL_TUPLE)[I] extends 'createdAt' ? string : ModelRow[(typeof MODEL_TUPLE)[I]] : never };

function modelFromTuple(t: ModelTuple): ModelRow {
  return {
    id: t[0],
    accountId: t[1],
    workspaceId: t[2],
    profileId: t[3],
    name: t[4],
    createdAt: new Date(t[5]),
    bundleKey: t[6],
    externalId: t[7],
    labels: t[8],
    provider: t[9],
    family: t[10],
    inputPricePerMillionTokens: t[11],
    outputPricePerMillionTokens: t[12],
    maxInputTokens: t[13],
    maxOutputTokens: t[14],
    status: t[15],
    revision: t[16],
  };
}

const columnTypes = getTableColumns(models);

/** json_build_array(page.id, page.account_id, …) over the columns of a subquery of models, in MODEL_TUPLE's order. */
function modelTuple(page: { [K in keyof ModelRow]: SQLWrapper }): SQL {
  const values = MODEL_TUPLE.map((key) => (columnTypes[key].columnType === 'PgNumeric' ? sql`${page[key]}::text` : sql`${page[key]}`));
  return sql`json_build_array(${sql.join(values, sql`, `)})`;
}

/**
 * The page statement of one shape (order, direction, which cursors, which
 * filter conditions), built once per database with placeholders for every
 * value: pages are the hot path, and building SQL dominated their profile.
 */
const pageStatements = preparedOnce((_db: Database) => new Map<string, ReturnType<typeof buildPageStatement>>());

function pageStatement(db: Database, ids: IdCount, window: PageWindow, orderBy: ModelOrderBy, filter: ModelFilter) {
  const shape = [ids, orderBy.field, orderBy.direction, window.backward, window.after !== null, window.before !== null, ...Object.keys(filter).sort()].join(':');
  const statements = pageStatements(db);
  let statement = statements.get(shape);
  if (!statement) statements.set(shape, (statement = buildPageStatement(db, ids, window, orderBy, filter, shape)));
  return statement;
}

function buildPageStatement(db: Database, ids: IdCount, window: PageWindow, orderBy: ModelOrderBy, filter: ModelFilter, name: string) {
  const order = modelOrder(orderBy);
  const orderBySql = windowOrderBy(order, window);
  const placeholders = (prefix: string, keys: readonly string[] | null) => keys && keys.map((_, i) => sql.placeholder(`${prefix}${i}`));
  // Named "models" like the table it reads, so the order's expressions (over
  // "models".…) mean the same columns in json_agg's ORDER BY as in the window:
  // an aggregate's input order is otherwise unspecified.
  const page = db
    .select(getTableColumns(models))
    .from(models)
    .where(
      and(
        eq(models.workspaceId, workspaces.id),
        eq(models.accountId, sql.placeholder('accountId')),
        ...filterConditions(filter, (field) => sql.placeholder(field)),
        ...windowConditions(order, { after: placeholders('after', window.after), before: placeholders('before', window.before) }),
      ),
    )
    .orderBy(...orderBySql)
    .limit(sql.placeholder('limit'))
    .as('models');
  return db
    .select({
      workspace: workspaces,
      // A correlated subquery per workspace: no join and no grouping to undo. Null for an empty page.
      models: sql<ModelTuple[] | null>`(select json_agg(${modelTuple(page)} order by ${sql.join(orderBySql, sql`, `)}) from ${page})`,
    })
    .from(workspaces)
    .where(accountRowsIn(workspaces, ids))
    .prepare(`model_page:${name}`);
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
