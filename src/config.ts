import path from 'node:path';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null /* null: in memory */ }
  | { kind: 'postgres'; url: string };

/** Operation limits (docs/limits.md lists each with its error). */
export interface Limits {
  /** Request body in bytes; larger is HTTP 413. */
  bodyBytes: number;
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  /** Objects one operation may request: page sizes multiplied down each path of nested connections. */
  objects: number;
}

export interface HttpOptions {
  /** Origins allowed by CORS; ['*'] allows any. */
  corsOrigins: string[];
  graphiql: boolean;
  introspection: boolean;
}

/** The postgres.js pool (PostgreSQL only). */
export interface PoolOptions {
  max: number;
  /** Close a connection idle this many seconds; 0 keeps it. */
  idleTimeoutSeconds: number;
}

export interface Config {
  database: DatabaseTarget;
  pool: PoolOptions;
  port: number;
  limits: Limits;
  http: HttpOptions;
  logLevel: LogLevel;
  /** On SIGTERM, requests in flight get this long to finish. */
  shutdownTimeoutMs: number;
  metrics: MetricsOptions;
  /** TRUSTED_DOCUMENTS: the manifest of the only documents to run (graphql/trusted-documents.ts); null: any operation. */
  trustedDocuments: string | null;
}

export interface MetricsOptions {
  /** METRICS=false records none (and serves no /metrics). */
  enabled: boolean;
  /** METRICS_PORT: /metrics on this port only; null: on PORT. */
  port: number | null;
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export const DEFAULT_DATABASE_URL = 'pglite://.data/pglite';

export const defaultLimits: Limits = {
  bodyBytes: 1_048_576,
  depth: 12,
  aliases: 30,
  directives: 50,
  tokens: 5_000,
  objects: 50_000,
};

export const defaultHttp: HttpOptions = { corsOrigins: ['*'], graphiql: true, introspection: true };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    problems.push(`${name} must be true or false, got "${text}"`);
    return fallback;
  };

  const database = parseDatabaseUrl(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  if (typeof database === 'string') problems.push(database);

  const corsOrigins = (env.CORS_ORIGINS || '*').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGINS must be "*" or a comma-separated list of origins like https://app.example.com, got "${origin}"`);
    }
  }

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${env.LOG_LEVEL}"`);

  const config: Config = {
    database: typeof database === 'string' ? { kind: 'pglite', dataDir: null } : database,
    port: int('PORT', 4000, 0, 65535),
    pool: {
      max: int('DATABASE_POOL_SIZE', 10, 1, 1000),
      idleTimeoutSeconds: int('DATABASE_IDLE_TIMEOUT', 0, 0, 86_400),
    },
    limits: {
      bodyBytes: int('MAX_BODY_BYTES', defaultLimits.bodyBytes, 1024, 100 * 1_048_576),
      depth: int('MAX_DEPTH', defaultLimits.depth, 1, 1000),
      aliases: int('MAX_ALIASES', defaultLimits.aliases, 0, 10_000),
      directives: int('MAX_DIRECTIVES', defaultLimits.directives, 0, 10_000),
      tokens: int('MAX_TOKENS', defaultLimits.tokens, 100, 1_000_000),
      objects: int('MAX_OBJECTS', defaultLimits.objects, 1, 100_000_000),
    },
    http: {
      corsOrigins,
      graphiql: bool('GRAPHIQL', defaultHttp.graphiql),
      introspection: bool('INTROSPECTION', defaultHttp.introspection),
    },
    logLevel,
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
    metrics: {
      enabled: bool('METRICS', true),
      port: env.METRICS_PORT ? int('METRICS_PORT', 0, 0, 65535) : null,
    },
    trustedDocuments: env.TRUSTED_DOCUMENTS || null,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
