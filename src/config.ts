import path from 'node:path';
import { z } from 'zod';

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

/** OpenID Connect access tokens (docs/authentication.md): accepted only when an issuer is set. */
export interface OidcOptions {
  /** Compared exactly with a token's `iss`. */
  issuer: string;
  /** A token's `aud` must contain it. */
  audience: string;
  /** null: the `jwks_uri` of the issuer's discovery document. */
  jwksUrl: string | null;
  /** The `alg` values accepted: asymmetric signatures only. */
  algorithms: Algorithm[];
  /** The claim naming the user's account (`acct_…`). */
  accountClaim: string;
  /** The claim whose value `admin` makes the user an ADMIN. */
  roleClaim: string;
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
  /** null: OIDC_ISSUER is unset, and only API keys are accepted. */
  oidc: OidcOptions | null;
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

/** Signature algorithms a token may use: public-key ones, so holding the key set lets no one sign. */
export const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type Algorithm = (typeof algorithms)[number];

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

export const defaultOidc = { algorithms: ['RS256', 'ES256'], accountClaim: 'account_id', roleClaim: 'role' } as const satisfies Partial<OidcOptions>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A DATABASE_URL's target, or what is wrong with it (a predicate, without the variable's name). */
function databaseTarget(url: string): DatabaseTarget | string {
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      return 'is not a valid postgres:// URL';
    }
    return { kind: 'postgres', url };
  }
  if (url.startsWith('pglite://')) {
    const rest = url.slice('pglite://'.length);
    if (rest === 'memory') return { kind: 'pglite', dataDir: null };
    if (rest === '') return 'pglite:// needs a directory or "memory"';
    return { kind: 'pglite', dataDir: path.resolve(rest) };
  }
  return 'must start with postgres://, postgresql:// or pglite://';
}

/** Parses a DATABASE_URL; returns a problem description instead of throwing. */
export function parseDatabaseUrl(url: string): DatabaseTarget | string {
  const target = databaseTarget(url);
  return typeof target === 'string' ? `DATABASE_URL ${target}` : target;
}

// Each message is a predicate: the problem's line starts with the variable's name (see `describe`).
const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.string().regex(/^\d+$/, { error }).transform(Number).pipe(z.number().min(min, { error }).max(max, { error }));
};

// Not z.stringbool: its refusal stops the checks that run across variables, and every problem must be reported at once.
const boolean = z
  .string()
  .regex(/^(1|true|yes|on|0|false|no|off)$/i, { error: 'must be true or false' })
  .transform((text) => /^(1|true|yes|on)$/i.test(text));

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, normalize: false, error: `must be an http:// or https:// URL ${what}` });

const ORIGIN = /^(\*|https?:\/\/[^/\s]+)$/;

/** A comma-separated list, each item trimmed, empty items dropped. */
const list = z.string().transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean));

/** A claim's name, as it appears in the token (namespaced names such as `https://example.com/account` included). */
const claimName = z.string().regex(/^\S+$/, { error: 'must be a claim name (no spaces)' });

/** Why a name is not an allowed algorithm: `none` and HMAC are refused by name. */
const algorithmProblem = (name: unknown) =>
  typeof name === 'string' && name.toLowerCase() === 'none'
    ? 'must not allow unsigned tokens'
    : typeof name === 'string' && /^HS\d+$/i.test(name)
      ? 'must not allow HMAC algorithms (anyone holding the public key set could sign tokens)'
      : `must be a comma-separated list of ${algorithms.join(', ')}`;

const algorithmList = list.pipe(
  z.array(z.enum(algorithms, { error: (issue) => algorithmProblem(issue.input) })).min(1, { error: 'must name at least one algorithm' }),
);

const OIDC_DEPENDENT = ['OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_ALGORITHMS', 'OIDC_ACCOUNT_CLAIM', 'OIDC_ROLE_CLAIM'] as const;

/**
 * The environment, as the process reads it: every variable it knows, parsed
 * and checked in one pass, so every problem is reported at once. An empty
 * value counts as unset. The result is the typed `Config`.
 */
