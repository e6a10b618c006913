import { createServer } from 'node:http';
import { prepareDatabase } from './domain/bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DataDirInUseError, openDatabase, type DatabaseHandle } from './db/client.ts';
import { createLogger, type Logger } from './logger.ts';
import { guardProcess } from './process-guard.ts';
import { createApp } from './http/app.ts';
import { createLiveStatusChanges } from './domain/live.ts';
import { schema } from './graphql/schema/index.ts';
import { loadTrustedDocuments } from './graphql/trusted-documents.ts';
import { serveMetrics } from './http/front-door.ts';

/** After SIGTERM, the server stops once nothing has been in flight for this long. */
const QUIET_MS = 500;

async function main(): Promise<void> {
  const config = loadConfig();
  // A manifest that cannot run stops the start before the database is touched.
  const trustedDocuments = config.trustedDocuments === null ? null : loadTrustedDocuments(config.trustedDocuments, schema);
  if (Array.isArray(trustedDocuments)) throw new ConfigError(trustedDocuments);
  const log = createLogger(config.logLevel);
  guardProcess(log);

  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  const database = await openWithRetry(config, log, () => stopping);
  if (!database) return process.exit(0);
  const { synced, demo } = await prepareDatabase(database.db);
  if (synced) log.info(synced, 'catalog synced');
  else log.info('catalog unchanged since its last sync');

  // One LISTEN per process, started before serving: a database that refuses it stops the start.
  const live = createLiveStatusChanges({ db: database.db, listen: database.listen, log });
  await live.start();

  let draining = false;
  const app = createApp({
    db: database.db,
    log,
    limits: config.limits,
    http: config.http,
    accepting: () => !draining,
    oidc: config.oidc,
    metrics: config.metrics.enabled,
    serveMetrics: config.metrics.port === null,
    databaseStats: database.stats,
    trustedDocuments,
    live,
  });
  const { frontDoor, webSockets } = app;
  const server = createServer(frontDoor.listener);
  server.on('clientError', frontDoor.clientError);
  server.on('upgrade', frontDoor.upgrade);
  const inFlight = () => frontDoor.inFlight() + webSockets.inFlight();
  // A connection is activity before its request is parsed.
  let connected = performance.now();
  server.on('connection', () => (connected = performance.now()));
  const lastActivity = () => Math.max(connected, frontDoor.lastActivity());

  // METRICS_PORT: /metrics on a port of its own (kept off the public network), and only there.
  const metricsServer =
    config.metrics.port !== null && app.metrics
      ? createServer((request, response) => {
          if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
            response.writeHead(404).end();
            return;
          }
          void serveMetrics(app.metrics!, response);
        }).listen(config.metrics.port)
      : null;

  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}${app.graphqlEndpoint}`;
    // Plain lines for a person at a terminal, then the structured record. One
    // write, so whoever reads the output (a person, a supervisor, a test) never
    // finds the address without the lines that say how the server runs.
    const lines = [
      `GraphQL API${config.http.graphiql ? ' and GraphiQL' : ''} at ${url} (database: ${database.kind})`,
      `REST API at http://localhost:${port}/v1 (OpenAPI: /openapi.json, reference: /docs)`,
      ...(config.oidc ? [`Access tokens accepted from ${config.oidc.issuer} (audience ${config.oidc.audience}), beside API keys`] : []),
      ...(trustedDocuments ? [`GraphQL runs trusted documents only: ${trustedDocuments.size} in ${config.trustedDocuments}`] : []),
    ];
    if (demo) {
      lines.push(
        '',
        'The database was empty: created a demo account and workspace.',
        `  account:   ${demo.accountId}`,
        `  workspace: ${demo.workspaceId}`,
        `  admin key: ${demo.apiKey}`,
        'This key is shown once.',
        ...(config.http.graphiql
          ? [
              `Open GraphiQL at ${url}, replace everything in its Headers tab (under the query) with`,
              `  {"Authorization": "Bearer ${demo.apiKey}"}`,
              'and press the run button (▶): the example query lists your workspaces and their models.',
            ]
          : ['Send it with every request, in the header', `  Authorization: Bearer ${demo.apiKey}`]),
        '',
      );
    }
    console.log(lines.join('\n'));
    log.info({ url, database: database.kind, trustedDocuments: trustedDocuments?.size ?? null }, 'listening');
  });

  /**
   * Completes every request already sent, including on connections the OS
   * accepted but this process has not read yet: keep listening until nothing
   * has been in flight for a quiet period, then close, within the deadline.
   */
  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    frontDoor.drain();
    // Subscriptions never finish by themselves: WebSockets are closed (1001,
    // once they run no query or mutation) so their clients reconnect
    // elsewhere, then every live stream ends, which ends the SSE responses.
    webSockets.drain();
    await live.close();
    log.info({ signal, inFlight: inFlight(), webSockets: webSockets.connections() }, 'shutting down: finishing requests in flight');
    const deadline = performance.now() + config.shutdownTimeoutMs;
    // The quiet period starts at the signal, and counts only in short steps:
    // an event loop that stalls (the signal and a backlog of connections can
    // arrive in one turn, behind a busy one) has not accepted those
    // connections yet, and closing then would reset every one of them.
    let quiet = 0;
    let checked = performance.now();
    while (quiet < QUIET_MS && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const now = performance.now();
      quiet = inFlight() > 0 || lastActivity() > checked ? 0 : quiet + Math.min(now - checked, 50);
      checked = now;
    }
    const clean = inFlight() === 0;
    server.close();
    server.closeAllConnections();
    metricsServer?.close();
    await database.close().catch((error: unknown) => log.error({ err: error }, 'closing the database failed'));
    if (clean) log.info('stopped');
    else log.error({ inFlight: inFlight() }, 'shutdown deadline passed with requests in flight');
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (stopping) void shutdown('SIGTERM');
}

/** Starting while the database is down waits for it, saying so, until it answers or SIGTERM arrives. */
async function openWithRetry(config: Config, log: Logger, stopping: () => boolean): Promise<DatabaseHandle | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase(config.database, { pool: config.pool });
    } catch (error) {
      if (error instanceof DataDirInUseError || config.database.kind === 'pglite') throw error;
      const delay = Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
      log.warn(
        { attempt, retryInMs: delay, reason: (error as { code?: string }).code ?? (error as Error).message },
        'database not reachable yet; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping()) return null;
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
