import { randomUUID } from 'node:crypto';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { createAuthenticator, type AuthenticatorOptions } from './auth.ts';
import { useCompiledQueries, type CompileOptions } from './compiled-queries.ts';
import { defaultHttp, defaultLimits, type HttpOptions, type Limits } from './config.ts';
import { createContext, unauthenticated, type Context } from './context.ts';
import { isReady, type Database } from './db/client.ts';
import { createDocumentCache, operationParts } from './document.ts';
import { useOperationLimits } from './limits.ts';
import { createLogger, yogaLogger, type Logger } from './logger.ts';
import { schema } from './schema/index.ts';

export interface AppOptions {
  db: Database;
  /** Default: silent (tests); the server passes its own. */
  log?: Logger;
  limits?: Limits;
  http?: HttpOptions;
  /** False while the process shuts down: /ready then answers 503 so balancers stop sending. */
  accepting?: () => boolean;
  auth?: AuthenticatorOptions;
  /**
   * Run eligible queries compiled (compiled-queries.ts), each document after
   * 10 interpreted runs by default; false answers everything with graphql-js.
   */
  compileQueries?: CompileOptions | false;
  /** More plugins, ahead of the app's own (tests observe the pipeline with them). */
  plugins?: Plugin<Context>[];
}

/** The GraphQL app: no port, so tests drive it with `yoga.fetch`. */
export function createApp({
  db,
  log = createLogger('silent'),
  limits = defaultLimits,
  http = defaultHttp,
  accepting = () => true,
  auth,
  compileQueries = { after: 10 },
  plugins = [],
}: AppOptions) {
  const authenticate = createAuthenticator(db, auth);
  const requests = new WeakMap<Request, { id: string; started: number }>();
  // One context per request, whichever path asks first (compiled-queries.ts or yoga's factory).
  const contexts = new WeakMap<Request, Promise<Context>>();
  const buildContext = async (request: Request): Promise<Context> => {
    const requestId = requests.get(request)?.id ?? randomUUID();
    let viewer;
    try {
      viewer = await authenticate(request.headers.get('authorization'));
    } catch (cause) {
      // Nothing executed: the whole response fails, with status 500.
      throw unexpected(log, requestId, cause, 'authentication', undefined, 500);
    }
    return createContext(db, viewer, requestId, log);
  };
  const context = (request: Request): Promise<Context> => {
    let built = contexts.get(request);
    if (!built) contexts.set(request, (built = buildContext(request)));
    return built;
  };
  const documents = createDocumentCache();
  const operationLimits = useOperationLimits(limits);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: http.graphiql ? { title: 'Workspace models API', headers: JSON.stringify({ Authorization: 'Bearer <api key>' }) } : false,
    logging: yogaLogger(log),
    maskedErrors: true,
    // One operation per request.
    batching: false,
    // useDocumentCache below replaces yoga's.
    parserAndValidationCache: false,
    // Our own request parsing (limits.ts) enforces the body limit, with an error naming it.
    maxRequestBodySize: false,
    cors: { origin: http.corsOrigins.includes('*') ? '*' : http.corsOrigins, allowedHeaders: ['authorization', 'content-type', 'x-graphql-yoga-csrf'] },
    context: ({ request }) => context(request),
    plugins: [
      ...plugins,
      useRequestLog(requests, log),
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      ...(http.introspection ? [] : [useDisableIntrospection()]),
      ...operationLimits.plugins,
      documents.plugin,
      useReadiness('/ready', async () => accepting() && (await readyWithin(db, READY_TIMEOUT_MS))),
      useAuthenticationGate(),
      useUnexpectedErrors(),
      ...(compileQueries ? [useCompiledQueries(log, compileQueries, { schema, documents, context, objectLimitError: operationLimits.objectLimitError })] : []),
    ],
  });
}

export type App = ReturnType<typeof createApp>;

const READY_TIMEOUT_MS = 1_000;

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
 * Every request gets an id: in the `x-request-id` header, in every error of its
 * response (whatever stage refused it), and in one log line when it ends.
 */
function useRequestLog(requests: WeakMap<Request, { id: string; started: number }>, log: Logger): Plugin {
  return {
    onRequest({ request }) {
      requests.set(request, { id: randomUUID(), started: performance.now() });
    },
    onResultProcess({ request, result, setResult }) {
      const id = requests.get(request)?.id;
      if (!id || Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      // Every error has a code: ours and yoga's do; the rest (e.g. the CSRF check) are bad requests.
      const annotate = (error: GraphQLError) => withExtensions(error, { code: error.extensions?.code ?? 'BAD_REQUEST', requestId: id });
      setResult({ ...result, errors: result.errors.map((error) => annotate(error as GraphQLError)) });
    },
    onResponse({ request, response }) {
      const entry = requests.get(request);
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      if (!log.isLevelEnabled('info')) return;
      const { pathname } = new URL(request.url);
      log.info(
        { requestId: entry.id, method: request.method, path: pathname, status: response.status, ms: Math.round(performance.now() - entry.started) },
        'request',
      );
    },
  };
}

/**
 * Without a valid key only pure introspection runs: every root field is
 * __schema, __type or __typename.
 */
function useAuthenticationGate(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (args.contextValue.viewer) return;
      if (isPureIntrospection(args.document, args.operationName ?? null)) return;
      setResultAndStopExecution({ errors: [unauthenticated()] });
    },
  };
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

/** A new error where `at` is (its nodes, source, positions and path): GraphQLError's own fields are read-only. */
function errorAt(at: GraphQLError | undefined, message: string, extensions: Record<string, unknown>, originalError?: Error | null): GraphQLError {
  return new GraphQLError(message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, originalError, extensions });
}

function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return errorAt(error, error.message, { ...error.extensions, ...extensions }, error.originalError);
}

/**
 * Errors that are not the caller's fault are logged with their cause and the
 * request id, and replaced by a masked error carrying only that id. Errors we
 * raise on purpose (GraphQLError with a code) pass through.
 */
function useUnexpectedErrors(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const { requestId, log } = args.contextValue;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const errors = result.errors.map((error) => {
            const cause = error.originalError;
            const isUnexpected = cause && !(cause instanceof GraphQLError);
            return isUnexpected ? unexpected(log, requestId, cause, error.path?.join('.') ?? 'execution', error) : error;
          });
          setResult({ ...(result as ExecutionResult), errors });
        },
      };
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
