/**
 * The "Connections" rule of DESIGN.md, for `workspace(id) { models(...) }` and
 * `workspaces`: keyset orders checked against an independent oracle, page
 * walks in both directions, exact flags, defaults, argument errors, totalCount,
 * filters and stability while rows are added.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { models, workspaces, type ModelRow, type WorkspaceRow } from '../src/db/schema.ts';
import { setupTestApp, type GraphQLResponse, type Tenant } from './helpers.ts';

const app = await setupTestApp();

// ---------------------------------------------------------------------------
// Operations and their result shapes
// ---------------------------------------------------------------------------

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: PageInfo;
  totalCount?: number;
}
interface ModelNode {
  id: string;
  metadata: { name: string; createdAt: string; workspaceId: string };
  spec: { provider: string; family: string; status: string };
}
interface WorkspaceNode {
  id: string;
  name: string;
  accountId: string;
  createdAt: string;
}
interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}
type OrderField = 'CREATED_AT' | 'NAME' | 'PROVIDER';
interface Order {
  field: OrderField;
  direction: 'ASC' | 'DESC';
}
type Status = 'MODEL_STATUS_UNSPECIFIED' | 'MODEL_STATUS_ENABLED' | 'MODEL_STATUS_DISABLED';
interface Filter {
  status?: Status;
  provider?: string;
  family?: string;
  bundleKey?: string;
  labels?: { key: string; value: string }[];
  search?: string;
}
interface ModelsArgs extends PageArgs {
  orderBy?: Order;
  filter?: Filter;
  withTotal?: boolean;
}

const MODELS_PAGE = /* GraphQL */ `
  query ModelsPage(
    $id: ID!
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: ModelFilter
    $orderBy: ModelOrder
    $withTotal: Boolean! = false
  ) {
    workspace(id: $id) {
      models(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
        edges {
          cursor
          node {
            id
            metadata { name createdAt workspaceId }
            spec { provider family status }
          }
        }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        totalCount @include(if: $withTotal)
      }
    }
  }
`;

const WORKSPACES_PAGE = /* GraphQL */ `
  query WorkspacesPage($first: Int, $after: String, $last: Int, $before: String, $withTotal: Boolean! = false) {
    workspaces(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id name accountId createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount @include(if: $withTotal)
    }
  }
`;

const CREATE_WORKSPACE = /* GraphQL */ `
  mutation CreateWorkspace($input: CreateWorkspaceInput!) {
    createWorkspace(input: $input) {
      workspace { id name }
      userErrors { code field message }
    }
  }
`;

const SET_MODEL_STATUS = /* GraphQL */ `
  mutation SetModelStatus($input: SetModelStatusInput!) {
    setModelStatus(input: $input) {
      model { id spec { status } }
      userErrors { code field message }
    }
  }
`;

const SET_MODEL_LABELS = /* GraphQL */ `
  mutation SetModelLabels($input: SetModelLabelsInput!) {
    setModelLabels(input: $input) {
      model { id metadata { labels { key value } } }
      userErrors { code field message }
    }
  }
`;

/** Connection arguments written into the document itself (not as variables). */
function inlineArgs(args: Record<string, unknown>): string {
  // JSON numbers and strings (escapes included) are valid GraphQL literals.
  return Object.entries(args)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
}

const inlineModelsQuery = (args: Record<string, unknown>) => /* GraphQL */ `
  query InlineModels($id: ID!) {
    workspace(id: $id) { models(${inlineArgs(args)}) { edges { cursor } pageInfo { hasNextPage } } }
  }
`;

const inlineWorkspacesQuery = (args: Record<string, unknown>) => /* GraphQL */ `
  query InlineWorkspaces { workspaces(${inlineArgs(args)}) { edges { cursor } pageInfo { hasNextPage } } }
`;

function expectData(res: GraphQLResponse): any {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data;
}

async function modelsPage(key: string, workspaceId: string, args: ModelsArgs = {}): Promise<Connection<ModelNode>> {
  const data = expectData(await app.gql(MODELS_PAGE, { key, variables: { id: workspaceId, ...args } }));
  expect(data.workspace, `workspace ${workspaceId}`).not.toBeNull();
  return data.workspace.models;
}

async function workspacesPage(key: string, args: PageArgs & { withTotal?: boolean } = {}): Promise<Connection<WorkspaceNode>> {
  return expectData(await app.gql(WORKSPACES_PAGE, { key, variables: { ...args } })).workspaces;
}

const idsOf = (connection: Connection<{ id: string }>) => connection.edges.map((edge) => edge.node.id);

// ---------------------------------------------------------------------------
// Page walks
// ---------------------------------------------------------------------------

type FetchPage<Node> = (args: PageArgs) => Promise<Connection<Node>>;

/** startCursor/endCursor are the cursors of the first/last edge, null on an empty page. */
function expectConsistentCursors(connection: Connection<unknown>): void {
  expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
  expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
}

const MAX_PAGES = 500;

/**
 * Pages with `first: size` (from `after`) until hasNextPage is false. Every
 * page but the last is full and says hasNextPage; a page reached because the
 * previous one said hasNextPage is never empty. Returns the pages' ids.
 */
async function walkForward<Node extends { id: string }>(fetch: FetchPage<Node>, size: number, after: string | null = null): Promise<string[][]> {
  const pages: string[][] = [];
  for (;;) {
    expect(pages.length, 'forward walk does not end').toBeLessThan(MAX_PAGES);
    const connection = await fetch({ first: size, after });
    expectConsistentCursors(connection);
    if (pages.length > 0) expect(connection.edges.length, 'hasNextPage was true, but the next page is empty').toBeGreaterThan(0);
    pages.push(idsOf(connection));
    if (!connection.pageInfo.hasNextPage) return pages;
    expect(connection.edges).toHaveLength(size);
    after = connection.pageInfo.endCursor;
  }
}

