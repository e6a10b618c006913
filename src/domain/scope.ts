import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Viewer } from './auth.ts';
import type { LiveStatusChanges } from './live.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/**
 * What a request may use, whichever surface serves it (GraphQL, its fast
 * path, REST): the caller, the database and the per-request loaders scoped to
 * the caller's account. Built once per request.
 */
export interface Scope {
  requestId: string;
  db: Database;
  /** null when the request carries no valid credentials. */
  viewer: Viewer | null;
  loaders: Loaders;
  /**
   * The server's logger. A line about the request passes `requestId` itself:
   * a child logger per request cost more than most requests ever log.
   */
  log: Logger;
  /** The process's live status changes, for subscriptions; null where the app has none. */
  live: LiveStatusChanges | null;
  /**
   * Whether the request's credentials are still accepted (a revoked key, an
   * expired token: not). A subscription asks before each event, as a new
   * request would be asked; cached like every check (auth.ts), so at most one
   * read per key and second.
   */
  stillAuthenticated(): Promise<boolean>;
}

/** What a scope is built from besides its viewer: the services of the process and its request's credentials. */
export interface ScopeParts {
  db: Database;
  log: Logger;
  live: LiveStatusChanges | null;
  stillAuthenticated(): Promise<boolean>;
}

export function createScope({ db, log, live, stillAuthenticated }: ScopeParts, viewer: Viewer | null, requestId: string): Scope {
  return { requestId, db, viewer, loaders: freshLoaders(db, viewer), log, live, stillAuthenticated };
}

/** New loaders for a scope's caller: scoped to its account, with nothing cached (a subscription takes them per event). */
export function freshLoaders(db: Database, viewer: Viewer | null): Loaders {
  return createLoaders(db, viewer?.accountId ?? null);
}
