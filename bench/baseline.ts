/**
 * The baseline: the fastest server a Node process can be on this database for
 * the benchmark's operations (bench/scenarios.ts). node:http, postgres.js with
 * prepared statements, hand-written SQL (one statement per request where
 * possible) and JSON.stringify — no GraphQL library, no ORM, no router. It
 * answers each operation byte for byte as our server does — the GraphQL
 * operations at POST /graphql and the REST resource's two reads (GET
 * /v1/workspaces/{id}/models and …/models/{id}, with the same SQL) —
 * authenticating API keys the same way (a verified key is trusted for at most
 * 1 s, as the contract allows).
 *
 *   DATABASE_URL=postgres://… PORT=0 node --import tsx bench/baseline.ts
 *   (DATABASE_POOL_SIZE, default 10, and DATABASE_IDLE_TIMEOUT, default 0, as for our server)
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { GRAPHQL_PATH, queries, type OperationName } from './scenarios.ts';

interface Viewer {
  accountId: string;
  profileId: string;
  role: 'ADMIN' | 'READER';
}

interface ModelRow {
  id: string;
  account_id: string;
  workspace_id: string;
  profile_id: string;
  name: string;
  created_at: Date;
  bundle_key: string | null;
  external_id: string | null;
  labels: Record<string, string>;
  provider: string;
  family: string;
  input_price_per_million_tokens: string | null;
  output_price_per_million_tokens: string | null;
  max_input_tokens: number | null;
  max_output_tokens: number | null;
  status: string;
  revision: number;
}

type Variables = Record<string, unknown>;
type Reply = { status: number; body: unknown };

const MAX_PAGE_SIZE = 100;
const MAX_BODY_BYTES = 1_048_576;
const KEY_TTL_MS = 1_000;

// ---- SQL: constant texts, so each connection prepares each statement once.
// No outer ORDER BY: a LATERAL subquery runs as a nested loop, so each
// workspace's rows come out in the order of its subquery; `inOrder` checks it
// (and sorts in the unexpected case) at the cost of one comparison per row.

const COLUMNS = `id, account_id, workspace_id, profile_id, name, created_at, bundle_key, external_id, labels, provider, family,
  input_price_per_million_tokens, output_price_per_million_tokens, max_input_tokens, max_output_tokens, status, revision`;
const M_COLUMNS = COLUMNS.split(',').map((c) => `m.${c.trim()}`).join(', ');

const SQL = {
  apiKey: `select account_id, profile_id, role, secret_hash from api_keys where id = $1 and revoked_at is null`,
  modelById: `select ${COLUMNS} from models where id = $1 and account_id = $2`,
  workspaceExists: `select 1 from workspaces where id = $1 and account_id = $2`,
  // The workspace (scoped to the account) and its window: a row of nulls beside it when the page is empty.
  // The count needs no account_id of its own (the workspace is the account's), so it is an index-only scan.
  page: (after: boolean, count: boolean) => `
    select w.id as wid${count ? ', c.total' : ''}, ${M_COLUMNS}
    from workspaces w
    ${count ? 'cross join lateral (select count(*)::int as total from models where workspace_id = w.id) c' : ''}
    left join lateral (
      select ${COLUMNS} from models
      where workspace_id = w.id and account_id = $2${after ? ' and (created_at, id) > ($4::timestamptz, $5::text)' : ''}
      order by created_at, id
      limit $3
    ) m on true
    where w.id = $1 and w.account_id = $2`,
  workspaces: `select id, name from workspaces where account_id = $1 order by created_at, id limit $2`,
  pagesOf: `
    select ${M_COLUMNS}
    from unnest($1::text[]) as p(id)
    cross join lateral (
      select ${COLUMNS} from models
      where workspace_id = p.id and account_id = $2
      order by created_at, id
      limit $3
    ) m`,
  // The actor and request of a real change, which the audit trigger records (drizzle/0005), as ours does.
  setStatus: `
    update models set status = $1, revision = revision + (status is distinct from $1)::int,
      status_profile_id = case when status is distinct from $1 then $4 else status_profile_id end,
      status_request_id = case when status is distinct from $1 then $5 else status_request_id end
    where id = $2 and account_id = $3
    returning id, status, revision`,
};
const PAGE_SQL = [SQL.page(false, false), SQL.page(true, false), SQL.page(false, true)] as const;

// ---- Values as our server writes them.

const ULID = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
const MODEL_ID = new RegExp(`^model_${ULID}$`);
const WORKSPACE_ID = new RegExp(`^ws_${ULID}$`);
const API_KEY = /^(key_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** GET /v1/workspaces/{workspaceId}/models and …/models/{id}. */
const REST_ROUTE = /^\/v1\/workspaces\/([^/]+)\/models(?:\/([^/]+))?$/;
/** A path segment, percent-decoded; null when it cannot be. */
const decoded = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