/** The mirror of walkForward with `last: size` and `before`; pages come back in list order. */
async function walkBackward<Node extends { id: string }>(fetch: FetchPage<Node>, size: number, before: string | null = null): Promise<string[][]> {
  const pages: string[][] = [];
  for (;;) {
    expect(pages.length, 'backward walk does not end').toBeLessThan(MAX_PAGES);
    const connection = await fetch({ last: size, before });
    expectConsistentCursors(connection);
    if (pages.length > 0) expect(connection.edges.length, 'hasPreviousPage was true, but the previous page is empty').toBeGreaterThan(0);
    pages.push(idsOf(connection));
    if (!connection.pageInfo.hasPreviousPage) return pages.reverse();
    expect(connection.edges).toHaveLength(size);
    before = connection.pageInfo.startCursor;
  }
}

/** Walks both ways with each size and expects exactly `expected`, each id once, in order. */
async function expectWalksVisit<Node extends { id: string }>(fetch: FetchPage<Node>, expected: string[], sizes: number[]): Promise<void> {
  expect(new Set(expected).size).toBe(expected.length);
  for (const size of sizes) {
    const forward = await walkForward(fetch, size);
    expect(forward.flat(), `forward, first: ${size}`).toEqual(expected);
    expect(forward).toHaveLength(Math.max(1, Math.ceil(expected.length / size)));
    const backward = await walkBackward(fetch, size);
    expect(backward.flat(), `backward, last: ${size}`).toEqual(expected);
    expect(backward).toHaveLength(Math.max(1, Math.ceil(expected.length / size)));
  }
}

// ---------------------------------------------------------------------------
// The oracle: the contract's orders and filters, computed in the test
// ---------------------------------------------------------------------------

/** Code point order. UTF-8 bytes compare as code points do; JS `<` compares UTF-16 units. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
/** ASCII letters to lower case, nothing else (what lower() does under COLLATE "C"). */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

const compareModels: Record<OrderField, (a: ModelRow, b: ModelRow) => number> = {
  CREATED_AT: (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  NAME: (a, b) => byCodePoint(foldAscii(a.name), foldAscii(b.name)),
  PROVIDER: (a, b) => byCodePoint(a.provider, b.provider) || byCodePoint(a.family, b.family),
};

/** Ids in the contract's order: the key, then id; DESC reverses the whole key. */
function expectedModelOrder(rows: readonly ModelRow[], order: Order = { field: 'CREATED_AT', direction: 'ASC' }): string[] {
  const sorted = [...rows].sort((a, b) => compareModels[order.field](a, b) || byCodePoint(a.id, b.id));
  if (order.direction === 'DESC') sorted.reverse();
  return sorted.map((row) => row.id);
}

function expectedWorkspaceOrder(rows: readonly WorkspaceRow[]): string[] {
  return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byCodePoint(a.id, b.id)).map((row) => row.id);
}

function matchesFilter(row: ModelRow, filter: Filter): boolean {
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.provider !== undefined && row.provider !== filter.provider) return false;
  if (filter.family !== undefined && row.family !== filter.family) return false;
  if (filter.bundleKey !== undefined && row.bundleKey !== filter.bundleKey) return false;
  if (filter.labels?.some(({ key, value }) => row.labels[key] !== value)) return false;
  if (filter.search !== undefined) {
    const needle = foldAscii(filter.search);
    if (![row.name, row.provider, row.family].some((text) => foldAscii(text).includes(needle))) return false;
  }
  return true;
}

const ORDERS: (Order | undefined)[] = [
  undefined,
  ...(['CREATED_AT', 'NAME', 'PROVIDER'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction): Order => ({ field, direction })),
  ),
];
const orderName = (order: Order | undefined) => (order ? `${order.field} ${order.direction}` : 'no orderBy');

// ---------------------------------------------------------------------------
// Data set up directly in the database
// ---------------------------------------------------------------------------

const modelRows = (workspaceId: string) => app.db.select().from(models).where(eq(models.workspaceId, workspaceId));
const accountWorkspaces = (accountId: string) => app.db.select().from(workspaces).where(eq(workspaces.accountId, accountId));

interface ExtraModel {
  name: string;
  provider: string;
  family: string;
  createdAt: Date;
}

/**
 * Inserts models into a workspace of the tenant. Ids are handed out in reverse
 * insertion order, so rows sharing a key come back from a table scan in the
 * opposite order of their ids: only a real id tie-break orders them right.
 */
async function insertModels(tenant: Tenant, workspaceId: string, extras: readonly ExtraModel[]): Promise<ModelRow[]> {
  const ids = extras.map(() => newId('Model')).reverse();
  return app.db
    .insert(models)
    .values(
      extras.map((extra, i) => ({
        id: ids[i]!,
        accountId: tenant.accountId,
        workspaceId,
        profileId: tenant.profileId,
        status: 'MODEL_STATUS_ENABLED' as const,
        ...extra,
      })),
    )
    .returning();
}

/** When the catalog models of a freshly seeded workspace were created (they share one instant). */
async function seededAt(workspaceId: string): Promise<Date> {
  const [row] = await modelRows(workspaceId);
  return row!.createdAt;
}

/**
 * Names and keys where case, ties and code points matter: equal lower-case
 * forms, ASCII punctuation between the cases, non-ASCII letters that must not
 * fold, a BMP character above the surrogates next to an astral one (UTF-16
 * and code point orders disagree), names equal to catalog names, several rows
 * sharing a created_at (with each other and with the catalog), and "%"/"_".
 */
