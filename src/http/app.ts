import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultHttp, defaultLimits, type HttpOptions, type Limits, type OidcOptions } from '../config.ts';
import type { Database, DatabaseStats } from '../db/client.ts';
import { createAuthenticator, type AuthenticatorOptions, type Viewer } from '../domain/auth.ts';
import { createScope, type Scope } from '../domain/scope.ts';
import type { CompileOptions } from '../graphql/compiled-queries.ts';
import type { Context } from '../graphql/context.ts';
import type { TrustedDocuments } from '../graphql/trusted-documents.ts';
import { createWebSockets } from '../graphql/ws.ts';
import { createGraphQL } from '../graphql/yoga.ts';
import type { LiveStatusChanges } from '../domain/live.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createRest, type RestOptions } from '../rest/router.ts';
import { tooLarge } from '../rest/status.ts';
import { createFrontDoor } from './front-door.ts';
import { createFastPath } from './graphql-fast-path.ts';
import { createRestFastPath } from './rest-fast-path.ts';
import { createMetrics } from './metrics.ts';
import { createRequestLog } from './request-log.ts';
import type { Plugin } from 'graphql-yoga';

/** A node:http request's identity rides on the request itself: a WeakMap entry per request showed in the collector's work. */
const IDENTITY = Symbol('identity');
type WithIdentity = IncomingMessage & { [IDENTITY]?: Promise<Viewer | null> };

export interface AppOptions {
  db: Database;
  /** Default: silent (tests); the server passes its own. */
  log?: Logger;
  limits?: Limits;
  http?: HttpOptions;
  /** False while the process shuts down: /ready then answers 503 so balancers stop sending. */
  accepting?: () => boolean;
  auth?: Omit<AuthenticatorOptions, 'oidc' | 'log'>;
  /** Accept OpenID Connect access tokens from this provider (config.ts: OIDC_*); absent or null: API keys only. */
  oidc?: OidcOptions | null;
  /**
   * Run eligible queries compiled (graphql/compiled-queries.ts), each document
   * after 10 interpreted runs by default; false answers everything with graphql-js.
   */
  compileQueries?: CompileOptions | false;
  /** More yoga plugins, ahead of the app's own (tests observe the pipeline with them). */
  plugins?: Plugin<Context>[];
  /** More fets plugins, ahead of the REST router's own (likewise). */
  restPlugins?: RestOptions['plugins'];
  /**
   * The front door answers compiled queries and the REST reads straight from
   * node:http (http/graphql-fast-path.ts, http/rest-fast-path.ts); false: yoga and fets answer them.
   */
  direct?: boolean;
  /** Record Prometheus metrics (default true); `serveMetrics` false leaves /metrics to a port of its own. */
  metrics?: boolean;
  serveMetrics?: boolean;
  /** The database's statement count and pool, for /metrics. */
  databaseStats?: () => DatabaseStats;
  /** Run only these documents, named by id (TRUSTED_DOCUMENTS); null: any operation. */
  trustedDocuments?: TrustedDocuments | null;
  /** The process's live status changes (domain/live.ts), for Subscription.modelStatusChanged; null: subscribing answers UNAVAILABLE. */
  live?: LiveStatusChanges | null;
}

/**
 * The whole app, with no port: the front door (`listener`, for node:http,
 * and `frontDoor.upgrade` for its 'upgrade' event) and the surfaces behind
 * it — yoga (this object: tests drive it with `fetch`), GraphQL over
 * WebSocket (`webSockets`), the REST router (`rest`) — over one identity and
 * one set of per-request scopes.
 */
export function createApp({
  db,
  log = createLogger('silent'),
  limits = defaultLimits,
  http = defaultHttp,
  accepting = () => true,
  auth,
  oidc = null,
  compileQueries = { after: 10 },
  plugins = [],
  restPlugins = [],
  direct = true,
  metrics: recordMetrics = true,
  serveMetrics = true,
  databaseStats,
  trustedDocuments = null,
  live = null,
}: AppOptions) {
  const authenticate = createAuthenticator(db, { ...auth, oidc, log });
  /**
   * Identity, once for every path: the fast paths, yoga and REST all build a
   * request's scope here. A request a fast path hands on (`request`: the
   * node:http request) keeps the identity it was given: its credentials are
   * verified, and a refused token logged, once.
   */
  const scopeFor = async (authorization: string | null, requestId: string, request?: WithIdentity): Promise<Scope> => {
    let viewer = request?.[IDENTITY];
    if (!viewer) {
      viewer = authenticate(authorization, requestId);
      if (request) request[IDENTITY] = viewer;
    }
    const stillAuthenticated = async () => (await authenticate(authorization, requestId)) !== null;
    return createScope({ db, log, live, stillAuthenticated }, await viewer, requestId);
  };
  const requests = createRequestLog(log);
  const metrics = recordMetrics ? createMetrics(databaseStats, live ? live.subscribers : null) : null;
  const cors = {
    origin: http.corsOrigins.includes('*') ? '*' : http.corsOrigins,
    allowedHeaders: ['authorization', 'content-type', 'x-graphql-yoga-csrf'],
    exposedHeaders: ['x-request-id'],
  };
  const { yoga, compiled } = createGraphQL({
    db,
    log,
    limits,
    http,
    cors,
    accepting,
    scopeFor,
    requestIdOf: requests.idOf,
    compileQueries,
    trustedDocuments,
    plugins: [...plugins, requests.plugin, ...(metrics ? [metrics.plugin] : [])],
    ran: (document, operationName, path) => metrics?.operation(document, operationName, path),
  });
  const webSockets = createWebSockets({ yoga, log, scopeFor, trustedDocuments, requests, metrics, maxPayload: limits.bodyBytes });
  const rest = createRest({
    log,
    cors,
    scopeFor,
    requestIdOf: requests.idOfContext,
    errorAnswered: (code) => metrics?.error('rest', code),
    plugins: restPlugins,
  });
  const fastPath =
    compiled && direct
      ? createFastPath({
          endpoint: yoga.graphqlEndpoint,
          maxBodyBytes: limits.bodyBytes,
          trusted: trustedDocuments,
          cors,
          find: compiled.find,
          run: compiled.run,
          // Unlogged: a request whose key could not be looked up goes on to yoga, which logs it.
          context: scopeFor,
        })
      : null;
  const frontDoor = createFrontDoor({
    requests,
    metrics,
    serveMetrics,
    bodyBytes: limits.bodyBytes,
    graphql: { endpoint: yoga.graphqlEndpoint, fastPath, yoga, upgrade: webSockets.upgrade },
    rest,
    restFastPath: direct ? createRestFastPath({ cors, scopeFor }) : null,
    restTooLarge: (response: ServerResponse) => {
      const error = tooLarge(limits.bodyBytes);
      metrics?.error('rest', error.rpc);
      response.writeHead(error.httpStatus, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(error.body));
    },
  });
  return Object.assign(yoga, { listener: frontDoor.listener, frontDoor, rest, metrics, webSockets, live });
}

export type App = ReturnType<typeof createApp>;
