import type { Logger } from './logger.ts';

/**
 * postgres.js 3.4.9 can throw from a timer, out of reach of any promise, when a
 * backend dies while a transaction rolls back (porsager/postgres#1208). That
 * connection is already gone and the pool reconnects: log it and keep serving.
 * Anything else uncaught is a bug: log it and exit, for the supervisor to restart.
 */
export function guardProcess(log: Logger): void {
  process.on('uncaughtException', (error) => {
    if (isPostgresWriteAfterClose(error)) {
      log.warn({ err: error }, 'postgres.js wrote to a closed connection (porsager/postgres#1208); continuing');
      return;
    }
    log.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
}

export function isPostgresWriteAfterClose(error: unknown): boolean {
  return error instanceof TypeError && /nextWrite/.test(error.stack ?? '') && /postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(error.stack ?? '');
}