function trickyModels(seeded: Date): ExtraModel[] {
  const tie = new Date('2031-05-05T05:05:05.555Z');
  const early = new Date('2001-01-01T00:00:00.000Z');
  const late = new Date(tie.getTime() + 1);
  return [
    { name: 'alpha', provider: 'acme', family: 'alpha', createdAt: tie },
    { name: 'Alpha', provider: 'acme', family: 'Alpha', createdAt: tie },
    { name: 'ALPHA', provider: 'Acme', family: 'alpha', createdAt: tie },
    { name: 'beta', provider: 'acme', family: 'beta', createdAt: tie },
    { name: 'BETA', provider: 'anthropic', family: 'Claude-beta', createdAt: seeded },
    { name: 'Éclair', provider: 'patisserie', family: 'eclair-1', createdAt: early },
    { name: 'éclair', provider: 'patisserie', family: 'eclair-2', createdAt: early },
    { name: 'zeta', provider: 'zeta', family: 'zeta', createdAt: late },
    { name: 'Zeta', provider: 'Zeta', family: 'zeta', createdAt: late },
    { name: '_under', provider: '_under', family: 'x', createdAt: tie },
    { name: 'Thunder', provider: 'storm', family: 'thunder', createdAt: tie },
    { name: '[bracket]', provider: '[x]', family: 'x', createdAt: seeded },
    { name: '100% pure', provider: 'acme', family: '100%', createdAt: seeded },
    { name: '\uFF21 fullwidth', provider: '\uFF21', family: 'x', createdAt: late },
    { name: '\u{1F600} emoji', provider: '\u{1F600}', family: 'x', createdAt: late },
    { name: 'GPT-5.4', provider: 'openai', family: 'gpt-5.4-copy', createdAt: tie },
    { name: 'gpt-5.4', provider: 'openai', family: 'GPT-5.4', createdAt: tie },
    { name: 'Gemini 3 Pro', provider: 'google', family: 'gemini-3-pro-copy', createdAt: seeded },
  ];
}

/** A tenant whose first workspace holds the catalog plus the tricky models. */
async function trickyTenant(): Promise<{ tenant: Tenant; rows: ModelRow[] }> {
  const tenant = await app.tenant();
  await insertModels(tenant, tenant.workspaceId, trickyModels(await seededAt(tenant.workspaceId)));
  return { tenant, rows: await modelRows(tenant.workspaceId) };
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** One BAD_USER_INPUT error whose message matches every pattern; nothing internal leaks. */
function expectBadUserInput(res: GraphQLResponse, ...patterns: RegExp[]): void {
  const body = JSON.stringify(res.body);
  expect(res.status, body).toBeLessThan(500);
  expect(res.body.errors, body).toHaveLength(1);
  const [error] = res.body.errors!;
  expect(error!.extensions?.code, body).toBe('BAD_USER_INPUT');
  for (const pattern of patterns) expect(error!.message).toMatch(pattern);
  expect(body).not.toMatch(/stack|\bselect\s|\bwhere\s|\bfrom\s+"|node_modules|\.ts:\d+|postgres|pglite|drizzle/i);
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const MALFORMED_CURSORS: [string, string][] = [
  ['empty', ''],
  ['short text', 'abc'],
  ['not base64', '!!!'],
  ['NUL', '\u0000'],
  ['base64 of an object', base64url(JSON.stringify({ hello: 'world' }))],
  ['base64 of numbers', base64url(JSON.stringify([1, 2, 3]))],
  ['base64 of strings', base64url(JSON.stringify(['x', 'y', 'z']))],
  ['base64 of null', base64url('null')],
  ['base64 of non-JSON', base64url('not json at all')],
  ['very long', 'A'.repeat(100_000)],
  ['very long base64 JSON', base64url(JSON.stringify(['x'.repeat(50_000), 'y']))],
];

/** Well-formed ISO dates that do not exist: February 30th, and year 0. */
const IMPOSSIBLE_DATES = ['2026-02-30', '0000-01-01'];

/** A real cursor (base64url JSON, as any client can see) with every timestamp's date replaced. */
function withImpossibleDate(cursor: string, date: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const tampered = decoded.replace(/\d{4}-\d\d-\d\dT/g, `${date}T`);
  expect(tampered, `no timestamp found in cursor ${decoded}`).not.toBe(decoded);
  return base64url(tampered);
}

const SIZE_ERRORS: [string, Record<string, number>, RegExp[]][] = [
  ['first: 101', { first: 101 }, [/first/, /100/]],
  ['last: 101', { last: 101 }, [/last/, /100/]],
  ['first: -1', { first: -1 }, [/first/, /negative|0/]],
  ['last: -1', { last: -1 }, [/last/, /negative|0/]],
  ['first and last', { first: 2, last: 2 }, [/first/, /last/]],
];

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('models connection: orders and page walks', () => {
  let tenant: Tenant;
  let rows: ModelRow[];
  beforeAll(async () => {
    ({ tenant, rows } = await trickyTenant());
  });

  it('has a fixture where case, ties and code points decide the order', () => {
    expect(rows).toHaveLength(20 + trickyModels(new Date()).length);
    const names = rows.map((row) => row.name);
    const byLocale = [...names].sort((a, b) => a.localeCompare(b));
    const byContract = [...names].sort((a, b) => byCodePoint(foldAscii(a), foldAscii(b)));
    expect(byContract).not.toEqual(byLocale);
    // UTF-16 units and code points disagree on these two.
    expect('\uFF21' < '\u{1F600}').toBe(false);
    expect(byCodePoint('\uFF21', '\u{1F600}')).toBeLessThan(0);
    const createdAtTies = rows.length - new Set(rows.map((row) => row.createdAt.getTime())).size;
    expect(createdAtTies).toBeGreaterThan(20);
  });

  describe.each(ORDERS.map((order) => [orderName(order), order] as const))('%s', (_name, order) => {
    const fetch: FetchPage<ModelNode> = (args) => modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, orderBy: order });

    it('one big page (first: 100 or last: 100) is the whole list in the contract order', async () => {
      const expected = expectedModelOrder(rows, order);
      for (const args of [{ first: 100 }, { last: 100 }]) {
        const page = await fetch(args);
        expect(idsOf(page), JSON.stringify(args)).toEqual(expected);
        expect(page.pageInfo.hasNextPage || page.pageInfo.hasPreviousPage).toBe(false);
      }
    });

    it('forward (first: 3, 7, 19) and backward (last: 3, 7, 19) walks visit every model once, in that order', async () => {
      // 19 divides the 38 models: the last full page must still say there is no more.
      await expectWalksVisit(fetch, expectedModelOrder(rows, order), [3, 7, 19]);
    });

    it('pages through a filtered list in the same order', async () => {
      const filter: Filter = { search: 'a' };
      const expected = expectedModelOrder(rows.filter((row) => matchesFilter(row, filter)), order);
      expect(expected.length).toBeGreaterThan(10);
      await expectWalksVisit((args) => modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, orderBy: order, filter }), expected, [4]);
    });
  });

  it('returns what it orders by: names, providers and createdAt as stored', async () => {
    const page = await modelsPage(tenant.readerKey, tenant.workspaceId, { first: 100 });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const { node } of page.edges) {
      const row = byId.get(node.id)!;
      expect(node.metadata).toEqual({ name: row.name, createdAt: row.createdAt.toISOString(), workspaceId: tenant.workspaceId });
      expect(node.spec.provider).toBe(row.provider);
      expect(node.spec.family).toBe(row.family);
    }
  });
});