const environment = z.preprocess(
  (env) => Object.fromEntries(Object.entries(env as Record<string, string | undefined>).filter(([, value]) => value !== undefined && value !== '')),
  z
    .object({
      DATABASE_URL: z
        .string()
        .default(DEFAULT_DATABASE_URL)
        .transform((url, ctx) => {
          const target = databaseTarget(url);
          // The URL itself is not repeated: it may hold a password.
          if (typeof target === 'string') ctx.addIssue({ code: 'custom', message: target });
          return typeof target === 'string' ? z.NEVER : target;
        }),
      CORS_ORIGINS: list.pipe(
        z.array(z.string().regex(ORIGIN, { error: 'must be "*" or a comma-separated list of origins like https://app.example.com' })),
      ).default(defaultHttp.corsOrigins),
      LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
      PORT: integer(0, 65535).default(4000),
      DATABASE_POOL_SIZE: integer(1, 1000).default(10),
      DATABASE_IDLE_TIMEOUT: integer(0, 86_400).default(0),
      MAX_BODY_BYTES: integer(1024, 100 * 1_048_576).default(defaultLimits.bodyBytes),
      MAX_DEPTH: integer(1, 1000).default(defaultLimits.depth),
      MAX_ALIASES: integer(0, 10_000).default(defaultLimits.aliases),
      MAX_DIRECTIVES: integer(0, 10_000).default(defaultLimits.directives),
      MAX_TOKENS: integer(100, 1_000_000).default(defaultLimits.tokens),
      MAX_OBJECTS: integer(1, 100_000_000).default(defaultLimits.objects),
      GRAPHIQL: boolean.default(defaultHttp.graphiql),
      INTROSPECTION: boolean.default(defaultHttp.introspection),
      SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(20_000),
      METRICS: boolean.default(true),
      METRICS_PORT: integer(0, 65535).optional(),
      // No defaults here: whether one of these is set decides whether it may be (see the check below).
      OIDC_ISSUER: httpUrl('(the provider\'s issuer, as its tokens\' "iss" says)').optional(),
      OIDC_AUDIENCE: z.string().optional(),
      OIDC_JWKS_URL: httpUrl('(the provider\'s JSON Web Key Set)').optional(),
      OIDC_ALGORITHMS: algorithmList.optional(),
      OIDC_ACCOUNT_CLAIM: claimName.optional(),
      OIDC_ROLE_CLAIM: claimName.optional(),
      // A path, read (and checked against the schema) by the server at start: graphql/trusted-documents.ts.
      TRUSTED_DOCUMENTS: z.string().optional(),
    })
    .superRefine(
      (env, ctx) => {
        if (env.OIDC_ISSUER !== undefined) {
          if (env.OIDC_AUDIENCE === undefined) ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'is required with OIDC_ISSUER: the "aud" a token must carry' });
          return;
        }
        for (const name of OIDC_DEPENDENT) {
          if (env[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is set but OIDC_ISSUER is not: set the issuer too, or unset it' });
        }
      },
      // Runs even when other variables are wrong: every problem at once.
      { when: () => true },
    )
    .transform(
      (env): Config => ({
        database: env.DATABASE_URL,
        port: env.PORT,
        pool: { max: env.DATABASE_POOL_SIZE, idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT },
        limits: {
          bodyBytes: env.MAX_BODY_BYTES,
          depth: env.MAX_DEPTH,
          aliases: env.MAX_ALIASES,
          directives: env.MAX_DIRECTIVES,
          tokens: env.MAX_TOKENS,
          objects: env.MAX_OBJECTS,
        },
        http: { corsOrigins: env.CORS_ORIGINS, graphiql: env.GRAPHIQL, introspection: env.INTROSPECTION },
        logLevel: env.LOG_LEVEL,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        metrics: { enabled: env.METRICS, port: env.METRICS_PORT ?? null },
        oidc:
          env.OIDC_ISSUER === undefined
            ? null
            : {
                issuer: env.OIDC_ISSUER,
                audience: env.OIDC_AUDIENCE!,
                jwksUrl: env.OIDC_JWKS_URL ?? null,
                algorithms: env.OIDC_ALGORITHMS ?? [...defaultOidc.algorithms],
                accountClaim: env.OIDC_ACCOUNT_CLAIM ?? defaultOidc.accountClaim,
                roleClaim: env.OIDC_ROLE_CLAIM ?? defaultOidc.roleClaim,
              },
        trustedDocuments: env.TRUSTED_DOCUMENTS ?? null,
      }),
    ),
);

/** One problem, as one line: the variable, what it must be, and (unless it may hold a secret) what it was. */
function describe(issue: z.core.$ZodIssue & { input?: unknown }): string {
  const [name] = issue.path;
  const shown = issue.code !== 'custom' && (typeof issue.input === 'string' || typeof issue.input === 'number');
  const got = shown ? `, got "${String(issue.input)}"` : '';
  return `${String(name)} ${issue.message}${got}`;
}

/** The only reader of process.env: every problem is reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env, { reportInput: true });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(describe));
  return parsed.data;
}
