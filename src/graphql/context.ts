import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../domain/auth.ts';
import type { Scope } from '../domain/scope.ts';

/** Everything a resolver may use: the request's scope (domain/scope.ts). */
export type Context = Scope;

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send `Authorization: Bearer <api key or access token>`.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** The viewer of a request that passed the authentication gate. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** What onExecute and onSubscribe both offer, for a check that stops either. */
export interface GatedOperation<Ctx = Context> {
  args: { document: DocumentNode; operationName?: string | null; contextValue: Ctx; schema: GraphQLSchema; variableValues?: Record<string, unknown> | null };
  setResultAndStopExecution(result: ExecutionResult): void;
}