describe('models connection: flags and empty pages', () => {
  let tenant: Tenant;
  let all: string[];
  let cursors: string[];
  const fetch = (args: ModelsArgs) => modelsPage(tenant.readerKey, tenant.workspaceId, args);
  beforeAll(async () => {
    tenant = await app.tenant();
    const page = await fetch({ first: 100 });
    all = idsOf(page);
    cursors = page.edges.map((edge) => edge.cursor);
    expect(all).toHaveLength(20);
  });

  /** Only flags whose true value is known to the test are given (the other one may be false). */
  const expectEmpty = (page: Connection<unknown>, flags: Partial<Pick<PageInfo, 'hasNextPage' | 'hasPreviousPage'>>) => {
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toMatchObject({ ...flags, startCursor: null, endCursor: null });
  };

  it('first: 0 on a non-empty list is an empty page that says there is a next page', async () => {
    expectEmpty(await fetch({ first: 0 }), { hasNextPage: true, hasPreviousPage: false });
  });

  it('last: 0 on a non-empty list is an empty page that says there is a previous page', async () => {
    expectEmpty(await fetch({ last: 0 }), { hasNextPage: false, hasPreviousPage: true });
  });

  it('a filter matching nothing is an empty page without flags, whatever the size', async () => {
    const filter: Filter = { provider: 'nobody' };
    for (const args of [{}, { first: 0 }, { first: 5 }, { last: 0 }, { last: 5 }]) {
      const page = await fetch({ ...args, filter, withTotal: true });
      expectEmpty(page, { hasNextPage: false, hasPreviousPage: false });
      expect(page.totalCount).toBe(0);
    }
  });

  it('after the last cursor, or before the first, is an empty page', async () => {
    expectEmpty(await fetch({ first: 3, after: cursors.at(-1)! }), { hasNextPage: false });
    expectEmpty(await fetch({ last: 3, before: cursors[0]! }), { hasPreviousPage: false });
  });

  it('hasNextPage is exact with first at the boundary', async () => {
    // Exactly 5 left after index 14: full page, no next page.
    const atEnd = await fetch({ first: 5, after: cursors[14]! });
    expect(idsOf(atEnd)).toEqual(all.slice(15));
    expect(atEnd.pageInfo.hasNextPage).toBe(false);
    // 6 left after index 13: one more.
    const beforeEnd = await fetch({ first: 5, after: cursors[13]! });
    expect(idsOf(beforeEnd)).toEqual(all.slice(14, 19));
    expect(beforeEnd.pageInfo.hasNextPage).toBe(true);
  });

  it('hasPreviousPage is exact with last at the boundary', async () => {
    const atStart = await fetch({ last: 5, before: cursors[5]! });
    expect(idsOf(atStart)).toEqual(all.slice(0, 5));
    expect(atStart.pageInfo.hasPreviousPage).toBe(false);
    const afterStart = await fetch({ last: 5, before: cursors[6]! });
    expect(idsOf(afterStart)).toEqual(all.slice(1, 6));
    expect(afterStart.pageInfo.hasPreviousPage).toBe(true);
  });

  it('first with before, and last with after, take the ends of the window between the cursors', async () => {
    const head = await fetch({ first: 3, before: cursors[10]! });
    expect(idsOf(head)).toEqual(all.slice(0, 3));
    expect(head.pageInfo.hasNextPage).toBe(true);
    const tail = await fetch({ last: 3, after: cursors[10]! });
    expect(idsOf(tail)).toEqual(all.slice(17));
    expect(tail.pageInfo.hasPreviousPage).toBe(true);
    const between = await fetch({ first: 100, after: cursors[4]!, before: cursors[9]! });
    expect(idsOf(between)).toEqual(all.slice(5, 9));
    expect(between.pageInfo.hasNextPage).toBe(false);
  });
});

