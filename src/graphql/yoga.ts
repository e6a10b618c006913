import type { IncomingMessage } from 'node:http';
import type { CORSOptions } from '@whatwg-node/server';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { createYoga, isAsyncIterable, type LandingPageRenderer, type Plugin } from 'graphql-yoga';
import { useCompiledQueries, type AppParts, type CompileOptions } from './compiled-queries.ts';
import type { HttpOptions, Limits } from '../config.ts';
import { unauthenticated, type Context, type GatedOperation } from './context.ts';
import { isReady, type Database } from '../db/client.ts';
import { createDocumentCache, operationParts } from './document.ts';
import { errorAt } from './errors.ts';
import { useTrustedDocuments, type TrustedDocuments } from './trusted-documents.ts';
import { useSelfHostedGraphiQL } from './graphiql.ts';
import { useOperationLimits } from './limits.ts';
import { yogaLogger, type Logger } from '../logger.ts';
import { schema } from './schema/index.ts';

export interface GraphQLOptions {
  db: Database;
  log: Logger;
  limits: Limits;
  http: HttpOptions;
  cors: CORSOptions;
  /** False while the process shuts down: /ready then answers 503 so balancers stop sending. */
  accepting: () => boolean;
  /**
   * The request's scope from its Authorization header (http/app.ts: the same on every path); rejects when the
   * credentials cannot be checked. `request`, the node:http request behind it, keeps one identity across paths.
   */
  scopeFor(authorization: string | null, requestId: string, request?: IncomingMessage): Promise<Context>;
  /** The request id the front door gave a request (or a new one, for yoga.fetch without it). */
  requestIdOf(request: Request): string;
  /**
   * Run eligible queries compiled (compiled-queries.ts), each document after
   * 10 interpreted runs by default; false answers everything with graphql-js.
   */
  compileQueries: CompileOptions | false;
  /** Plugins ahead of the app's own: the front door's and tests' observers. */
  plugins: (Plugin | Plugin<Context>)[];
  /** Counts an operation run compiled outside yoga's execution (the metrics). */
  ran: AppParts['ran'];
  /** Run only these documents, named by id; null: any operation. */
  trustedDocuments: TrustedDocuments | null;
}

/**
 * The GraphQL app: yoga, with no port, so tests drive it with `yoga.fetch`,
 * and the compiled queries the front door's fast path runs.
 */
export function createGraphQL({ db, log, limits, http, cors, accepting, scopeFor, requestIdOf, compileQueries, plugins, ran, trustedDocuments }: GraphQLOptions) {
  const buildContext = (authorization: string | null, requestId: string, req: IncomingMessage | undefined): Promise<Context> =>
    scopeFor(authorization, requestId, req).catch((cause: unknown) => {
      // Nothing executed: the whole response fails, with status 500.
      throw unexpected(log, requestId, cause, 'authentication', undefined, 500);
    });
  // One context per request, whichever path asks first (compiled-queries.ts or yoga's factory).
  const contexts = new WeakMap<Request, Promise<Context>>();
  const context = (request: Request, serverContext: { req?: IncomingMessage }): Promise<Context> => {
    let built = contexts.get(request);
    if (!built) contexts.set(request, (built = buildContext(request.headers.get('authorization'), requestIdOf(request), serverContext.req)));
    return built;
  };
  const documents = createDocumentCache();
  const operationLimits = useOperationLimits(limits);
  const compiled = compileQueries
    ? useCompiledQueries(log, compileQueries, { schema, documents, context, objectLimitError: operationLimits.objectLimitError, ran })
    : null;
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: ENDPOINT,
    // Ours (graphiql.ts) serves GraphiQL from this server; yoga's loads it from a CDN.
    graphiql: false,
    landingPage: notFoundPage(http.graphiql),
    logging: yogaLogger(log),
    maskedErrors: true,
    // One operation per request.
    batching: false,
    // useDocumentCache below replaces yoga's.
    parserAndValidationCache: false,
    // Our own request parsing (limits.ts) enforces the body limit, with an error naming it.
    maxRequestBodySize: false,
    cors,
    // An operation over a WebSocket (ws.ts) brings the scope it was given; a request over HTTP builds its own.
    context: (initial) => (initial as { scope?: Promise<Context> }).scope ?? context(initial.request, initial as { req?: IncomingMessage }),
    // A trusted document is named by `documentId` (GraphQL over HTTP's persisted documents).
    extraParamNames: trustedDocuments ? ['documentId'] : [],
    plugins: [
      ...plugins,
      ...(http.graphiql ? [useSelfHostedGraphiQL(ENDPOINT)] : []),
      ...(trustedDocuments ? [useTrustedDocuments(trustedDocuments)] : []),
      // A request a browser could send cross-site without a preflight is refused. One that
      // carries Authorization cannot be such a request (the header needs a preflight), and it
      // is how GraphiQL's GET of a subscription's event stream authenticates.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }),
      ...(http.introspection ? [] : [useDisableIntrospection()]),
      ...operationLimits.plugins,
      documents.plugin,
      useReadiness('/ready', async () => accepting() && (await readyWithin(db, READY_TIMEOUT_MS))),
      useAuthenticationGate(),
      useUnexpectedErrors(),
      useUnservedStreams(),
      ...(compiled ? [compiled.plugin] : []),
    ],
  });
  return { yoga, compiled };
}

