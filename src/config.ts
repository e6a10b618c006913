import path from 'node:path';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null /* null: in memory */ }
  | { kind: 'postgres'; url: string };

export interface Config {
  database: DatabaseTarget;
  port: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'pglite://.data/pglite';

/** Parses a DATABASE_URL; returns a problem description instead of throwing. */
export function parseDatabaseUrl(url: string): DatabaseTarget | string {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      return 'DATABASE_URL is not a valid postgres:// URL';
    }
    return { kind: 'postgres', url };
  }
  if (url.startsWith('pglite://')) {
    const rest = url.slice('pglite://'.length);
    if (rest === 'memory') return { kind: 'pglite', dataDir: null };
    if (rest === '') return 'DATABASE_URL pglite:// needs a directory or "memory"';
    return { kind: 'pglite', dataDir: path.resolve(rest) };
  }
  return 'DATABASE_URL must start with postgres://, postgresql:// or pglite://';
}

/** The only reader of process.env: every problem is reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const database = parseDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  if (typeof database === 'string') problems.push(database);

  const portText = env.PORT || '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${portText}"`);
  }

  if (problems.length > 0 || typeof database === 'string') throw new ConfigError(problems);
  return { database, port };
}