describe('models connection: default page size', () => {
  let tenant: Tenant;
  let all: string[];
  let cursors: string[];
  const fetch = (args: ModelsArgs) => modelsPage(tenant.readerKey, tenant.workspaceId, args);
  beforeAll(async () => {
    tenant = await app.tenant();
    const seeded = await seededAt(tenant.workspaceId);
    const bulk = Array.from({ length: 40 }, (_, i): ExtraModel => ({
      name: `Bulk ${String(i).padStart(2, '0')}`,
      provider: 'bulk',
      family: `f${String(i).padStart(2, '0')}`,
      // Some share the catalog's instant, the others come in pairs.
      createdAt: new Date(seeded.getTime() + Math.floor(i / 2) * (i % 4 === 0 ? 0 : 1)),
    }));
    await insertModels(tenant, tenant.workspaceId, bulk);
    const expected = expectedModelOrder(await modelRows(tenant.workspaceId));
    const page = await fetch({ first: 100 });
    all = idsOf(page);
    cursors = page.edges.map((edge) => edge.cursor);
    expect(all).toEqual(expected);
    expect(all).toHaveLength(60);
  });

  it('neither first nor last means first: 50', async () => {
    const page = await fetch({});
    expect(idsOf(page)).toEqual(all.slice(0, 50));
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await fetch({ after: page.pageInfo.endCursor });
    expect(idsOf(rest)).toEqual(all.slice(50));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('only before means last: 50', async () => {
    const page = await fetch({ before: cursors[59]! });
    expect(idsOf(page)).toEqual(all.slice(9, 59));
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    const short = await fetch({ before: cursors[29]! });
    expect(idsOf(short)).toEqual(all.slice(0, 29));
    expect(short.pageInfo.hasPreviousPage).toBe(false);
  });

  it('after and before without a size means first: 50 within the window', async () => {
    const page = await fetch({ after: cursors[0]!, before: cursors[59]! });
    expect(idsOf(page)).toEqual(all.slice(1, 51));
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('neither size on the workspaces connection lists the one workspace', async () => {
    const page = await workspacesPage(tenant.readerKey);
    expect(idsOf(page)).toEqual([tenant.workspaceId]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, startCursor: page.edges[0]!.cursor });
  });
});

describe('models connection: argument errors', () => {
  let tenant: Tenant;
  let other: Tenant;
  let secondWorkspaceId: string;
  beforeAll(async () => {
    tenant = await app.tenant();
    other = await app.tenant();
    const created = expectData(await app.gql(CREATE_WORKSPACE, { key: tenant.adminKey, variables: { input: { name: 'Second' } } }));
    expect(created.createWorkspace.userErrors).toEqual([]);
    secondWorkspaceId = created.createWorkspace.workspace.id;
  });

  const viaVariables = (args: ModelsArgs, workspaceId = tenant.workspaceId) =>
    app.gql(MODELS_PAGE, { key: tenant.readerKey, variables: { id: workspaceId, ...args } });
  const inline = (args: Record<string, unknown>) =>
    app.gql(inlineModelsQuery(args), { key: tenant.readerKey, variables: { id: tenant.workspaceId } });
  const someCursor = async (key: string, workspaceId: string, orderBy?: Order) =>
    (await modelsPage(key, workspaceId, { first: 2, orderBy })).pageInfo.endCursor!;

  it.each(SIZE_ERRORS)('%s is refused, inline and through variables', async (_name, args, patterns) => {
    expectBadUserInput(await inline(args), ...patterns);
    expectBadUserInput(await viaVariables(args), ...patterns);
  });

  it('sizes 0 and 100 are allowed', async () => {
    for (const args of [{ first: 0 }, { last: 0 }, { first: 100 }, { last: 100 }]) {
      expect((await inline(args)).body.errors, JSON.stringify(args)).toBeUndefined();
    }
  });

  it.each(MALFORMED_CURSORS)('a malformed cursor (%s) is refused as after and as before', async (_name, cursor) => {
    for (const arg of ['after', 'before'] as const) {
      expectBadUserInput(await viaVariables({ [arg]: cursor }), new RegExp(arg), /cursor/i);
      expectBadUserInput(await inline({ [arg]: cursor, first: 2 }), new RegExp(arg), /cursor/i);
    }
  });

  it.each(IMPOSSIBLE_DATES)('a real cursor tampered to hold the date %s is refused, not a server error', async (date) => {
    const cursor = withImpossibleDate(await someCursor(tenant.readerKey, tenant.workspaceId), date);
    expectBadUserInput(await viaVariables({ first: 2, after: cursor }), /after/, /cursor/i);
  });

  it('a truncated cursor is refused', async () => {
    const cursor = await someCursor(tenant.readerKey, tenant.workspaceId);
    expectBadUserInput(await viaVariables({ first: 2, after: cursor.slice(0, -3) }), /after/, /cursor/i);
  });

  it('a cursor made for another orderBy is refused', async () => {
    const explicit = ORDERS.filter((order): order is Order => order !== undefined);
    for (const made of explicit) {
      const cursor = await someCursor(tenant.readerKey, tenant.workspaceId, made);
      for (const used of explicit.filter((o) => o.field !== made.field || o.direction !== made.direction)) {
        const res = await viaVariables({ first: 2, after: cursor, orderBy: used });
        expectBadUserInput(res, /after/, /cursor/i);
      }
    }
    // Cursors of the default order (CREATED_AT ASC) are not cursors of CREATED_AT DESC either.
    const defaultCursor = await someCursor(tenant.readerKey, tenant.workspaceId);
    expectBadUserInput(await viaVariables({ last: 2, before: defaultCursor, orderBy: { field: 'CREATED_AT', direction: 'DESC' } }), /before/, /cursor/i);
  });

  it("a cursor of another workspace's connection is refused, in the same account or another", async () => {
    const sameAccount = await someCursor(tenant.readerKey, secondWorkspaceId);
    expectBadUserInput(await viaVariables({ first: 2, after: sameAccount }), /after/, /cursor/i);
    const otherAccount = await someCursor(other.readerKey, other.workspaceId);
    expectBadUserInput(await viaVariables({ first: 2, after: otherAccount }), /after/, /cursor/i);
  });

  it('a cursor of the workspaces connection is refused on models, and the other way round', async () => {
    const workspaceCursor = (await workspacesPage(tenant.readerKey, { first: 1 })).pageInfo.endCursor!;
    expectBadUserInput(await viaVariables({ first: 2, after: workspaceCursor }), /after/, /cursor/i);
    const modelCursor = await someCursor(tenant.readerKey, tenant.workspaceId);
    expectBadUserInput(await app.gql(WORKSPACES_PAGE, { key: tenant.readerKey, variables: { first: 2, after: modelCursor } }), /after/, /cursor/i);
  });
});

describe('models connection: totalCount', () => {
  let tenant: Tenant;
  let rows: ModelRow[];
  beforeAll(async () => {
    ({ tenant, rows } = await trickyTenant());
  });

  it('counts every model of the workspace, on every page', async () => {
    const fetch: FetchPage<ModelNode> = async (args) => {
      const page = await modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, withTotal: true });
      expect(page.totalCount).toBe(rows.length);
      return page;
    };
    await expectWalksVisit(fetch, expectedModelOrder(rows), [10]);
  });

  it('is computed only when selected: one statement more with a filter, none without (the count kept on the workspace)', async () => {
    const run = (withTotal: boolean, filter?: Filter) =>
      app.countStatements(() => modelsPage(tenant.readerKey, tenant.workspaceId, { first: 5, withTotal, filter }));
    await run(false); // warm-up
    const without = await run(false);
    const withTotal = await run(true);
    expect(withTotal.result.totalCount).toBe(rows.length);
    expect(withTotal.statements, withTotal.sql.join('\n')).toBe(without.statements);
    const filter = { provider: 'openai' };
    const filteredWithout = await run(false, filter);
    const filteredWith = await run(true, filter);
    expect(filteredWith.result.totalCount).toBe(rows.filter((r) => r.provider === 'openai').length);
    expect(filteredWith.statements, filteredWith.sql.join('\n')).toBe(filteredWithout.statements + 1);
  });

  it('is computed only when selected on the workspaces connection too', async () => {
    const run = (withTotal: boolean) => app.countStatements(() => workspacesPage(tenant.readerKey, { first: 5, withTotal }));
    await run(false);
    const without = await run(false);
    const withTotal = await run(true);
    expect(withTotal.result.totalCount).toBe(1);
    expect(withTotal.statements, withTotal.sql.join('\n')).toBe(without.statements + 1);
  });
});

describe('models connection: filters', () => {
  let tenant: Tenant;
  let rowsByName: Map<string, ModelRow>;
  const modelNamed = (name: string) => {
    const row = rowsByName.get(name);
    if (!row) throw new Error(`no model named ${name}`);
    return row;
  };

  const mutate = async (mutation: string, input: Record<string, unknown>) => {
    const data = expectData(await app.gql(mutation, { key: tenant.adminKey, variables: { input } }));
    const payload = Object.values(data)[0] as { model: unknown; userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
    expect(payload.model).not.toBeNull();
  };

  beforeAll(async () => {
    ({ tenant } = await trickyTenant());
    rowsByName = new Map((await modelRows(tenant.workspaceId)).map((row) => [row.name, row]));
    for (const name of ['GPT-5 mini', 'GPT-5 nano', 'Gemini 3 Pro', 'alpha']) {
      await mutate(SET_MODEL_STATUS, { id: modelNamed(name).id, status: 'MODEL_STATUS_DISABLED' });
    }
    const labels: [string, Record<string, string>][] = [
      ['Claude Opus 4.6', { env: 'prod', team: 'core' }],
      ['Claude Sonnet 4.6', { env: 'prod' }],
      ['GPT-5 mini', { env: 'dev', team: 'core' }],
      ['Grok 4', { env: 'prod', team: 'edge', 'cost.center/x-1': 'A_b%' }],
    ];
    for (const [name, pairs] of labels) {
      await mutate(SET_MODEL_LABELS, { id: modelNamed(name).id, labels: Object.entries(pairs).map(([key, value]) => ({ key, value })) });
    }
    const bundles: [string, string][] = [
      ['Claude Haiku 4.5', 'bundle-a'],
      ['GPT-5 nano', 'bundle-a'],
      ['zeta', 'bundle-b'],
    ];
    for (const [name, bundleKey] of bundles) {
      await app.db.update(models).set({ bundleKey }).where(and(eq(models.id, modelNamed(name).id), eq(models.workspaceId, tenant.workspaceId)));
    }
  });

  /** The filtered list (one page, and a walk) equals the oracle's; totalCount counts it. Returns the names. */
  async function filtered(filter: Filter): Promise<string[]> {
    const rows = await modelRows(tenant.workspaceId);
    const expected = expectedModelOrder(rows.filter((row) => matchesFilter(row, filter)));
    const page = await modelsPage(tenant.readerKey, tenant.workspaceId, { first: 100, filter, withTotal: true });
    expect(idsOf(page), JSON.stringify(filter)).toEqual(expected);
    expect(page.totalCount, JSON.stringify(filter)).toBe(expected.length);
    const walked = await walkForward((args) => modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, filter }), 2);
    expect(walked.flat()).toEqual(expected);
    return page.edges.map((edge) => edge.node.metadata.name).sort();
  }

  it('status', async () => {
    expect(await filtered({ status: 'MODEL_STATUS_DISABLED' })).toEqual(['GPT-5 mini', 'GPT-5 nano', 'Gemini 3 Pro', 'alpha'].sort());
    expect(await filtered({ status: 'MODEL_STATUS_ENABLED' })).toHaveLength((await modelRows(tenant.workspaceId)).length - 4);
    expect(await filtered({ status: 'MODEL_STATUS_UNSPECIFIED' })).toEqual([]);
  });

  it('provider and family match exactly (case included)', async () => {
    expect(await filtered({ provider: 'openai' })).toEqual(['GPT-4.1', 'GPT-5 mini', 'GPT-5 nano', 'GPT-5.4', 'GPT-5.4', 'gpt-5.4', 'o4-mini'].sort());
    expect(await filtered({ provider: 'OpenAI' })).toEqual([]);
    expect(await filtered({ provider: 'acme' })).toEqual(['100% pure', 'Alpha', 'alpha', 'beta'].sort());
    expect(await filtered({ family: 'gpt-5.4' })).toEqual(['GPT-5.4']);
    expect(await filtered({ family: 'GPT-5.4' })).toEqual(['gpt-5.4']);
    expect(await filtered({ family: 'gpt-5' })).toEqual([]);
  });

  it('bundleKey', async () => {
    expect(await filtered({ bundleKey: 'bundle-a' })).toEqual(['Claude Haiku 4.5', 'GPT-5 nano']);
    expect(await filtered({ bundleKey: 'bundle-b' })).toEqual(['zeta']);
    expect(await filtered({ bundleKey: 'bundle' })).toEqual([]);
  });

  it('labels: every pair must match', async () => {
    expect(await filtered({ labels: [{ key: 'env', value: 'prod' }] })).toEqual(['Claude Opus 4.6', 'Claude Sonnet 4.6', 'Grok 4']);
    expect(await filtered({ labels: [{ key: 'team', value: 'core' }] })).toEqual(['Claude Opus 4.6', 'GPT-5 mini']);
    expect(await filtered({ labels: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'core' }] })).toEqual(['Claude Opus 4.6']);
    expect(await filtered({ labels: [{ key: 'team', value: 'core' }, { key: 'env', value: 'prod' }] })).toEqual(['Claude Opus 4.6']);
    expect(await filtered({ labels: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'edge' }] })).toEqual([]);
    expect(await filtered({ labels: [{ key: 'env', value: 'staging' }] })).toEqual([]);
    expect(await filtered({ labels: [{ key: 'env', value: 'PROD' }] })).toEqual([]);
    expect(await filtered({ labels: [{ key: 'cost.center/x-1', value: 'A_b%' }] })).toEqual(['Grok 4']);
    expect(await filtered({ labels: [{ key: 'cost.center/x-1', value: 'A_b' }] })).toEqual([]);
  });

  it('search: a substring of name, provider or family, folding ASCII case only', async () => {
    const claude = await filtered({ search: 'CLAUDE' });
    expect(claude).toEqual(['BETA', 'Claude Haiku 4.5', 'Claude Opus 4.6', 'Claude Sonnet 4.6']);
    expect(await filtered({ search: 'claude' })).toEqual(claude);
    expect(await filtered({ search: 'ANTHROPIC' })).toEqual(claude);
    expect(await filtered({ search: 'gemini-2.5' })).toEqual(['Gemini 2.5 Flash', 'Gemini 2.5 Flash-Lite', 'Gemini 2.5 Pro']);
    // Non-ASCII letters are not folded.
    expect(await filtered({ search: 'ÉCLAIR' })).toEqual(['Éclair']);
    expect(await filtered({ search: 'éclair' })).toEqual(['éclair']);
    expect(await filtered({ search: 'ECLAIR' })).toEqual(['Éclair', 'éclair'].sort());
    expect(await filtered({ search: '\uFF41' })).toEqual([]); // fullwidth "a" does not fold to or from "Ａ"
    expect(await filtered({ search: '\u{1F600}' })).toEqual(['\u{1F600} emoji']);
  });

  it('search: "%" and "_" match literally', async () => {
    expect(await filtered({ search: '%' })).toEqual(['100% pure']);
    expect(await filtered({ search: '_under' })).toEqual(['_under']);
    expect(await filtered({ search: 'under' })).toEqual(['Thunder', '_under']);
    expect(await filtered({ search: '_' })).toEqual(['_under']);
    expect(await filtered({ search: '0%' })).toEqual(['100% pure']);
    expect(await filtered({ search: '%%' })).toEqual([]);
    expect(await filtered({ search: 'a%' })).toEqual([]);
    expect(await filtered({ search: '\\' })).toEqual([]);
  });

  it('search "%" matches nothing where no name contains "%"', async () => {
    const plain = await app.tenant();
    const page = await modelsPage(plain.readerKey, plain.workspaceId, { first: 100, filter: { search: '%' }, withTotal: true });
    expect(idsOf(page)).toEqual([]);
    expect(page.totalCount).toBe(0);
  });

  it('combined filters must all hold', async () => {
    expect(await filtered({ provider: 'openai', status: 'MODEL_STATUS_DISABLED' })).toEqual(['GPT-5 mini', 'GPT-5 nano']);
    expect(await filtered({ provider: 'openai', status: 'MODEL_STATUS_DISABLED', search: 'NANO' })).toEqual(['GPT-5 nano']);
    expect(await filtered({ provider: 'openai', bundleKey: 'bundle-a', status: 'MODEL_STATUS_DISABLED' })).toEqual(['GPT-5 nano']);
    expect(await filtered({ search: 'claude', labels: [{ key: 'env', value: 'prod' }] })).toEqual(['Claude Opus 4.6', 'Claude Sonnet 4.6']);
    expect(await filtered({ search: 'claude', labels: [{ key: 'env', value: 'prod' }], family: 'claude-sonnet-4.6' })).toEqual(['Claude Sonnet 4.6']);
    expect(await filtered({ provider: 'anthropic', status: 'MODEL_STATUS_DISABLED' })).toEqual([]);
  });

  it('filters combine with every order and with cursors', async () => {
    const filter: Filter = { status: 'MODEL_STATUS_ENABLED', search: 'e' };
    const rows = (await modelRows(tenant.workspaceId)).filter((row) => matchesFilter(row, filter));
    for (const order of ORDERS) {
      const fetch: FetchPage<ModelNode> = (args) => modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, orderBy: order, filter });
      await expectWalksVisit(fetch, expectedModelOrder(rows, order), [5]);
    }
  });

  it.each([
    ['search with NUL', { search: 'a\u0000b' }, [/search/, /NUL/i]],
    ['provider with NUL', { provider: '\u0000' }, [/provider/, /NUL/i]],
    ['a label key with upper-case letters', { labels: [{ key: 'Env', value: 'prod' }] }, [/labels/, /key/, /lower-case/i]],
    ['an empty label key', { labels: [{ key: '', value: 'prod' }] }, [/labels/, /key/]],
    ['a repeated label key', { labels: [{ key: 'env', value: 'a' }, { key: 'env', value: 'b' }] }, [/labels/, /key/]],
  ] as [string, Filter, RegExp[]][])('an invalid filter (%s) is BAD_USER_INPUT', async (_name, filter, patterns) => {
    const res = await app.gql(MODELS_PAGE, { key: tenant.readerKey, variables: { id: tenant.workspaceId, filter } });
    expectBadUserInput(res, ...patterns);
  });
});