export type GraphQL = ReturnType<typeof createGraphQL>;

const ENDPOINT = '/graphql';

const READY_TIMEOUT_MS = 1_000;

/**
 * A browser's GET of a path nothing serves: a plain 404 page pointing at what
 * is served. Yoga's own loads its logo from the internet.
 */
function notFoundPage(graphiql: boolean): LandingPageRenderer {
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found — Workspace models API</title></head>
<body>
  <h1>Not found</h1>
  <p>Nothing is served at this address. The Workspace models API serves:</p>
  <ul>
    <li><a href="${ENDPOINT}">${ENDPOINT}</a>: GraphQL${graphiql ? ', and GraphiQL in a browser' : ''}</li>
    <li><a href="/docs">/docs</a>: the REST reference (<a href="/openapi.json">/openapi.json</a>), routes under /v1</li>
  </ul>
</body>
</html>
`;
  return ({ fetchAPI }) => new fetchAPI.Response(page, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * `GET /ready`: 200 when `check` holds, else 503, with no body. Yoga's
 * useReadinessCheck does the same but also tests a URLPattern against every
 * other request, which showed in the profile of the smallest operations.
 */
function useReadiness(endpoint: string, check: () => Promise<boolean>): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      return check().then((ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })));
    },
  };
}

/** Readiness answers promptly: a database that does not answer in time, or fails, is "not ready" (never its error text). */
function readyWithin(db: Database, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([isReady(db).catch(() => false), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Without a valid key only pure introspection runs: every root field is
 * __schema, __type or __typename.
 */
function useAuthenticationGate(): Plugin<Context> {
  const gate = ({ args, setResultAndStopExecution }: GatedOperation) => {
    if (args.contextValue.viewer) return;
    if (isPureIntrospection(args.document, args.operationName ?? null)) return;
    setResultAndStopExecution({ errors: [unauthenticated()] });
  };
  // Subscriptions are set up by `subscribe`, not `execute`: both are gated.
  return { onExecute: gate, onSubscribe: gate };
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

function isPureIntrospection(document: DocumentNode, operationName: string | null): boolean {
  const parts = operationParts(document, operationName);
  if (!parts) return false;
  const { operation, fragments } = parts;
  const seen = new Set<string>();
  const onlyIntrospection = (set: SelectionSetNode): boolean =>
    set.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return INTROSPECTION_FIELDS.has(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return onlyIntrospection(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (seen.has(name)) return true;
          seen.add(name);
          const fragment = fragments.get(name);
          return fragment !== undefined && onlyIntrospection(fragment.selectionSet);
        }
      }
    });
  return onlyIntrospection(operation.selectionSet);
}

/**
 * Errors that are not the caller's fault are logged with their cause and the
 * request id, and replaced by a masked error carrying only that id. Errors we
 * raise on purpose (GraphQLError with a code) pass through.
 */
function useUnexpectedErrors(): Plugin<Context> {
  const masked = (context: Context, result: ExecutionResult): ExecutionResult | null => {
    if (!result.errors?.length) return null;
    const errors = result.errors.map((error) => {
      const cause = error.originalError;
      const isUnexpected = cause && !(cause instanceof GraphQLError);
      return isUnexpected ? unexpected(context.log, context.requestId, cause, error.path?.join('.') ?? 'execution', error) : error;
    });
    return { ...result, errors };
  };
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result)) return;
          const replaced = masked(args.contextValue, result as ExecutionResult);
          if (replaced) setResult(replaced);
        },
      };
    },
    // A subscription's setup (its single result) and each of its events.
    onSubscribe({ args }) {
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) {
            const replaced = masked(args.contextValue, result);
            if (replaced) setResult(replaced);
            return;
          }
          return {
            onNext({ result: event, setResult: setEvent }) {
              const replaced = masked(args.contextValue, event);
              if (replaced) setEvent(replaced);
            },
          };
        },
      };
    },
  };
}

/**
 * A subscription asked for with an Accept header no streaming transport
 * matches (e.g. only application/json): yoga answers 406 with an empty body
 * and leaves the subscription open, subscribed to live changes for good. Close
 * it at once, and say what to send instead.
 */
function useUnservedStreams(): Plugin<Context> {
  const message =
    'A subscription is a stream: send it with `Accept: text/event-stream` (GraphQL over SSE), or over a WebSocket at this path (graphql-ws protocol).';
  return {
    onResultProcess({ result, resultProcessor, setResultProcessor }) {
      if (resultProcessor || !isAsyncIterable(result)) return;
      void result[Symbol.asyncIterator]().return?.();
      setResultProcessor(
        (_result, fetchAPI) =>
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'NOT_ACCEPTABLE' } }] }), {
            status: 406,
            headers: { 'content-type': 'application/json; charset=utf-8', accept: 'text/event-stream, multipart/mixed' },
          }),
        'application/json',
      );
    },
  };
}

/** Logs an error that is not the caller's fault and returns its masked form: no message, no stack, no SQL. */
function unexpected(
  log: Logger,
  requestId: string,
  cause: unknown,
  where: string,
  located?: GraphQLError,
  status?: number,
): GraphQLError {
  log.error({ err: cause, requestId, where }, 'unexpected error');
  return errorAt(located, 'Unexpected error.', { code: 'INTERNAL_SERVER_ERROR', requestId, ...(status ? { http: { status } } : {}) });
}
