import type { IncomingMessage } from 'node:http';
import type { CORSOptions } from '@whatwg-node/server';
// fets's own HTTPError and useCORS: its @whatwg-node/server is newer than yoga's.
import { createRouter, HTTPError, Response, useCORS, type RouterPlugin } from 'fets';
import type { ModelRow } from '../db/schema.ts';
import { IdentityProviderUnavailable } from '../domain/oidc.ts';
import type { Scope } from '../domain/scope.ts';
import type { Logger } from '../logger.ts';
import { serveDocs } from './docs.ts';
import { restPathOf } from './paths.ts';
import { modelJson } from './model-json.ts';
import { findModel, listModels, setStatus } from './models.ts';
import { ListQuery, Model, ModelList, ModelParams, Status, StatusBody, WorkspaceParams } from './schemas.ts';
import { badRequest, masked, RestError, unauthenticated, type FieldViolation } from './status.ts';

export interface RestOptions {
  log: Logger;
  cors: CORSOptions;
  /** The request's scope from its Authorization header (http/app.ts: the same on every path); rejects when the key cannot be looked up. */
  scopeFor(authorization: string | null, requestId: string, request?: IncomingMessage): Promise<Scope>;
  /** The request id the front door gave the node:http request behind a server context. */
  requestIdOf(serverContext: { req?: IncomingMessage }): string;
  /** Counts an error answered (the front door's metrics). */
  errorAnswered(code: string): void;
  /** More fets plugins, ahead of the router's own (tests observe which requests reach fets). */
  plugins?: RouterPlugin<{ req?: IncomingMessage }, {}>[];
}

const MODEL_PATH = '/v1/workspaces/:workspaceId/models/:id';
/** A read of one model takes no parameter a client can get wrong. */
const readErrorResponses = {
  401: Status,
  404: Status,
  405: Status,
  413: Status,
  500: Status,
  503: Status,
} as const;
const errorResponses = { 400: Status, ...readErrorResponses } as const;

/**
 * The REST resource the product began as (fets): the same services, loaders,
 * authentication and tenancy as GraphQL, answering with the seed's JSON and
 * google.rpc.Status errors. Parameters and bodies are validated from the route
 * definitions, which also make the OpenAPI document at /openapi.json.
 */