describe('models connection: stable pages while rows are added', () => {
  const extremes = (): [ExtraModel, ExtraModel] => [
    { name: '!first', provider: '!first', family: 'x', createdAt: new Date('2000-01-01T00:00:00.000Z') },
    { name: '~~last', provider: '~~last', family: 'x', createdAt: new Date('2100-01-01T00:00:00.000Z') },
  ];

  describe.each(ORDERS.filter((order): order is Order => order !== undefined).map((order) => [orderName(order), order] as const))(
    '%s',
    (_name, orderBy) => {
      it.each(['forward', 'backward'] as const)('%s: a row added behind the cursor is not seen, none is skipped or repeated', async (direction) => {
        const tenant = await app.tenant();
        const before = await modelRows(tenant.workspaceId);
        const fetch: FetchPage<ModelNode> = (args) => modelsPage(tenant.readerKey, tenant.workspaceId, { ...args, orderBy });
        const forward = direction === 'forward';

        const firstPage = await fetch(forward ? { first: 5 } : { last: 5 });
        // One row sorts before every other, one after: one of them lands behind the cursor.
        await insertModels(tenant, tenant.workspaceId, extremes());
        const rest = forward
          ? await walkForward(fetch, 5, firstPage.pageInfo.endCursor)
          : await walkBackward(fetch, 5, firstPage.pageInfo.startCursor);
        const visited = forward ? [...idsOf(firstPage), ...rest.flat()] : [...rest.flat(), ...idsOf(firstPage)];

        const all = expectedModelOrder(await modelRows(tenant.workspaceId), orderBy);
        const behind = forward ? all[0]! : all.at(-1)!;
        expect(new Set(visited).size).toBe(visited.length);
        for (const row of before) expect(visited).toContain(row.id);
        expect(visited).toEqual(all.filter((id) => id !== behind));
      });
    },
  );
});

