import { GraphQLError } from 'graphql';

/** A new error where `at` is (its nodes, source, positions and path): GraphQLError's own fields are read-only. */
export function errorAt(at: GraphQLError | undefined, message: string, extensions: Record<string, unknown>, originalError?: Error | null): GraphQLError {
  return new GraphQLError(message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, originalError, extensions });
}

export function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return errorAt(error, error.message, { ...error.extensions, ...extensions }, error.originalError);
}

/** An id that names nothing of the caller's (malformed, unknown, of another type or another account's): the answer never tells which. */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}