export function createRest({ log, cors, scopeFor, requestIdOf, errorAnswered, plugins = [] }: RestOptions) {
  const answerError = (error: unknown, serverContext: { req?: IncomingMessage }) => {
    const requestId = requestIdOf(serverContext);
    const rest = toRestError(error, requestId, log);
    errorAnswered(rest.rpc);
    return Response.json(rest.body, { status: rest.httpStatus as 400, headers: rest.headers });
  };

  /** The caller's scope; a request without valid credentials is 401 on every /v1 route. */
  const callerScope = async (request: Request, serverContext: { req?: IncomingMessage }) => {
    const scope = await scopeFor(request.headers.get('authorization'), requestIdOf(serverContext), serverContext.req);
    if (!scope.viewer) throw unauthenticated();
    return scope;
  };

  /**
   * What fets's routing leaves unanswered. A request no route takes (any
   * method fets has no route of, on any path) gets undefined from fets: it
   * gets wrongRoute's answer. A path with a malformed percent-escape names
   * nothing, but fets would throw decoding it: on a route's path it is
   * answered as an unknown id is, after the method and the credentials.
   */
  const routing: RouterPlugin<{ req?: IncomingMessage }, {}> = {
    onRequest({ request, serverContext, requestHandler, setRequestHandler, endResponse }) {
      setRequestHandler(async (request, serverContext, fetchAPI) => (await requestHandler(request, serverContext, fetchAPI)) ?? answerError(wrongRoute(request), serverContext));
      if (!hasMalformedEscape(request.url)) return;
      const refused = wrongRoute(request);
      if (refused.rpc === 'UNIMPLEMENTED' || !restPathOf(new URL(request.url).pathname)) return endResponse(answerError(refused, serverContext));
      return callerScope(request, serverContext).then(
        () => endResponse(answerError(refused, serverContext)),
        (error: unknown) => endResponse(answerError(error, serverContext)),
      );
    },
  };

  const router = createRouter<{ req?: IncomingMessage }>({
    landingPage: false,
    openAPI: {
      openapi: '3.1.0',
      info: {
        title: 'Workspace models API',
        version: '1.0.0',
        description:
          "The LLM models available to a workspace: list them a page at a time, read one, and enable or disable it. Authenticate with `Authorization: Bearer <api key or access token>`. Errors are google.rpc.Status bodies.",
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (key_… followed by its secret), or an OpenID Connect access token (a JWT) from the configured provider.' } },
      },
      security: [{ bearer: [] }],
    } as never,
    swaggerUI: { endpoint: false as never },
    plugins: [...plugins, routing, useCORS(cors)],
    onError: (error, _request, serverContext) => answerError(error, serverContext as { req?: IncomingMessage }),
  })
    .route({
      method: 'GET',
      path: '/v1/workspaces/:workspaceId/models',
      operationId: 'ListModels',
      description: "Lists a workspace's models, a page at a time (one SQL statement per page), by createdAt then id.",
      tags: ['Models'],
      schemas: { request: { params: WorkspaceParams, query: ListQuery }, responses: { 200: ModelList, ...errorResponses } },
      handler: async (request, serverContext) => {
        const scope = await callerScope(request, serverContext);
        checkIntegers(request.url);
        return Response.json((await listModels(scope, request.params.workspaceId, request.query)) as never, { status: 200 });
      },
    })
    .route({
      method: 'GET',
      path: MODEL_PATH,
      operationId: 'GetModel',
      description: 'Reads one model of the workspace.',
      tags: ['Models'],
      schemas: { request: { params: ModelParams }, responses: { 200: Model, ...readErrorResponses } },
      handler: async (request, serverContext) => {
        const { workspaceId, id } = request.params;
        // `…/models/{id}:enable` matches this route's pattern too (an escaped `%3A` does not).
        if (restPathOf(new URL(request.url).pathname)?.method !== 'GET') throw wrongRoute(request);
        const scope = await callerScope(request, serverContext);
        return Response.json(modelJson(await findModel(scope, workspaceId, id)) as never, { status: 200 });
      },
    })
    .route({
      method: 'PUT',
      path: `${MODEL_PATH}/status`,
      operationId: 'SetModelStatus',
      description: 'Enables or disables a model (ADMIN role). Setting the status it already has succeeds and changes nothing.',
      tags: ['Models'],
      schemas: { request: { params: ModelParams, json: StatusBody }, responses: { 200: Model, 403: Status, ...errorResponses } },
      handler: async (request, serverContext) => {
        const scope = await callerScope(request, serverContext);
        const body = await jsonBody(request);
        const { workspaceId, id } = request.params;
        return Response.json(await setStatus(scope, workspaceId, id, (body as { status: ModelRow['status'] }).status), { status: 200 }) as never;
      },
    });

  for (const verb of ['enable', 'disable'] as const) {
    router.route({
      method: 'POST',
      path: `${MODEL_PATH}\\:${verb}`,
      operationId: verb === 'enable' ? 'EnableModel' : 'DisableModel',
      description: `${verb === 'enable' ? 'Enables' : 'Disables'} a model (ADMIN role): the newer form of PUT …/status. The body is empty or {}.`,
      tags: ['Models'],
      schemas: { request: { params: ModelParams }, responses: { 200: Model, 403: Status, ...errorResponses } },
      handler: async (request, serverContext) => {
        const scope = await callerScope(request, serverContext);
        const text = await request.text();
        if (text.trim() !== '' && !isJsonObject(text)) throw badRequest([{ field: 'body', description: 'must be empty or a JSON object ({})' }]);
        const { workspaceId, id } = request.params;
        return Response.json(await setStatus(scope, workspaceId, id, verb === 'enable' ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED'), { status: 200 }) as never;
      },
    });
  }

  finishDocument(router.openAPIDocument as unknown as OpenApiDocument);

  serveDocs(router);

  return router;
}

export type Rest = ReturnType<typeof createRest>;

/**
 * TypeBox converts `limit=1.5` to 1 before validating it; the seed's API
 * refused anything but an integer's digits.
 */
function checkIntegers(url: string): void {
  const query = url.indexOf('?');
  if (query === -1) return;
  for (const value of new URLSearchParams(url.slice(query + 1)).getAll('limit')) {
    if (!/^[0-9]+$/.test(value)) throw badRequest([{ field: 'limit', description: 'Expected integer' }]);
  }
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { description?: string; schema?: { description?: string } }[]; responses?: Record<string, { description: string }> }>>;
}

const RESPONSES: Record<string, string> = {
  200: 'Success.',
  400: 'INVALID_ARGUMENT (3): a bad parameter, body or cursor; the BadRequest detail names each field.',
  401: 'UNAUTHENTICATED (16): no valid API key or access token.',
  403: 'PERMISSION_DENIED (7): a READER may not change a model.',
  404: 'NOT_FOUND (5): the workspace or model is unknown, malformed, another account’s, or of another workspace.',
  405: 'UNIMPLEMENTED (12): another method is served here; see the Allow header.',
  413: 'The request body is larger than the limit.',
  500: 'INTERNAL (13), masked: the RequestInfo detail carries the request id to report.',
  503: 'UNAVAILABLE (14), masked: the database is unreachable; try again.',
};

/**
 * What fets leaves to do in the generated document: the custom verbs' path
 * (`{id}:enable`; fets writes the escaped colon into the parameter's name),
 * a parameter's description on the parameter itself (where generators and
 * Swagger UI read it), and a description for every response.
 */
function finishDocument(document: OpenApiDocument): void {
  const { paths } = document;
  for (const key of Object.keys(paths)) {
    const fixed = key.replace(/\{id\\:(enable|disable)\}/, '{id}:$1');
    if (fixed !== key) {
      paths[fixed] = paths[key]!;
      delete paths[key];
    }
  }
  for (const operation of Object.values(paths).flatMap((path) => Object.values(path))) {
    for (const parameter of operation.parameters ?? []) parameter.description ??= parameter.schema?.description;
    for (const [status, response] of Object.entries(operation.responses ?? {})) response.description = RESPONSES[status] ?? response.description;
  }
}

function hasMalformedEscape(url: string): boolean {
  try {
    decodeURIComponent(new URL(url).pathname);
    return false;
  } catch {
    return true;
  }
}

/** A known path with another method is 405 (with Allow); anything else is 404. */
function wrongRoute(request: Request): RestError {
  const path = new URL(request.url).pathname;
  const method = restPathOf(path)?.method ?? (path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/') ? 'GET' : null);
  if (!method || method === request.method) return new RestError('NOT_FOUND', 'No such resource.');
  return new RestError('UNIMPLEMENTED', `${request.method} is not supported here; use ${method}.`, [], { allow: method });
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The body as JSON, validated against the route's schema by fets; a body that is not JSON is a 400 too. */
async function jsonBody(request: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await request.json();
  } catch (error) {
    if (error instanceof HTTPError || error instanceof RestError) throw error;
    throw badRequest([{ field: 'body', description: 'must be a JSON object' }]);
  }
}

/** Connection failures of either driver: the database is gone, not our code broken. */
const UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CONNECTION_\w+|CONNECT_TIMEOUT|57P0\d|08\d\d\d)$/;

function isUnavailable(error: unknown): boolean {
  // The identity provider's keys could not be fetched: like the database, it is away.
  if (error instanceof IdentityProviderUnavailable) return true;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) return true;
    if (/PGlite is closed/.test(cause.message)) return true;
  }
  return false;
}