function labelList(labels: Record<string, string>) {
  const keys = Object.keys(labels);
  if (keys.length === 0) return [];
  return keys.sort().map((key) => ({ key, value: labels[key]! }));
}

function model(r: ModelRow) {
  return {
    id: r.id,
    metadata: {
      id: r.id,
      accountId: r.account_id,
      createdAt: r.created_at.toISOString(),
      name: r.name,
      profileId: r.profile_id,
      workspaceId: r.workspace_id,
      bundleKey: r.bundle_key,
      externalId: r.external_id,
      labels: labelList(r.labels),
      revision: r.revision,
    },
    spec: {
      provider: r.provider,
      family: r.family,
      status: r.status,
      inputPricePerMillionTokens: r.input_price_per_million_tokens,
      outputPricePerMillionTokens: r.output_price_per_million_tokens,
      maxInputTokens: r.max_input_tokens,
      maxOutputTokens: r.max_output_tokens,
    },
  };
}

const before = (a: ModelRow, b: ModelRow) => {
  const ta = a.created_at.getTime();
  const tb = b.created_at.getTime();
  return ta < tb || (ta === tb && a.id < b.id);
};
/** One workspace's rows in (created_at, id) order. */
function inOrder<T extends ModelRow>(rows: T[]): T[] {
  for (let i = 1; i < rows.length; i++) {
    if (!before(rows[i - 1]!, rows[i]!)) return rows.sort((a, b) => (before(a, b) ? -1 : 1));
  }
  return rows;
}

const encodeCursor = (scope: string, r: ModelRow) =>
  Buffer.from(JSON.stringify([scope, r.created_at.toISOString(), r.id])).toString('base64url');

/** The [createdAt, id] keys of a cursor minted under `scope`, or null for anything else. */
function decodeCursor(cursor: string, scope: string): [string, string] | null {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]*$/.test(cursor)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== scope) return null;
  const [, createdAt, id] = decoded as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !MODEL_ID.test(id)) return null;
  if (!TIMESTAMP.test(createdAt) || createdAt.startsWith('0000')) return null;
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) return null;
  return [createdAt, id];
}

/** A model as our REST resource writes it (src/rest/model-json.ts): keys in the seed's order, unset ones omitted. */
function restModel(r: ModelRow) {
  const metadata: Record<string, unknown> = {
    id: r.id,
    accountId: r.account_id,
    createdAt: r.created_at.toISOString(),
    name: r.name,
    profileId: r.profile_id,
    workspaceId: r.workspace_id,
  };
  if (r.bundle_key !== null) metadata.bundleKey = r.bundle_key;
  if (r.external_id !== null) metadata.externalId = r.external_id;
  // jsonb keeps keys by length, then bytes: REST writes them sorted.
  const keys = Object.keys(r.labels);
  if (keys.length > 0) {
    const labels: Record<string, string> = {};
    for (const key of keys.sort()) labels[key] = r.labels[key]!;
    metadata.labels = labels;
  }
  const spec: Record<string, unknown> = { family: r.family };
  if (r.input_price_per_million_tokens !== null) spec.inputPricePerMillionTokens = r.input_price_per_million_tokens;
  if (r.max_input_tokens !== null) spec.maxInputTokens = r.max_input_tokens;
  if (r.max_output_tokens !== null) spec.maxOutputTokens = r.max_output_tokens;
  if (r.output_price_per_million_tokens !== null) spec.outputPricePerMillionTokens = r.output_price_per_million_tokens;
  spec.provider = r.provider;
  spec.status = r.status;
  return { metadata, spec };
}

