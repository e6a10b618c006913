import { createHash } from 'node:crypto';

/**
 * The benchmark's operations, sent identically to our server and to the
 * baseline. Each scenario picks random variables from the seeded data for
 * every request.
 */

export interface BenchData {
  /** One admin key per account; account i owns workspaces[i]. */
  accounts: { adminKey: string; workspaceIds: string[] }[];
  /** The account and workspace holding 1,000,000 models. */
  big: { adminKey: string; workspaceId: string; deepCursors: string[] };
  /** A sample of model ids of the 1,000 ordinary workspaces, with their workspace and their account's key. */
  models: { id: string; workspaceId: string; adminKey: string }[];
}

/** A GraphQL request's body: the query as text, or (trusted documents) its document's id. */
export type GraphQLRequest = ({ query: string } | { documentId: string }) & {
  operationName: OperationName;
  variables: Record<string, unknown>;
};

/**
 * One HTTP request, GraphQL or REST: the same request shape for both, sent
 * as is (see httpRequest) to our server and to the baseline, by fetch and by
 * autocannon alike.
 */
export interface Operation {
  /** The API key, sent as `Authorization: Bearer <key>`. */
  key: string;
  method: 'GET' | 'POST';
  /** Path and query string, e.g. `/graphql` or `/v1/workspaces/ws_…/models?limit=20`. */
  path: string;
  /** Sent as JSON; none for a GET. */
  body?: GraphQLRequest;
}

export const GRAPHQL_PATH = '/graphql';

/** The request's method, path, headers and body text. */
export function httpRequest(op: Operation): { method: Operation['method']; path: string; headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = { authorization: `Bearer ${op.key}` };
  if (op.body !== undefined) headers['content-type'] = 'application/json';
  return { method: op.method, path: op.path, headers, body: op.body === undefined ? undefined : JSON.stringify(op.body) };
}

/**
 * Whether an answer is a success: a 2xx status and, for GraphQL, no
 * `errors` (GraphQL answers most errors with 200). Anything else counts as
 * an error, never as throughput.
 */
export const succeeded = (op: Operation, status: number, body: string): boolean =>
  status >= 200 && status < 300 && (op.path !== GRAPHQL_PATH || !body.includes('"errors"'));

export interface Answer {
  status: number;
  body: string;
}

