import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.ts';
import { operationParts, PerOperation, type DocumentCache } from './document.ts';
import type { OperationLimits } from './limits.ts';
import type { Logger } from './logger.ts';

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
 * limit, which it applies itself.
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
  /** The request's context: the same object yoga's context factory returns for that request. */
  context(request: Request): Promise<Context>;
  objectLimitError: OperationLimits['objectLimitError'];
}

/** A document's operation: how often it ran, and its compiled form once decided (null: never). */
interface Entry {
  runs: number;
  query?: CompiledQuery | null;
}

export function useCompiledQueries(log: Logger, { after }: CompileOptions, app: AppParts): Plugin<Context> {
  const entries = new PerOperation<Entry>();
  /** Requests whose compiled run reported errors: the envelope then answers them with graphql-js only. */
  const failed = new WeakSet<Request>();

  const compiledFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null) => {
    const entry = entries.get(document, operationName) ?? entries.set(document, operationName, { runs: 0 });
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

  return {
    /**
     * An operation already compiled runs from here, after yoga's checks of the
     * parameters and before the envelope: parsing and validating (its text
     * is cached as valid), the context factory and the execution hooks cost
     * more than the compiled run itself. Whatever it cannot answer cleanly —
     * no viewer, too many objects, any error — it hands to the envelope, which
     * answers exactly as for any other request.
     */
    onParams({ params, paramsHandler, setParamsHandler }) {
      if (typeof params.query !== 'string') return;
      const operationName = params.operationName ?? null;
      const document = app.documents.valid(params.query);
      const query = document && entries.get(document, operationName)?.query;
      if (!query) return;
      setParamsHandler(async (payload) => {
        const { request, params: final } = payload;
        // A later onParams hook may have replaced the parameters.
        if (final.query !== params.query || (final.operationName ?? null) !== operationName) return paramsHandler(payload);
        const variables = final.variables ?? {};
        const context = await app.context(request);
        if (!context.viewer || app.objectLimitError(app.schema, document, operationName, variables)) return paramsHandler(payload);
        const result = (await query.query(undefined, context, variables)) as ExecutionResult;
        if (!result.errors?.length) return result;
        reportErrors(context, result);
        failed.add(request);
        return paramsHandler(payload);
      });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue;
      if (failed.has(context.request)) return;
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
}
