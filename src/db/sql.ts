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
 * The account's rows among some ids, for a statement prepared with the
 * placeholders `accountId` and `ids`: unknown and foreign ids are simply absent.
 */
export function accountRowsIn(table: { id: SQLWrapper; accountId: SQLWrapper }): SQL {
  return and(eq(table.accountId, sql.placeholder('accountId')), anyText(table.id, sql.placeholder('ids')))!;
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
