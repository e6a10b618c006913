import { GraphQLError } from 'graphql';
import type { Problem } from '../domain/validation.ts';

/** A new error where `at` is (its nodes, source, positions and path): GraphQLError's own fields are read-only. */
export function errorAt(at: GraphQLError | undefined, message: string, extensions: Record<string, unknown>, originalError?: Error | null): GraphQLError {
  return new GraphQLError(message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, originalError, extensions });
}

export function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return errorAt(error, error.message, { ...error.extensions, ...extensions }, error.originalError);
}

/** A rule's refusal (domain/validation.ts) raised as an error, as REST's fromProblem raises it: its message and code. */
export function fromProblem(problem: Problem): GraphQLError {
  return new GraphQLError(problem.message, { extensions: { code: problem.code } });
}
