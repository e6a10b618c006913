import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * `expr = any($1::text[])` with the whole list as ONE parameter. Drizzle's
 * inArray() spreads a list into one placeholder per item, which changes the
 * statement text with the list's length and defeats prepared statements.
 */
export function anyText(expr: SQLWrapper, values: readonly string[]): SQL {
  return sql`${expr} = any(${textArray(values)})`;
}

export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param(values)}::text[]`;
}
