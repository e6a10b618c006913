import { createServer } from 'node:http';
import { prepareDatabase } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError, openDatabase } from './db/client.ts';
import { createApp } from './yoga.ts';

const SHUTDOWN_DEADLINE_MS = 20_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const { synced, demo } = await prepareDatabase(database.db);
  if (synced.updated + synced.added > 0) {
    console.log(`Catalog synced: ${synced.added} models added, ${synced.updated} updated.`);
  }

  const yoga = createApp({ db: database.db });
  const server = createServer(yoga);
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}${yoga.graphqlEndpoint}`;
    console.log(`GraphQL API and GraphiQL at ${url} (database: ${database.kind})`);
    if (demo) {
      console.log(
        [
          '',
          'The database was empty: created a demo account and workspace.',
          `  account:   ${demo.accountId}`,
          `  workspace: ${demo.workspaceId}`,
          `  admin key: ${demo.apiKey}`,
          'This key is shown once. In GraphiQL, set the header',
          `  {"Authorization": "Bearer ${demo.apiKey}"}`,
          '',
        ].join('\n'),
      );
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then closing.`);
    const deadline = setTimeout(() => {
      console.error('Shutdown deadline passed; exiting with requests still open.');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close(async () => {
      await database.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
  } else {
    console.error('Failed to start:', error);
  }
  process.exit(1);
});