/** Sends an operation to a server at `origin` (http://host:port). */
export async function send(origin: string, op: Operation): Promise<Answer> {
  const { method, path, headers, body } = httpRequest(op);
  const response = await fetch(`${origin}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, body: await response.text() };
}

const MODEL_FIELDS = /* GraphQL */ `
  id
  metadata { id accountId createdAt name profileId workspaceId bundleKey externalId labels { key value } revision }
  spec { provider family status inputPricePerMillionTokens outputPricePerMillionTokens maxInputTokens maxOutputTokens }
`;

export const queries = {
  ModelById: /* GraphQL */ `query ModelById($id: ID!) { model(id: $id) { ${MODEL_FIELDS} } }`,
  ModelsPage: /* GraphQL */ `
    query ModelsPage($workspace: ID!, $first: Int!, $after: String) {
      workspace(id: $workspace) {
        models(first: $first, after: $after) {
          edges { cursor node { ${MODEL_FIELDS} } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }`,
  ModelsPageWithCount: /* GraphQL */ `
    query ModelsPageWithCount($workspace: ID!, $first: Int!) {
      workspace(id: $workspace) {
        models(first: $first) {
          totalCount
          edges { cursor node { ${MODEL_FIELDS} } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }`,
  Nested: /* GraphQL */ `
    query Nested($workspaces: Int!, $models: Int!) {
      workspaces(first: $workspaces) {
        nodes { id name models(first: $models) { nodes { ${MODEL_FIELDS} } } }
      }
    }`,
  SetStatus: /* GraphQL */ `
    mutation SetStatus($id: ID!, $status: ModelStatus!) {
      setModelStatus(input: { id: $id, status: $status }) {
        model { id spec { status } metadata { revision } }
        userErrors { code field message }
      }
    }`,
} as const;

export type OperationName = keyof typeof queries;

/** The trusted-documents manifest of these queries (TRUSTED_DOCUMENTS), ids being sha256 of the text as codegen writes them. */
export const trustedManifest = (): Record<string, string> => Object.fromEntries(Object.values(queries).map((text) => [documentId(text), text]));
const documentId = (text: string) => createHash('sha256').update(text).digest('hex');

/** The same operation, naming its document by id instead of sending its text. */
export const byDocumentId = (operation: Operation): Operation => {
  if (!operation.body || !('query' in operation.body)) throw new Error('byDocumentId: a GraphQL operation sent as text');
  const { query, ...rest } = operation.body;
  return { ...operation, body: { documentId: documentId(query), ...rest } };
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
/** A GraphQL operation: POST /graphql. */
export const op = (key: string, operationName: OperationName, variables: Record<string, unknown>): Operation => ({
  key,
  method: 'POST',
  path: GRAPHQL_PATH,
  body: { query: queries[operationName], operationName, variables },
});

/** A REST read: GET of a path under /v1 (segments URI-encoded by the caller, see restPath). */
export const rest = (key: string, path: string): Operation => ({ key, method: 'GET', path });

/** The REST resource's paths (DESIGN.md, "The REST resource"). */
export const restPath = {
  list: (workspaceId: string, query: { limit?: number | string; cursor?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const search = params.toString();
    return `/v1/workspaces/${encodeURIComponent(workspaceId)}/models${search ? `?${search}` : ''}`;
  },
  model: (workspaceId: string, id: string) => `/v1/workspaces/${encodeURIComponent(workspaceId)}/models/${encodeURIComponent(id)}`,
};

const byId = (data: BenchData) => {
  const model = pick(data.models);
  return op(model.adminKey, 'ModelById', { id: model.id });
};
const firstPage = (data: BenchData) => {
  const account = pick(data.accounts);
  return op(account.adminKey, 'ModelsPage', { workspace: pick(account.workspaceIds), first: 20 });
};
const restById = (data: BenchData) => {
  const model = pick(data.models);
  return rest(model.adminKey, restPath.model(model.workspaceId, model.id));
};
const restFirstPage = (data: BenchData) => {
  const account = pick(data.accounts);
  return rest(account.adminKey, restPath.list(pick(account.workspaceIds), { limit: 20 }));
};
const setStatus = (data: BenchData) => {
  const model = pick(data.models);
  return op(model.adminKey, 'SetStatus', { id: model.id, status: Math.random() < 0.5 ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED' });
};

export interface Scenario {
  name: string;
  next(data: BenchData): Operation;
  /** The lowest acceptable ratio ours/baseline of req/s (README, "Performance"), when there is one. */
  target?: number;
}

export const scenarios: Scenario[] = [
  { name: 'model(id)', next: byId, target: 0.5 },
  { name: 'first page (20)', next: firstPage, target: 0.5 },
  {
    name: 'deep page of 1M (~500k in)',
    next: (data) => op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first: 20, after: pick(data.big.deepCursors) }),
  },
  {
    name: 'first page + totalCount',
    next: (data) => {
      const account = pick(data.accounts);
      return op(account.adminKey, 'ModelsPageWithCount', { workspace: pick(account.workspaceIds), first: 20 });
    },
  },
  {
    name: 'totalCount of 1M',
    next: (data) => op(data.big.adminKey, 'ModelsPageWithCount', { workspace: data.big.workspaceId, first: 20 }),
  },
  {
    name: 'nested 20 × 20',
    next: (data) => op(pick(data.accounts).adminKey, 'Nested', { workspaces: 20, models: 20 }),
    target: 0.4,
  },
  { name: 'setModelStatus', next: setStatus },
  {
    name: 'mix 80/15/5',
    next: (data) => {
      const roll = Math.random();
      return roll < 0.8 ? firstPage(data) : roll < 0.95 ? byId(data) : setStatus(data);
    },
    target: 0.4,
  },
  { name: 'REST model by id', next: restById, target: 0.8 },
  { name: 'REST first page (20)', next: restFirstPage, target: 0.8 },
];
