import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.ts';
import { operationParts, PerOperation, type DocumentCache } from './document.ts';
import type { OperationLimits } from './limits.ts';
import type { Logger } from '../logger.ts';

/**
 * Runs queries through graphql-jit, which compiles an operation once into
 * plain JavaScript: executing a page of models that way costs a fraction of
 * graphql-js's interpreter walking the same document.
 *
 * graphql-jit is not graphql-js: its errors lack locations, and it does not
 * apply a variable's default value to a non-null variable. So it only answers
 * what it answers exactly like graphql-js:
 * - queries only (a mutation is never run twice; subscriptions are not ours);
 * - documents whose variables have no default values;
 * - results without errors: when the compiled run reports any error, the
 *   query (a read) runs again through graphql-js, whose answer is the one the
 *   client gets, with the spec's errors, paths and locations.
 *
 * Once compiled, an operation skips the rest of the envelope too (see
 * `onParams` below): its document is known to parse and validate, so what is
 * left of the pipeline for it is the authentication gate and the objects
 * limit, which `run` applies itself. The server's listener (http/graphql-fast-path.ts)
 * calls `find` and `run` before yoga sees the request at all.
 */
export interface CompileOptions {
  /**
   * How many times a document runs through graphql-js before it is compiled.
   * Compiling costs far more than one interpreted run (about 40 ms for the
   * largest document the limits allow, against a few for graphql-js), so only
   * documents clients keep sending are compiled: a stream of one-off documents
   * cannot turn the compiler against the server. 0 compiles at first sight.
   */
  after: number;
}

/** What running a compiled operation straight from a request's parameters takes from the app. */
export interface AppParts {
  schema: GraphQLSchema;
  documents: DocumentCache;
  /** The request's context: the same object yoga's context factory returns for that request (`serverContext`: yoga's, with the node:http request). */
  context(request: Request, serverContext: object): Promise<Context>;
  objectLimitError: OperationLimits['objectLimitError'];
  /** Counts an operation that ran compiled (the front door's metrics), and which path ran it. */
  ran(document: DocumentNode, operationName: string | null, path: 'fast' | 'yoga'): void;
}

/** A document's operation: how often it ran, and its compiled form once decided (null: never). */
interface Entry {
  document: DocumentNode;
  operationName: string | null;
  runs: number;
  query?: CompiledQuery | null;
}

/** An operation whose compiled form is ready. */
export type Compiled = Entry & { query: CompiledQuery };

export interface CompiledQueries {
  plugin: Plugin<Context>;
  /** The compiled operation of a request's query text and operation name, once it is compiled. */
  find(text: string, operationName: string | null): Compiled | undefined;
  /**
   * Runs a compiled operation from a request's variables: its result when it
   * ran cleanly, or null when the envelope must answer (no viewer, too many
   * objects, any error). After an error, `request` (the Request, or the
   * node:http request yoga is then given) runs through graphql-js only.
   */
  run(compiled: Compiled, variables: Record<string, unknown>, context: Promise<Context>, request: object, path: 'fast' | 'yoga'): Promise<ExecutionResult | null>;
}

export function useCompiledQueries(log: Logger, { after }: CompileOptions, app: AppParts): CompiledQueries {
  const entries = new PerOperation<Entry>();
  /** Requests whose compiled run reported errors: the envelope then answers them with graphql-js only. */
  const failed = new WeakSet<object>();

  const compiledFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null) => {
    const entry = entries.get(document, operationName) ?? entries.set(document, operationName, { document, operationName, runs: 0 });
    if (entry.query !== undefined || entry.runs++ < after) return entry.query ?? null;
    const parts = operationParts(document, operationName);
    const eligible = parts?.operation.operation === 'query' && !parts.operation.variableDefinitions?.some((v) => v.defaultValue);
    const result = eligible ? compileQuery(schema, document, operationName ?? undefined) : null;
    entry.query = result && isCompiledQuery(result) ? result : null;
    log.debug({ operationName: parts?.operation.name?.value ?? null, compiled: entry.query !== null }, entry.query ? 'operation compiled' : 'operation left to graphql-js');
    return entry.query;
  };

  const reportErrors = (context: Context, result: ExecutionResult) =>
    context.log.debug({ requestId: context.requestId, errors: result.errors!.length }, 'compiled run reported errors: graphql-js answers');

  /** Whether the node:http request yoga serves (its server context's `req`) was handed over by http/graphql-fast-path.ts after a compiled run failed. */
  const failedBefore = (serverContext: object) => {
    const { req } = serverContext as { req?: object };
    return req !== undefined && failed.has(req);
  };

  const find = (text: string, operationName: string | null) => {
    const document = app.documents.valid(text);
    const entry = document && entries.get(document, operationName);
    return entry?.query ? (entry as Compiled) : undefined;
  };

  const run: CompiledQueries['run'] = async (compiled, variables, building, request, path) => {
    const context = await building;
    if (!context.viewer || app.objectLimitError(app.schema, compiled.document, compiled.operationName, variables)) return null;
    const result = (await compiled.query.query(undefined, context, variables)) as ExecutionResult;
    if (!result.errors?.length) {
      app.ran(compiled.document, compiled.operationName, path);
      return result;
    }
    reportErrors(context, result);
    failed.add(request);
    return null;
  };

  const plugin: Plugin<Context> = {
    /**
     * An operation already compiled runs from here, after yoga's checks of the
     * parameters and before the envelope: parsing and validating (its text
     * is cached as valid), the context factory and the execution hooks cost
     * more than the compiled run itself. Whatever it cannot answer cleanly —
     * no viewer, too many objects, any error — it hands to the envelope, which
     * answers exactly as for any other request.
     */
    onParams({ params, paramsHandler, setParamsHandler, context: server }) {
      if (typeof params.query !== 'string' || failedBefore(server)) return;
      const operationName = params.operationName ?? null;
      const compiled = find(params.query, operationName);
      if (!compiled) return;
      setParamsHandler(async (payload) => {
        const { request, params: final } = payload;
        // A later onParams hook may have replaced the parameters.
        if (final.query !== params.query || (final.operationName ?? null) !== operationName) return paramsHandler(payload);
        const result = await run(compiled, final.variables ?? {}, app.context(request, server), request, 'yoga');
        return result ?? paramsHandler(payload);
      });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as Context & { request: Request };
      if (failed.has(context.request) || failedBefore(context)) return;
      const query = compiledFor(args.schema, args.document, args.operationName ?? null);
      if (!query) return;
      setExecuteFn(async (execution) => {
        const result = (await query.query(execution.rootValue, execution.contextValue, execution.variableValues)) as ExecutionResult;
        if (!result.errors?.length) return result;
        reportErrors(context, result);
        return executeFn(execution);
      });
    },
  };
  return { plugin, find, run };
}