/**
 * A REST list cursor's scope (src/rest/router.ts): the workspace, the order,
 * and a hash of the filter — always `{}` here, the benchmark sends no filter.
 */
const NO_FILTER = createHash('sha256').update(JSON.stringify({})).digest('base64url').slice(0, 16);
const restScope = (workspaceId: string) => `rest:${workspaceId}:ASC:${NO_FILTER}`;

// ---- Replies.

const error = (status: number, message: string, code: string, data?: unknown): Reply => ({
  status,
  body: data === undefined ? { errors: [{ message, extensions: { code } }] } : { errors: [{ message, extensions: { code } }], data },
});
const badInput = (message: string, data: unknown, path?: string[]): Reply => ({
  status: 200,
  body: { errors: [{ message, ...(path ? { path } : {}), extensions: { code: 'BAD_USER_INPUT' } }], data },
});

/** REST's errors: google.rpc.Status bodies (src/rest/status.ts). */
const rpcError = (status: number, code: number, message: string, details: unknown[] = []): Reply => ({ status, body: { code, message, details } });
const restNotFound = (what: 'workspace' | 'model') => rpcError(404, 5, `No ${what} with this id exists in this account.`);
const REST_UNAUTHENTICATED = rpcError(401, 16, 'Authentication required: send `Authorization: Bearer <api key or access token>`.');
const restBadRequest = (field: string, description: string) =>
  rpcError(400, 3, `${field}: ${description}`, [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description }] }]);

function pageSize(value: unknown, name: string): number | string {
  if (!Number.isInteger(value)) return `Variable "$${name}" must be an Int.`;
  const n = value as number;
  if (n < 0) return `\`first\` must not be negative (got ${n}); pass 0 to ${MAX_PAGE_SIZE}.`;
  if (n > MAX_PAGE_SIZE) return `\`first\` must be at most ${MAX_PAGE_SIZE} (got ${n}); page through larger lists with cursors.`;
  return n;
}

export interface PoolOptions {
  /** Connections (our server's DATABASE_POOL_SIZE; default 10). */
  max: number;
  /** Close a connection idle this many seconds, 0 keeps it (our DATABASE_IDLE_TIMEOUT). */
  idleTimeoutSeconds: number;
}

