import { asc, desc, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { GraphQLError } from 'graphql';

/** Relay's connection arguments as clients send them. */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** One sort key of a keyset order; every key travels in the cursor as a string. */
export interface SortKey<Row> {
  expr: SQLWrapper;
  /** SQL type the cursor's string is cast to before comparing. */
  cast: 'text' | 'timestamptz' | 'bigint';
  of(row: Row): string;
  /** Whether a cursor's string is a value this key can hold. */
  valid(value: string): boolean;
}

/** A total order: its last key must be unique (the id). */
export interface KeysetOrder<Row> {
  keys: readonly SortKey<Row>[];
  descending: boolean;
}

/** What to fetch: `limit + 1` rows in query order tell whether more exist. */
export interface PageWindow {
  limit: number;
  backward: boolean;
  after: string[] | null;
  before: string[] | null;
}

export interface Page<Row> {
  edges: readonly { readonly cursor: string; readonly node: Row }[];
  pageInfo: { readonly hasNextPage: boolean; readonly hasPreviousPage: boolean; readonly startCursor: string | null; readonly endCursor: string | null };
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function checkSize(name: 'first' | 'last', value: number): number {
  if (value < 0) throw badUserInput(`\`${name}\` must not be negative (got ${value}); pass 0 to ${MAX_PAGE_SIZE}.`);
  if (value > MAX_PAGE_SIZE) throw badUserInput(`\`${name}\` must be at most ${MAX_PAGE_SIZE} (got ${value}); page through larger lists with cursors.`);
  return value;
}

/**
 * Checks the page-size rules and decodes cursors. `scope` names the connection
 * and order that cursors belong to: a cursor minted under another scope is
 * refused, like a malformed one.
 */
export function pageWindow<Row>(args: ConnectionArgs, scope: string, order: KeysetOrder<Row>): PageWindow {
  const { first, last } = args;
  if (first != null && last != null) {
    throw badUserInput('Pass either `first` or `last`, not both.');
  }
  const after = args.after != null ? decodeCursor(args.after, 'after', scope, order) : null;
  const before = args.before != null ? decodeCursor(args.before, 'before', scope, order) : null;
  if (last != null) return { limit: checkSize('last', last), backward: true, after, before };
  if (first != null) return { limit: checkSize('first', first), backward: false, after, before };
  // Neither size: 50 forward, or 50 backward when only `before` is given.
  return { limit: DEFAULT_PAGE_SIZE, backward: before !== null && after === null, after, before };
}

export function encodeCursor(scope: string, keys: readonly string[]): string {
  return Buffer.from(JSON.stringify([scope, ...keys])).toString('base64url');
}

function decodeCursor<Row>(cursor: string, arg: string, scope: string, order: KeysetOrder<Row>): string[] {
  const invalid = () => badUserInput(`\`${arg}\` is not a valid cursor for this connection and orderBy.`);
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== order.keys.length + 1 || decoded[0] !== scope) throw invalid();
  const keys = decoded.slice(1);
  const valid = keys.every((value, i) => typeof value === 'string' && order.keys[i]!.valid(value));
  if (!valid) throw invalid();
  return keys as string[];
}

/** `(k1, k2, …) op (v1, v2, …)`: one row comparison, which an index on the keys serves. */
function compareKeys<Row>(order: KeysetOrder<Row>, op: '>' | '<', values: readonly unknown[]): SQL {
  const columns = sql.join(order.keys.map((k) => sql`${k.expr}`), sql`, `);
  const params = sql.join(
    order.keys.map((k, i) => sql`${values[i]}::${sql.raw(k.cast)}`),
    sql`, `,
  );
  return sql`(${columns}) ${sql.raw(op)} (${params})`;
}

/** WHERE conditions that bound a window by its cursors (their keys, or placeholders for them). */
export function windowConditions<Row>(
  order: KeysetOrder<Row>,
  window: { after: readonly unknown[] | null; before: readonly unknown[] | null },
): SQL[] {
  const conditions: SQL[] = [];
  const [forward, backward] = order.descending ? (['<', '>'] as const) : (['>', '<'] as const);
  if (window.after) conditions.push(compareKeys(order, forward, window.after));
  if (window.before) conditions.push(compareKeys(order, backward, window.before));
  return conditions;
}

/** ORDER BY for the query: a backward window reads the order in reverse. */
export function windowOrderBy<Row>(order: KeysetOrder<Row>, window: PageWindow): SQL[] {
  const descending = order.descending !== window.backward;
  return order.keys.map((k) => (descending ? desc(k.expr as SQL) : asc(k.expr as SQL)));
}

/**
 * An edge whose cursor is encoded when it is read: a query that selects only
 * `nodes`, or no cursor, encodes none (in nested pages the encoding was a
 * noticeable share of the work).
 */
class Edge<Row> {
  constructor(
    readonly node: Row,
    private readonly encode: (node: Row) => string,
  ) {}

  get cursor(): string {
    return this.encode(this.node);
  }
}

/** Page info whose cursors, too, are encoded only when read. */
class PageInfo<Row> {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly edges: readonly Edge<Row>[],
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

/** Turns the `limit + 1` rows fetched for a window into a Relay page. */
export function toPage<Row>(rows: readonly Row[], window: PageWindow, scope: string, order: KeysetOrder<Row>): Page<Row> {
  const more = rows.length > window.limit;
  const kept = rows.slice(0, window.limit);
  if (window.backward) kept.reverse();
  const encode = (node: Row) => encodeCursor(scope, order.keys.map((k) => k.of(node)));
  const edges = kept.map((node) => new Edge(node, encode));
  // Only the flag in the direction of travel is known without another query.
  return { edges, pageInfo: new PageInfo(!window.backward && more, window.backward && more, edges) };
}

/** A key's validators. */
// Date.parse accepts days that do not exist (Feb 30 rolls over) and year 0,
// which PostgreSQL refuses: only a value that survives the round trip is a key.
export const isTimestamp = (value: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) && !value.startsWith('0000') && safeIso(value) === value;
const safeIso = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};
export const isText = (value: string) => value.length <= 1024 && !value.includes('\0') && value.isWellFormed();
/** A positive integer key (an identity column) in canonical decimal, no larger than JavaScript counts exactly. */
export const isSequence = (value: string) => /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value));
