import { and, eq, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * `expr = any($1::text[])` with the whole list as ONE parameter (or one
 * placeholder for it). Drizzle's inArray() spreads a list into one placeholder
 * per item, which changes the statement text with the list's length and
 * defeats prepared statements.
 */
export function anyText(expr: SQLWrapper, values: readonly string[] | Placeholder): SQL {
  return sql`${expr} = any(${textArray(values)})`;
}

export function textArray(values: readonly string[] | Placeholder): SQL {
  return sql`${Array.isArray(values) ? sql.param(values) : values}::text[]`;
}

/**
 * How many ids a statement takes. PostgreSQL plans `id = any($1)` afresh on
 * every execution (a generic plan cannot know the array's length), which cost
 * it twice what running a page did; `id = $1` is planned once. Every
 * `model(id)` and every page of one workspace looks up a single id, so
 * statements by id come in both forms.
 */
export type IdCount = 'one' | 'many';

export const idCount = (ids: readonly string[]): IdCount => (ids.length === 1 ? 'one' : 'many');

/** The value of the `ids` placeholder of accountRowsIn(table, idCount(ids)). */
export const idsValue = (ids: readonly string[]): string | readonly string[] => (ids.length === 1 ? ids[0]! : ids);

/**
 * The account's rows among some ids, for a statement prepared with the
 * placeholders `accountId` and `ids` (see idsValue): unknown and foreign ids
 * are simply absent.
 */
export function accountRowsIn(table: { id: SQLWrapper; accountId: SQLWrapper }, ids: IdCount): SQL {
  const matches = ids === 'one' ? eq(table.id, sql.placeholder('ids')) : anyText(table.id, sql.placeholder('ids'));
  return and(eq(table.accountId, sql.placeholder('accountId')), matches)!;
}

/** A statement by id in both forms (see IdCount), each built once per database. */
export function preparedPerIdCount<Db extends object, Prepared>(build: (db: Db, ids: IdCount) => Prepared): (db: Db, ids: readonly string[]) => Prepared {
  const forms = { one: preparedOnce((db: Db) => build(db, 'one')), many: preparedOnce((db: Db) => build(db, 'many')) };
  return (db, ids) => forms[idCount(ids)](db);
}

/**
 * A statement built once per database and reused: Drizzle otherwise rebuilds
 * the SQL text of every query on every call, which shows in profiles of hot
 * paths. `build` must use sql.placeholder() for every value.
 */
export function preparedOnce<Db extends object, Prepared>(build: (db: Db) => Prepared): (db: Db) => Prepared {
  const cache = new WeakMap<Db, Prepared>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) cache.set(db, (prepared = build(db)));
    return prepared;
  };
}