export function createBaseline(databaseUrl: string, pool: PoolOptions = { max: 10, idleTimeoutSeconds: 0 }) {
  const sql = postgres(databaseUrl, { max: pool.max, idle_timeout: pool.idleTimeoutSeconds || undefined, onnotice: () => {} });
  const run = <T extends object>(text: string, params: (string | number | string[])[]) =>
    sql.unsafe<T[]>(text, params, { prepare: true });

  // ---- Authentication: one lookup per key per second (in flight lookups are shared).
  const keys = new Map<string, { expires: number; viewer: Promise<Viewer | null> }>();
  function authenticate(authorization: string | undefined): Promise<Viewer | null> {
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) return Promise.resolve(null);
    const now = performance.now();
    const cached = keys.get(token);
    if (cached && cached.expires > now) return cached.viewer;
    const parts = API_KEY.exec(token);
    if (!parts) return Promise.resolve(null);
    if (keys.size > 10_000) for (const [k, v] of keys) if (v.expires <= now) keys.delete(k);
    const viewer = lookUpKey(parts[1]!, parts[2]!);
    keys.set(token, { expires: now + KEY_TTL_MS, viewer });
    viewer.catch(() => keys.delete(token));
    return viewer;
  }
  async function lookUpKey(apiKeyId: string, secret: string): Promise<Viewer | null> {
    const [row] = await run<{ account_id: string; profile_id: string; role: Viewer['role']; secret_hash: string }>(SQL.apiKey, [apiKeyId]);
    if (!row) return null;
    const hash = createHash('sha256').update(secret).digest();
    const stored = Buffer.from(row.secret_hash, 'hex');
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return null;
    return { accountId: row.account_id, profileId: row.profile_id, role: row.role };
  }

  // ---- Operations.
  const operations: Record<OperationName, (viewer: Viewer, v: Variables) => Promise<Reply>> = {
    async ModelById(viewer, v) {
      const id = v.id;
      if (typeof id !== 'string') return error(200, 'Variable "$id" of required type "ID!" was not provided.', 'BAD_USER_INPUT');
      const [row] = MODEL_ID.test(id) ? await run<ModelRow>(SQL.modelById, [id, viewer.accountId]) : [];
      return { status: 200, body: { data: { model: row ? model(row) : null } } };
    },

    ModelsPage: (viewer, v) => modelsPage(viewer, v, false),
    ModelsPageWithCount: (viewer, v) => modelsPage(viewer, v, true),

    async Nested(viewer, v) {
      const workspacesFirst = pageSize(v.workspaces, 'workspaces');
      if (typeof workspacesFirst === 'string') return badInput(workspacesFirst, null);
      const modelsFirst = pageSize(v.models, 'models');
      const workspaces = await run<{ id: string; name: string }>(SQL.workspaces, [viewer.accountId, workspacesFirst]);
      if (typeof modelsFirst === 'string') return workspaces.length > 0 ? badInput(modelsFirst, null) : { status: 200, body: { data: { workspaces: { nodes: [] } } } };
      const byWorkspace = new Map<string, ModelRow[]>(workspaces.map((w) => [w.id, []]));
      if (workspaces.length > 0 && modelsFirst > 0) {
        const rows = await run<ModelRow>(SQL.pagesOf, [workspaces.map((w) => w.id), viewer.accountId, modelsFirst]);
        for (const row of rows) byWorkspace.get(row.workspace_id)!.push(row);
      }
      const nodes = workspaces.map((w) => ({ id: w.id, name: w.name, models: { nodes: inOrder(byWorkspace.get(w.id)!).map(model) } }));
      return { status: 200, body: { data: { workspaces: { nodes } } } };
    },

    async SetStatus(viewer, v) {
      const { id, status } = v;
      const failed = (code: string, field: string[] | null, message: string): Reply => ({
        status: 200,
        body: { data: { setModelStatus: { model: null, userErrors: [{ code, field, message }] } } },
      });
      if (typeof id !== 'string') return error(200, 'Variable "$id" of required type "ID!" was not provided.', 'BAD_USER_INPUT');
      if (status !== 'MODEL_STATUS_ENABLED' && status !== 'MODEL_STATUS_DISABLED' && status !== 'MODEL_STATUS_UNSPECIFIED') {
        return error(200, 'Variable "$status" got invalid value; expected a ModelStatus.', 'BAD_USER_INPUT');
      }
      if (viewer.role !== 'ADMIN') return failed('FORBIDDEN', null, 'This API key has the READER role; mutations need an ADMIN key.');
      if (status === 'MODEL_STATUS_UNSPECIFIED') {
        return failed('INVALID_ARGUMENT', ['input', 'status'], 'status must be MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED');
      }
      const [row] = MODEL_ID.test(id)
        ? await run<{ id: string; status: string; revision: number }>(SQL.setStatus, [status, id, viewer.accountId, viewer.profileId, randomUUID()])
        : [];
      if (!row) return failed('NOT_FOUND', ['input', 'id'], 'No model with this id exists in this account.');
      return {
        status: 200,
        body: { data: { setModelStatus: { model: { id: row.id, spec: { status: row.status }, metadata: { revision: row.revision } }, userErrors: [] } } },
      };
    },
  };

  async function modelsPage(viewer: Viewer, v: Variables, withCount: boolean): Promise<Reply> {
    const workspaceId = v.workspace;
    if (typeof workspaceId !== 'string') return error(200, 'Variable "$workspace" of required type "ID!" was not provided.', 'BAD_USER_INPUT');
    const scope = `${workspaceId}:CREATED_AT:ASC`;
    const first = pageSize(v.first, 'first');
    const after = !withCount && v.after != null ? (typeof v.after === 'string' ? decodeCursor(v.after, scope) : null) : undefined;
    if (typeof first === 'string' || after === null) {
      // Our server reports a bad argument only for a workspace it found.
      const [found] = await run<{ '?column?': number }>(SQL.workspaceExists, [workspaceId, viewer.accountId]);
      if (!found) return { status: 200, body: { data: { workspace: null } } };
      return badInput(typeof first === 'string' ? first : '`after` is not a valid cursor for this connection and orderBy.', { workspace: null }, ['workspace', 'models']);
    }
    const rows = inOrder(await run<ModelRow & { wid: string; total?: number }>(
      withCount ? PAGE_SQL[2] : after ? PAGE_SQL[1] : PAGE_SQL[0],
      after ? [workspaceId, viewer.accountId, first + 1, after[0], after[1]] : [workspaceId, viewer.accountId, first + 1],
    ));
    if (rows.length === 0) return { status: 200, body: { data: { workspace: null } } };
    // An empty page is one row of nulls beside the workspace.
    const more = rows[0]!.id !== null && rows.length > first;
    const edges = [];
    for (let i = 0; i < rows.length && i < first; i++) {
      const row = rows[i]!;
      if (row.id === null) break;
      edges.push({ cursor: encodeCursor(scope, row), node: model(row) });
    }
    const pageInfo = {
      hasNextPage: more,
      hasPreviousPage: false,
      startCursor: edges.length > 0 ? edges[0]!.cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : null,
    };
    const models = withCount ? { totalCount: rows[0]!.total, edges, pageInfo } : { edges, pageInfo };
    return { status: 200, body: { data: { workspace: { models } } } };
  }

  // ---- REST: the two reads of the benchmark, in our server's order of checks
  // (the query's validation, the key, the ids, the cursor).
  async function restList(workspaceId: string, search: string, authorization: string | undefined): Promise<Reply> {
    let limit = 50;
    let cursor: string | null = null;
    for (const [name, value] of new URLSearchParams(search)) {
      if (name === 'limit') {
        limit = Number(value);
        if (value === '' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return restBadRequest('limit', 'must be an integer from 1 to 100');
      } else if (name === 'cursor') cursor = value || null; // an empty cursor is a first page, as for our server
      else return rpcError(400, 3, 'The baseline answers only the benchmark operations (bench/scenarios.ts).');
    }
    const viewer = await authenticate(authorization);
    if (!viewer) return REST_UNAUTHENTICATED;
    if (!WORKSPACE_ID.test(workspaceId)) return restNotFound('workspace');
    const scope = restScope(workspaceId);
    const after = cursor === null ? null : decodeCursor(cursor, scope);
    if (after === null && cursor !== null) {
      return restBadRequest('cursor', 'not a valid cursor for this workspace, these filters and this sortOrder');
    }
    const rows = inOrder(await run<ModelRow & { wid: string }>(
      after ? PAGE_SQL[1] : PAGE_SQL[0],
      after ? [workspaceId, viewer.accountId, limit + 1, after[0], after[1]] : [workspaceId, viewer.accountId, limit + 1],
    ));
    if (rows.length === 0) return restNotFound('workspace');
    // An empty page is one row of nulls beside the workspace.
    const items = [];
    for (let i = 0; i < rows.length && i < limit; i++) {
      if (rows[i]!.id === null) break;
      items.push(restModel(rows[i]!));
    }
    const more = rows[0]!.id !== null && rows.length > limit;
    const pagination = more ? { next_cursor: encodeCursor(scope, rows[limit - 1]!) } : {};
    return { status: 200, body: { items, pagination } };
  }

  async function restGet(workspaceId: string, id: string, authorization: string | undefined): Promise<Reply> {
    const viewer = await authenticate(authorization);
    if (!viewer) return REST_UNAUTHENTICATED;
    const [row] = MODEL_ID.test(id) ? await run<ModelRow>(SQL.modelById, [id, viewer.accountId]) : [];
    // A model of another workspace is as unknown as a foreign one.
    if (!row || row.workspace_id !== workspaceId) return restNotFound('model');
    return { status: 200, body: restModel(row) };
  }

  async function answer(body: Buffer, authorization: string | undefined): Promise<Reply> {
    let request: { query?: unknown; operationName?: unknown; variables?: unknown };
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return error(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
    }
    const name = request?.operationName;
    if (typeof name !== 'string' || !Object.hasOwn(operations, name) || request.query !== queries[name as OperationName]) {
      return error(400, 'The baseline answers only the benchmark operations (bench/scenarios.ts).', 'BAD_REQUEST');
    }
    const viewer = await authenticate(authorization);
    if (!viewer) return error(401, 'Authentication required: send `Authorization: Bearer <api key or access token>`.', 'UNAUTHENTICATED');
    const variables = request.variables && typeof request.variables === 'object' ? (request.variables as Variables) : {};
    return operations[name as OperationName](viewer, variables);
  }

  const send = (res: ServerResponse, { status, body }: Reply) => {
    const json = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': json.length });
    res.end(json);
  };

  const reply = (res: ServerResponse, answered: Promise<Reply>) =>
    answered.then(
      (r) => send(res, r),
      (cause: unknown) => {
        console.error('baseline: unexpected error', cause);
        send(res, error(500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR'));
      },
    );

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (req.method === 'GET') {
      req.resume();
      const route = REST_ROUTE.exec(path);
      const workspaceId = route ? decoded(route[1]!) : null;
      const id = route?.[2] === undefined ? undefined : decoded(route[2]);
      if (workspaceId === null || id === null) return send(res, error(404, 'POST /graphql and GET of the REST models only.', 'NOT_FOUND'));
      const { authorization } = req.headers;
      return reply(res, id === undefined ? restList(workspaceId, query === -1 ? '' : url.slice(query + 1), authorization) : restGet(workspaceId, id, authorization));
    }
    if (req.method !== 'POST' || path !== GRAPHQL_PATH) {
      req.resume();
      return send(res, error(404, 'POST /graphql and GET of the REST models only.', 'NOT_FOUND'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(res, error(413, 'The request body is too large.', 'PAYLOAD_TOO_LARGE'));
      void reply(res, answer(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), req.headers.authorization));
    });
  });

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 5 });
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/bench';
  const port = Number(process.env.PORT ?? 4100);
  // The same pool settings as our server, so both are measured alike.
  const baseline = createBaseline(databaseUrl, {
    max: Number(process.env.DATABASE_POOL_SIZE || 10),
    idleTimeoutSeconds: Number(process.env.DATABASE_IDLE_TIMEOUT || 0),
  });
  baseline.server.listen(port, '127.0.0.1', () => {
    const address = baseline.server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    console.log(`baseline listening on http://127.0.0.1:${actual}/graphql`);
  });
  const stop = () => {
    baseline.server.closeAllConnections();
    void baseline.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
