import type { Logger } from './logger.ts';

/**
 * Anything uncaught is a bug: log it and exit, for the supervisor to restart.
 * (postgres.js 3.4.9 could throw from a timer when a backend died during a
 * rollback, porsager/postgres#1208; patches/postgres+3.4.9.patch fixes that in
 * the driver, and test/postgres-driver.test.ts holds it to that.) An unhandled
 * rejection is logged and the process goes on.
 */
export function guardProcess(log: Logger): void {
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
}
