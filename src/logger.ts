import type { YogaLogger } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** JSON lines on stdout; every line of a request carries its `requestId` (see http/request-log.ts). */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { service: 'workspace-models-api' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Yoga's own messages, through the same logger: Error arguments become `err`. */
export function yogaLogger(log: Logger): YogaLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      // Yoga logs at debug level several times a request: a disabled level costs nothing.
      if (!log.isLevelEnabled(level)) return;
      const err = args.find((a) => a instanceof Error);
      const message = args.filter((a) => typeof a === 'string').join(' ');
      log[level](err ? { err } : {}, message || (err as Error | undefined)?.message || 'yoga');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
