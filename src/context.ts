import { GraphQLError } from 'graphql';
import type { Viewer } from './auth.ts';
import type { Database } from './db/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { Logger } from './logger.ts';

/** Everything a resolver may use; built per request. */
export interface Context {
  requestId: string;
  db: Database;
  /** null when the request carries no valid key: only pure introspection then runs. */
  viewer: Viewer | null;
  loaders: Loaders;
  /**
   * The server's logger. A line about the request passes `requestId` itself:
   * a child logger per request cost more than most requests ever log.
   */
  log: Logger;
}

export function createContext(db: Database, viewer: Viewer | null, requestId: string, log: Logger): Context {
  return { requestId, db, viewer, loaders: createLoaders(db, viewer?.accountId ?? null), log };
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Authentication required: send `Authorization: Bearer <api key>`.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/** The viewer of a request that passed the authentication gate. */
export function viewerOf(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
