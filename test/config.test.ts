import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultHttp, defaultLimits, loadConfig, type Config } from '../src/config.ts';

/** The problems of an environment, one line each, or the config it makes. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`Invalid configuration:\n${(error as ConfigError).problems.map((p) => `  - ${p}`).join('\n')}`);
    return (error as ConfigError).problems;
  }
  return [];
}

const ISSUER = { OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'workspace-models-api' };

describe('defaults', () => {
  it('an empty environment is the documented defaults, with OIDC off', () => {
    expect(loadConfig({})).toEqual<Config>({
      database: { kind: 'pglite', dataDir: path.resolve('.data/pglite') },
      pool: { max: 10, idleTimeoutSeconds: 0 },
      port: 4000,
      limits: defaultLimits,
      http: defaultHttp,
      logLevel: 'info',
      shutdownTimeoutMs: 20_000,
      metrics: { enabled: true, port: null },
      oidc: null,
      trustedDocuments: null,
    });
  });

  it('an empty value counts as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '', OIDC_AUDIENCE: '', OIDC_ALGORITHMS: '', METRICS_PORT: '' })).toEqual(loadConfig({}));
  });

  it('every setting is read', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      PORT: '8080',
      DATABASE_POOL_SIZE: '20',
      DATABASE_IDLE_TIMEOUT: '30',
      MAX_BODY_BYTES: '2048',
      MAX_DEPTH: '5',
      MAX_ALIASES: '0',
      MAX_DIRECTIVES: '3',
      MAX_TOKENS: '100',
      MAX_OBJECTS: '7',
      CORS_ORIGINS: ' https://app.example.com , http://localhost:5173,',
      GRAPHIQL: 'off',
      INTROSPECTION: 'No',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '0',
      METRICS: '0',
      METRICS_PORT: '9100',
      ...ISSUER,
      OIDC_JWKS_URL: 'https://id.example.com/keys',
      OIDC_ALGORITHMS: 'ES384, PS256',
      OIDC_ACCOUNT_CLAIM: 'https://example.com/account',
      OIDC_ROLE_CLAIM: 'app_role',
      TRUSTED_DOCUMENTS: 'examples/client/gql/persisted-documents.json',
    });
    expect(config).toEqual<Config>({
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/app' },
      pool: { max: 20, idleTimeoutSeconds: 30 },
      port: 8080,
      limits: { bodyBytes: 2048, depth: 5, aliases: 0, directives: 3, tokens: 100, objects: 7 },
      http: { corsOrigins: ['https://app.example.com', 'http://localhost:5173'], graphiql: false, introspection: false },
      logLevel: 'warn',
      shutdownTimeoutMs: 0,
      metrics: { enabled: false, port: 9100 },
      oidc: {
        issuer: 'https://id.example.com',
        audience: 'workspace-models-api',
        jwksUrl: 'https://id.example.com/keys',
        algorithms: ['ES384', 'PS256'],
        accountClaim: 'https://example.com/account',
        roleClaim: 'app_role',
      },
      trustedDocuments: 'examples/client/gql/persisted-documents.json',
    });
  });

  it('the OIDC defaults: discovery, RS256 and ES256, account_id and role', () => {
    expect(loadConfig(ISSUER).oidc).toEqual({
      issuer: 'https://id.example.com',
      audience: 'workspace-models-api',
      jwksUrl: null,
      algorithms: ['RS256', 'ES256'],
      accountClaim: 'account_id',
      roleClaim: 'role',
    });
  });

  it.each([
    ['pglite://memory', { kind: 'pglite', dataDir: null }],
    ['pglite://tmp/data', { kind: 'pglite', dataDir: path.resolve('tmp/data') }],
    ['postgresql://localhost/x', { kind: 'postgres', url: 'postgresql://localhost/x' }],
  ])('DATABASE_URL %s', (url, target) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual(target);
  });
});

describe('problems, all reported at once, each naming its variable', () => {
  it('one of each kind in one environment', () => {
    expect(
      problemsOf({
        DATABASE_URL: 'mysql://user:secret@db/app',
        CORS_ORIGINS: 'https://ok.example.com,https://bad.example.com/path',
        LOG_LEVEL: 'loud',
        PORT: 'x',
        MAX_DEPTH: '0',
        GRAPHIQL: 'maybe',
        METRICS_PORT: '70000',
        OIDC_AUDIENCE: 'api',
        OIDC_ALGORITHMS: 'RS256,none',
      }),
    ).toEqual([
      'DATABASE_URL must start with postgres://, postgresql:// or pglite://',
      'CORS_ORIGINS must be "*" or a comma-separated list of origins like https://app.example.com, got "https://bad.example.com/path"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'PORT must be an integer from 0 to 65535, got "x"',
      'MAX_DEPTH must be an integer from 1 to 1000, got "0"',
      'GRAPHIQL must be true or false, got "maybe"',
      'METRICS_PORT must be an integer from 0 to 65535, got "70000"',
      'OIDC_ALGORITHMS must not allow unsigned tokens, got "none"',
      'OIDC_AUDIENCE is set but OIDC_ISSUER is not: set the issuer too, or unset it',
      'OIDC_ALGORITHMS is set but OIDC_ISSUER is not: set the issuer too, or unset it',
    ]);
  });

  it('a database URL is never repeated: it may hold a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://user:secret@[bad' });
    expect(problems).toEqual(['DATABASE_URL is not a valid postgres:// URL']);
    expect(problems.join()).not.toContain('secret');
  });

  it.each([
    ['1.5', 'a fraction'],
    ['-1', 'a negative number'],
    ['1e3', 'an exponent'],
    [' 80', 'a space'],
    ['65536', 'too large'],
  ])('PORT=%s (%s) is refused', (port) => {
    expect(problemsOf({ PORT: port })).toEqual([expect.stringMatching(/^PORT must be an integer from 0 to 65535, got /)]);
  });

  it('OIDC settings without an issuer are each a problem', () => {
    expect(
      problemsOf({
        OIDC_AUDIENCE: 'api',
        OIDC_JWKS_URL: 'https://id.example.com/keys',
        OIDC_ALGORITHMS: 'RS256',
        OIDC_ACCOUNT_CLAIM: 'account',
        OIDC_ROLE_CLAIM: 'roles',
      }),
    ).toEqual(
      ['OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_ALGORITHMS', 'OIDC_ACCOUNT_CLAIM', 'OIDC_ROLE_CLAIM'].map(
        (name) => `${name} is set but OIDC_ISSUER is not: set the issuer too, or unset it`,
      ),
    );
  });

  it('an issuer needs an audience, and valid URLs, algorithms and claim names', () => {
    expect(
      problemsOf({
        OIDC_ISSUER: 'ftp://id.example.com',
        OIDC_JWKS_URL: 'not a url',
        OIDC_ALGORITHMS: 'HS256, ES256, XS1',
        OIDC_ACCOUNT_CLAIM: 'account id',
        PORT: 'x',
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535, got "x"',
      `OIDC_ISSUER must be an http:// or https:// URL (the provider's issuer, as its tokens' "iss" says), got "ftp://id.example.com"`,
      `OIDC_JWKS_URL must be an http:// or https:// URL (the provider's JSON Web Key Set), got "not a url"`,
      'OIDC_ALGORITHMS must not allow HMAC algorithms (anyone holding the public key set could sign tokens), got "HS256"',
      'OIDC_ALGORITHMS must be a comma-separated list of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519, got "XS1"',
      'OIDC_ACCOUNT_CLAIM must be a claim name (no spaces), got "account id"',
      'OIDC_AUDIENCE is required with OIDC_ISSUER: the "aud" a token must carry',
    ]);
  });

  it.each([
    ['none', 'must not allow unsigned tokens, got "none"'],
    ['NONE', 'must not allow unsigned tokens, got "NONE"'],
    ['HS384', 'must not allow HMAC algorithms (anyone holding the public key set could sign tokens), got "HS384"'],
    ['hs512', 'must not allow HMAC algorithms (anyone holding the public key set could sign tokens), got "hs512"'],
    ['rs256', expect.stringContaining('must be a comma-separated list of RS256')],
    [',', 'must name at least one algorithm'],
  ])('OIDC_ALGORITHMS=%s is refused at start', (value, problem) => {
    const [line] = problemsOf({ ...ISSUER, OIDC_ALGORITHMS: value });
    expect(line).toEqual(typeof problem === 'string' ? `OIDC_ALGORITHMS ${problem}` : problem);
  });
});