/** Any error as the client sees it: ours as they are, fets's validation as INVALID_ARGUMENT, the rest masked and logged. */
function toRestError(error: unknown, requestId: string, log: Logger): RestError {
  if (error instanceof RestError) return error;
  if (error instanceof HTTPError && error.status === 400) {
    const reported = (error.details as { errors?: { name?: string; path?: string; message?: string }[] } | undefined)?.errors ?? [];
    // TypeBox reports a missing enumeration twice (required, then not one of the values): one violation a field.
    const violations = new Map<string, FieldViolation>();
    for (const e of reported) {
      const field = fieldOf(e.name, e.path);
      if (!violations.has(field)) violations.set(field, { field, description: ONE_OF[field] ?? e.message ?? 'is invalid' });
    }
    return badRequest(violations.size > 0 ? [...violations.values()] : [{ field: 'request', description: 'is invalid' }]);
  }
  const rpc = isUnavailable(error) ? 'UNAVAILABLE' : 'INTERNAL';
  log.error({ err: error, requestId, where: 'rest' }, 'unexpected error');
  return masked(rpc, requestId);
}

/** TypeBox says "Expected union value" of an enumeration: name its values instead. */
const ONE_OF: Record<string, string> = {
  status: 'must be MODEL_STATUS_ENABLED, MODEL_STATUS_DISABLED or MODEL_STATUS_UNSPECIFIED',
  sortOrder: 'must be asc or desc',
};

/** A validation error's field: `limit` for the query's /limit, `status` for the body's /status. */
function fieldOf(name: string | undefined, path: string | undefined): string {
  const field = (path ?? '').replace(/^\//, '').replaceAll('/', '.');
  return field || (name === 'json' ? 'body' : (name ?? 'request'));
}