describe('workspaces connection', () => {
  let tenant: Tenant;
  let other: Tenant;
  let expected: string[];
  let otherIds: string[];
  beforeAll(async () => {
    tenant = await app.tenant('Paging tenant');
    other = await app.tenant('Other tenant');
    const create = async (key: string, name: string) => {
      const data = expectData(await app.gql(CREATE_WORKSPACE, { key, variables: { input: { name } } }));
      expect(data.createWorkspace.userErrors).toEqual([]);
    };
    for (let i = 1; i <= 5; i++) await create(tenant.adminKey, `Workspace ${i}`);
    await create(other.adminKey, 'Workspace 1');
    // Three more sharing one createdAt, ids handed out in reverse insertion order.
    const tie = new Date('2040-02-02T02:02:02.222Z');
    const ids = [newId('Workspace'), newId('Workspace'), newId('Workspace')].reverse();
    await app.db.insert(workspaces).values(
      ids.map((id, i) => ({ id, accountId: tenant.accountId, profileId: tenant.profileId, name: `Tied ${i}`, createdAt: tie })),
    );
    expected = expectedWorkspaceOrder(await accountWorkspaces(tenant.accountId));
    otherIds = expectedWorkspaceOrder(await accountWorkspaces(other.accountId));
    expect(expected).toHaveLength(9);
    expect(otherIds).toHaveLength(2);
  });

  it('first: 100 is every workspace of the caller, in createdAt, id order, with totalCount', async () => {
    const page = await workspacesPage(tenant.readerKey, { first: 100, withTotal: true });
    expect(idsOf(page)).toEqual(expected);
    expect(page.totalCount).toBe(9);
    expect(page.edges.every(({ node }) => node.accountId === tenant.accountId)).toBe(true);
  });

  it('first: 2 / last: 2 (and 3) walks visit each once, in order, and never another tenant\'s', async () => {
    await expectWalksVisit((args) => workspacesPage(tenant.readerKey, args), expected, [2, 3]);
    await expectWalksVisit((args) => workspacesPage(other.readerKey, args), otherIds, [1, 2]);
  });

  it('first: 0 and an empty window have null cursors', async () => {
    const empty = await workspacesPage(tenant.readerKey, { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    const end = (await workspacesPage(tenant.readerKey, { last: 1 })).pageInfo.endCursor;
    const after = await workspacesPage(tenant.readerKey, { first: 5, after: end });
    expect(after.edges).toEqual([]);
    expect(after.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  it("another tenant's cursor shows nothing of that tenant", async () => {
    const foreign = (await workspacesPage(other.readerKey, { first: 1 })).pageInfo.endCursor;
    const res = await app.gql(WORKSPACES_PAGE, { key: tenant.readerKey, variables: { first: 100, after: foreign } });
    if (!res.body.errors) {
      const ids = idsOf(res.body.data.workspaces);
      for (const id of otherIds) expect(ids).not.toContain(id);
    } else {
      expectBadUserInput(res, /after/, /cursor/i);
    }
  });

  it.each(SIZE_ERRORS)('%s is refused, inline and through variables', async (_name, args, patterns) => {
    expectBadUserInput(await app.gql(inlineWorkspacesQuery(args), { key: tenant.readerKey }), ...patterns);
    expectBadUserInput(await app.gql(WORKSPACES_PAGE, { key: tenant.readerKey, variables: args }), ...patterns);
  });

  it.each(MALFORMED_CURSORS)('a malformed cursor (%s) is refused', async (_name, cursor) => {
    for (const arg of ['after', 'before'] as const) {
      expectBadUserInput(await app.gql(WORKSPACES_PAGE, { key: tenant.readerKey, variables: { [arg]: cursor } }), new RegExp(arg), /cursor/i);
    }
  });

  it.each(IMPOSSIBLE_DATES)('a real cursor tampered to hold the date %s is refused, not a server error', async (date) => {
    const cursor = withImpossibleDate((await workspacesPage(tenant.readerKey, { first: 1 })).pageInfo.endCursor!, date);
    expectBadUserInput(await app.gql(WORKSPACES_PAGE, { key: tenant.readerKey, variables: { first: 2, after: cursor } }), /after/, /cursor/i);
  });
});
