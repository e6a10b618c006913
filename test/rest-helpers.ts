/**
 * Helpers for test/rest.test.ts: real sockets to an app's front door, the
 * google.rpc.Status checks every error answer gets, the GraphQL model mapped
 * onto the REST JSON, and a tiny SDK generated at run time from
 * /openapi.json (as a client generated from the original API would be).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';

// ---------------------------------------------------------------------------
// Sockets

/** Serves a node:http listener (an app's front door) on a free port of 127.0.0.1, for the rest of the file. */
export { serve } from './sockets.ts';

export interface Sent {
  method?: string;
  /** Path and query, sent as they are (no normalisation). */
  path: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  key?: string | null;
  headers?: Record<string, string>;
  /** A string is sent with a Content-Length; an array is sent chunked, one write per element. */
  body?: string | string[];
}

export interface Reply {
  method: string;
  path: string;
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

/** Every answer of the file, for the OpenAPI test (every status answered is declared). */
export const answered: Reply[] = [];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One request on a connection of its own (no keep-alive: a refused body
 * closes its connection). Every answer must carry an `x-request-id`.
 */
export async function send(base: string, sent: Sent): Promise<Reply> {
  const reply = await exchange(base, sent);
  answered.push(reply);
  expect(reply.headers['x-request-id'], `${reply.method} ${reply.path} → ${reply.status}: x-request-id`).toMatch(UUID);
  return reply;
}

function exchange(base: string, { method = 'GET', path, key, headers = {}, body }: Sent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, {
      method,
      agent: false,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(typeof body === 'string' ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        // Said explicitly: node frames a GET's body in chunks only when told to.
        ...(Array.isArray(body) ? { 'transfer-encoding': 'chunked' } : {}),
        ...headers,
      },
    });
    request.setTimeout(20_000, () => request.destroy(new Error(`${method} ${path}: no answer within 20 s`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ method, path, status: response.statusCode!, headers: response.headers, text, json });
      });
    });
    if (Array.isArray(body)) for (const chunk of body) request.write(chunk);
    request.end(typeof body === 'string' ? body : undefined);
  });
}

// ---------------------------------------------------------------------------
// google.rpc.Status

export const BAD_REQUEST = 'type.googleapis.com/google.rpc.BadRequest';
export const REQUEST_INFO = 'type.googleapis.com/google.rpc.RequestInfo';

export interface RpcStatus {
  code: number;
  message: string;
  details: ({ '@type': string } & Record<string, any>)[];
}

/** What a masked error must never show: driver messages, SQL, stacks, file paths. */
export const LEAK = /postgres|pglite|drizzle|SQLSTATE|Failed query|relation|\bselect\b|\binsert\b|\bupdate\b|\bfrom\b|ECONN|\bat .*\.[jt]s:\d+|node_modules|\/src\//i;

/**
 * A google.rpc.Status answer: this HTTP status, a JSON content type, exactly
 * `{code, message, details}` with this code and a message. With `field`, a
 * BadRequest detail must name it (the field itself or a part of it: `labels.0.key`).
 */
