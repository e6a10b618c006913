import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.ts';
import { operationParts, PerOperation } from './document.ts';
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

/** A document's operation: how often it ran, and its compiled form once decided (null: never). */
interface Entry {
  runs: number;
  query?: CompiledQuery | null;
}

export function useCompiledQueries(log: Logger, { after }: CompileOptions): Plugin<Context> {
  const entries = new PerOperation<Entry>();

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

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiledFor(args.schema, args.document, args.operationName ?? null);
      if (!query) return;
      setExecuteFn(async (execution) => {
        const result = (await query.query(execution.rootValue, execution.contextValue, execution.variableValues)) as ExecutionResult;
        if (!result.errors?.length) return result;
        const { log, requestId } = execution.contextValue as Context;
        log.debug({ requestId, errors: result.errors.length }, 'compiled run reported errors: graphql-js answers');
        return executeFn(execution);
      });
    },
  };
}
