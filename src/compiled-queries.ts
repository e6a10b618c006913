import type { DocumentNode, ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.ts';
import { operationParts } from './document.ts';
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
export function useCompiledQueries(log: Logger): Plugin<Context> {
  // Yoga's parser cache hands out one document per query text: compile once per document and operation.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();

  const compiledFor = (schema: Parameters<typeof compileQuery>[0], document: DocumentNode, operationName: string | null) => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (query === undefined) {
      const parts = operationParts(document, operationName);
      const eligible = parts?.operation.operation === 'query' && !parts.operation.variableDefinitions?.some((v) => v.defaultValue);
      const result = eligible ? compileQuery(schema, document, operationName ?? undefined) : null;
      query = result && isCompiledQuery(result) ? result : null;
      byOperation.set(key, query);
      log.debug({ operationName: parts?.operation.name?.value ?? null, compiled: query !== null }, query ? 'operation compiled' : 'operation left to graphql-js');
    }
    return query;
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiledFor(args.schema, args.document, args.operationName ?? null);
      if (!query) return;
      setExecuteFn(async (execution) => {
        const result = (await query.query(execution.rootValue, execution.contextValue, execution.variableValues)) as ExecutionResult;
        if (!result.errors?.length) return result;
        (execution.contextValue as Context).log.debug({ errors: result.errors.length }, 'compiled run reported errors: graphql-js answers');
        return executeFn(execution);
      });
    },
  };
}
