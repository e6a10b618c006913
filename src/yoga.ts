import { randomUUID } from 'node:crypto';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { createLogger, createYoga, type Plugin, type YogaLogger } from 'graphql-yoga';
import { authenticate } from './auth.ts';
import { createContext, unauthenticated, type Context } from './context.ts';
import type { Database } from './db/client.ts';
import { schema } from './schema/index.ts';

export interface AppOptions {
  db: Database;
  logging?: boolean;
}

/** The GraphQL app: no port, so tests drive it with `yoga.fetch`. */
export function createApp({ db, logging = true }: AppOptions) {
  const requestIds = new WeakMap<Request, string>();
  const logger = createLogger(logging ? 'info' : 'silent');
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'Workspace models API', headers: JSON.stringify({ Authorization: 'Bearer <api key>' }) },
    logging: logger,
    maskedErrors: true,
    context: async ({ request }) => {
      const requestId = requestIds.get(request) ?? randomUUID();
      let viewer;
      try {
        viewer = await authenticate(db, request.headers.get('authorization'));
      } catch (cause) {
        // Nothing executed: the whole response fails, with status 500.
        throw unexpected(logger, requestId, cause, 'authentication', undefined, 500);
      }
      return createContext(db, viewer, requestId);
    },
    plugins: [useRequestId(requestIds), useAuthenticationGate(), useUnexpectedErrors(logger)],
  });
}

export type App = ReturnType<typeof createApp>;

/** Every request gets an id: in the response header, and in the errors it returns. */
function useRequestId(requestIds: WeakMap<Request, string>): Plugin {
  return {
    onRequest({ request }) {
      requestIds.set(request, randomUUID());
    },
    onResponse({ request, response }) {
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
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
      setResultAndStopExecution({ errors: [withRequestId(unauthenticated(), args.contextValue.requestId)] });
    },
  };
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

function isPureIntrospection(document: DocumentNode, operationName: string | null): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return false;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
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
          return fragment !== undefined && onlyIntrospection(fragment);
        }
      }
    });
  return onlyIntrospection(operation.selectionSet);
}

function withRequestId(error: GraphQLError, requestId: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, requestId },
  });
}

/**
 * Errors that are not the caller's fault are logged with their cause and the
 * request id, and replaced by a masked error carrying only that id. Errors we
 * raise on purpose (GraphQLError with a code) pass through, also with the id.
 */
function useUnexpectedErrors(logger: YogaLogger): Plugin<Context> {
  return {
    onExecute({ args }) {
      const { requestId } = args.contextValue;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const errors = result.errors.map((error) => {
            const cause = error.originalError;
            if (cause && !(cause instanceof GraphQLError)) {
              return unexpected(logger, requestId, cause, error.path?.join('.') ?? 'execution', error);
            }
            return withRequestId(error, requestId);
          });
          setResult({ ...(result as ExecutionResult), errors });
        },
      };
    },
  };
}

/** Logs an error that is not the caller's fault and returns its masked form: no message, no stack, no SQL. */
function unexpected(
  logger: YogaLogger,
  requestId: string,
  cause: unknown,
  where: string,
  located?: GraphQLError,
  status?: number,
): GraphQLError {
  logger.error(`[request ${requestId}] unexpected error in ${where}:`, cause);
  return new GraphQLError('Unexpected error.', {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, ...(status ? { http: { status } } : {}) },
  });
}