export function expectRpcError(reply: Reply, httpStatus: number, code: number, field?: string): RpcStatus {
  const what = `${reply.method} ${reply.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, what).toBe(httpStatus);
  expect(reply.headers['content-type'], what).toMatch(/^application\/json\b/);
  const body = reply.json as RpcStatus;
  expect(body, what).toBeTypeOf('object');
  expect(Object.keys(body), what).toEqual(['code', 'message', 'details']);
  expect(body.code, what).toBe(code);
  expect(body.message, what).toBeTypeOf('string');
  expect(body.message.length, what).toBeGreaterThan(0);
  expect(Array.isArray(body.details), what).toBe(true);
  if (code === 3) {
    const badRequest = body.details.find((detail) => detail['@type'] === BAD_REQUEST);
    expect(badRequest, `${what}: a BadRequest detail`).toBeDefined();
    const violations = badRequest!.fieldViolations as { field: string; description: string }[];
    expect(violations.length, what).toBeGreaterThan(0);
    for (const violation of violations) {
      expect(Object.keys(violation).sort(), what).toEqual(['description', 'field']);
      expect(violation.description.length, what).toBeGreaterThan(0);
    }
    if (field !== undefined) {
      const named = violations.map((v) => v.field);
      expect(
        named.some((name) => name === field || name.startsWith(`${field}.`)),
        `${what}: a field violation naming ${field} (got ${named.join(', ')})`,
      ).toBe(true);
    }
  }
  return body;
}

/** A masked 500/13 or 503/14: only a RequestInfo detail, whose requestId is the answer's x-request-id. */
export function expectMasked(reply: Reply): RpcStatus {
  const what = `${reply.method} ${reply.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect([500, 503], what).toContain(reply.status);
  const body = expectRpcError(reply, reply.status, reply.status === 503 ? 14 : 13);
  expect(body.details, what).toEqual([{ '@type': REQUEST_INFO, requestId: reply.headers['x-request-id'] }]);
  expect(reply.text, what).not.toMatch(LEAK);
  return body;
}

// ---------------------------------------------------------------------------
// The model: GraphQL's fields onto the REST JSON

/** Every field of a model, as GraphQL gives it. */
export const MODEL_FIELDS = /* GraphQL */ `
  id
  metadata { id accountId createdAt name profileId workspaceId bundleKey externalId labels { key value } revision }
  spec { family inputPricePerMillionTokens maxInputTokens maxOutputTokens outputPricePerMillionTokens provider status }
`;

export interface GraphQLModel {
  id: string;
  metadata: {
    id: string;
    accountId: string;
    createdAt: string;
    name: string;
    profileId: string;
    workspaceId: string;
    bundleKey: string | null;
    externalId: string | null;
    labels: { key: string; value: string }[];
    revision: number;
  };
  spec: {
    family: string;
    inputPricePerMillionTokens: string | null;
    maxInputTokens: number | null;
    maxOutputTokens: number | null;
    outputPricePerMillionTokens: string | null;
    provider: string;
    status: string;
  };
}

export interface RestModel {
  metadata: Record<string, unknown> & { id: string; name: string; createdAt: string; labels?: Record<string, string>; externalId?: string; bundleKey?: string };
  spec: Record<string, unknown> & { provider: string; family: string; status: string };
}

/** The contract's key orders. */
export const METADATA_KEYS = ['id', 'accountId', 'createdAt', 'name', 'profileId', 'workspaceId', 'bundleKey', 'externalId', 'labels'];
export const SPEC_KEYS = ['family', 'inputPricePerMillionTokens', 'maxInputTokens', 'maxOutputTokens', 'outputPricePerMillionTokens', 'provider', 'status'];

/**
 * The REST JSON a GraphQL model must have, built from the contract alone:
 * keys in the seed's order, unset ones omitted, labels an object with its
 * keys sorted (by code point), omitted when empty.
 */
export function restFromGraphQL(model: GraphQLModel): RestModel {
  const metadata: Record<string, unknown> = {};
  const { labels, revision: _revision, ...plain } = model.metadata;
  for (const key of METADATA_KEYS) {
    if (key === 'labels') {
      const sorted = [...labels].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      if (sorted.length > 0) metadata.labels = Object.fromEntries(sorted.map((label) => [label.key, label.value]));
      continue;
    }
    const value = plain[key as keyof typeof plain];
    if (value !== null && value !== undefined) metadata[key] = value;
  }
  const spec: Record<string, unknown> = {};
  for (const key of SPEC_KEYS) {
    const value = model.spec[key as keyof GraphQLModel['spec']];
    if (value !== null && value !== undefined) spec[key] = value;
  }
  return { metadata, spec } as RestModel;
}

/** The JSON text of a value: compares key order too. */
export const jsonText = (value: unknown) => JSON.stringify(value);

// ---------------------------------------------------------------------------
// An SDK made from /openapi.json alone

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}
export class BadRequestError extends ApiError {}
export class UnauthenticatedError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class MethodNotAllowedError extends ApiError {}
export class ServerError extends ApiError {}

const ERROR_CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: UnauthenticatedError,
  403: PermissionDeniedError,
  404: NotFoundError,
  405: MethodNotAllowedError,
};

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header' }[];
  hasBody: boolean;
}

export interface Sdk {
  operationIds: string[];
  /** Calls an operation by its operationId: `args` fills its declared path and query parameters; `body` is sent as JSON. */
  call<T = any>(operationId: string, args?: Record<string, string | number | undefined>, body?: unknown): Promise<T>;
  /** Every model of a workspace, following `pagination.next_cursor` until it is absent. */
  listAll(workspaceId: string, query?: Record<string, string | number | undefined>): Promise<{ items: RestModel[]; pages: number }>;
}

/**
 * A generic client as a generator would write it from the document: it knows
 * only the document's paths, methods, operationIds and parameters, fills
 * `{name}` path templates, and maps error statuses to error classes.
 */
export function createSdk(document: any, baseUrl: string, key: string | null): Sdk {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      operations.set(operation.operationId, {
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  const sdk: Sdk = {
    operationIds: [...operations.keys()],
    async call(operationId, args = {}, body) {
      const operation = operations.get(operationId);
      if (!operation) throw new Error(`The document has no operation ${operationId}`);
      let path = operation.path;
      const query = new URLSearchParams();
      for (const parameter of operation.parameters) {
        const value = args[parameter.name];
        if (parameter.in === 'path') {
          if (value === undefined) throw new Error(`${operationId}: path parameter ${parameter.name} missing`);
          path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
        } else if (parameter.in === 'query' && value !== undefined) {
          query.set(parameter.name, String(value));
        }
      }
      if (/[{}]/.test(path)) throw new Error(`${operationId}: the path template ${operation.path} has a parameter the document does not declare`);
      const search = query.size > 0 ? `?${query}` : '';
      const response = await fetch(`${baseUrl}${path}${search}`, {
        method: operation.method,
        headers: {
          accept: 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(operation.hasBody || body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      if (!response.ok) {
        const ErrorClass = ERROR_CLASSES[response.status] ?? (response.status >= 500 ? ServerError : ApiError);
        throw new ErrorClass(response.status, parsed);
      }
      return parsed as never;
    },
    async listAll(workspaceId, query = {}) {
      const items: RestModel[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await sdk.call<{ items: RestModel[]; pagination: { next_cursor?: string } }>('ListModels', { ...query, workspaceId, cursor });
        pages++;
        if (pages > 1_000) throw new Error('listAll: more than 1,000 pages, the cursor does not advance');
        items.push(...page.items);
        cursor = page.pagination.next_cursor;
      } while (cursor !== undefined);
      return { items, pages };
    },
  };
  return sdk;
}
