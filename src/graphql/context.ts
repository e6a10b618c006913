import { GraphQLError } from 'graphql';
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
