/**
 * OpenID Connect access tokens beside API keys (docs/authentication.md),
 * against a real identity provider (examples/identity-provider/provider.ts)
 * serving discovery and its key set over a socket, and the app's front door
 * over another. A refused token must be answered exactly as a bad API key is,
 * on every path: GraphQL's compiled fast path and yoga, REST's fast path and
 * fets; its reason goes to the log with the request id, never to the client.
 */
import { createPublicKey } from 'node:crypto';
import { exportSPKI, generateKeyPair } from 'jose';
import type { Plugin } from 'graphql-yoga';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startIdentityProvider, type IdentityProvider } from '../examples/identity-provider/provider.ts';
import { defaultHttp, type OidcOptions } from '../src/config.ts';
import { newId } from '../src/db/ids.ts';
import { profiles } from '../src/db/schema.ts';
import { createAccount } from '../src/domain/auth.ts';
import type { Context } from '../src/graphql/context.ts';
import { createApp, type App, type AppOptions } from '../src/http/app.ts';
import { setupTestApp, unwrap, type Tenant } from './helpers.ts';
import { killAll, start, startServer, within } from './processes.ts';
import { send, serve, type Answer, type Sent } from './sockets.ts';
import { and, eq } from 'drizzle-orm';

const t = await setupTestApp();
const provider = await startIdentityProvider();
afterAll(() => provider.close());

interface LogLine {
  msg: string;
  requestId?: string;
  reason?: string;
  err?: { message: string };
}
const logLines: LogLine[] = [];
const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

const ORIGIN = 'https://app.example.com';
const oidcOf = (idp: IdentityProvider, more: Partial<OidcOptions> = {}): OidcOptions => ({
  issuer: idp.issuer,
  audience: idp.audience,
  jwksUrl: null,
  algorithms: ['RS256', 'ES256'],
  accountClaim: 'account_id',
  roleClaim: 'role',
  ...more,
});

/** An app over the test database with its own listener; counts the requests yoga and fets see. */
interface Served {
  app: App;
  url: string;
  seen: { yoga: number; rest: number };
}
async function served(options: Omit<AppOptions, 'db'> = {}): Promise<Served> {
  const seen = { yoga: 0, rest: 0 };
  const counting: Plugin<Context> = { onRequest: () => void seen.yoga++ };
  const app = createApp({
    db: t.db,
    log,
    compileQueries: { after: 0 },
    http: { ...defaultHttp, corsOrigins: [ORIGIN] },
    oidc: oidcOf(provider),
    plugins: [counting],
    restPlugins: [{ onRequest: () => void seen.rest++ }],
    ...options,
  });
  return { app, url: await serve(app.listener), seen };
}

let main: Served;
let tenant: Tenant;
let other: Tenant;
let modelIds: string[];

/** A token from the provider for the tenant's account, an admin unless told otherwise. */
const tokenFor = (claims: Record<string, unknown> = {}, options?: Parameters<IdentityProvider['token']>[1]) =>
  provider.token({ sub: 'user-1', account_id: tenant.accountId, role: 'admin', ...claims }, options);

const VIEWER = /* GraphQL */ `query Viewer { viewer { accountId profileId role } }`;
const DISABLE = /* GraphQL */ `mutation Disable($id: ID!) { setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { id spec { status } } userErrors { code field message } } }`;

const graphql = (authorization: string | null, query: string, variables: Record<string, unknown> = {}): Sent => ({
  headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
  body: JSON.stringify({ query, variables }),
});

beforeAll(async () => {
  [tenant, other] = await Promise.all([t.tenant('Signed in'), t.tenant('Other')]);
  const res = await t.gql(`query Ids($w: ID!) { workspace(id: $w) { models(first: 3) { nodes { id } } } }`, {
    key: tenant.adminKey,
    variables: { w: tenant.workspaceId },
  });
  modelIds = res.body.data.workspace.models.nodes.map((n: { id: string }) => n.id);
  main = await served();
  // Compile the viewer query: from now on the fast path answers it (or hands it to yoga).
  expect((await send(main.url, { ...graphql(`Bearer ${tenant.adminKey}`, VIEWER) })).status).toBe(200);
});

afterEach(() => {
  vi.useRealTimers();
});

async function viewerOf(url: string, token: string) {
  const answer = await send(url, graphql(`Bearer ${token}`, VIEWER));
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body).data.viewer as { accountId: string; profileId: string; role: string };
}

describe('valid tokens get in', () => {
  it.each(['RS256', 'ES256'] as const)('%s: GraphQL (fast path and yoga) and REST (fast path and fets)', async (alg) => {
    const token = await tokenFor({ sub: `user-${alg}` }, { alg });
    const before = { ...main.seen };
    const viewer = await viewerOf(main.url, token);
    expect(viewer).toEqual({ accountId: tenant.accountId, profileId: expect.stringMatching(/^prof_/), role: 'ADMIN' });
    // The compiled query was answered by the fast path: yoga never saw it.
    expect(main.seen.yoga).toBe(before.yoga);

    const viaYoga = await main.app.fetch('http://test/graphql', { method: 'POST', ...graphql(`Bearer ${token}`, VIEWER) });
    expect((await viaYoga.json()).data.viewer).toEqual(viewer);

    const list = await send(main.url, { method: 'GET', path: `/v1/workspaces/${tenant.workspaceId}/models?limit=2`, headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).items).toHaveLength(2);
    expect(main.seen.rest).toBe(before.rest);

    const put = await send(main.url, {
      method: 'PUT',
      path: `/v1/workspaces/${tenant.workspaceId}/models/${modelIds[2]}/status`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'MODEL_STATUS_ENABLED' }),
    });
    expect(put.status).toBe(200);
    expect(main.seen.rest).toBe(before.rest + 1);
  });

  it('within the 30 s clock tolerance: expired 10 s ago, nbf and iat 10 s ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await tokenFor({ exp: now - 10, nbf: now + 10, iat: now + 10 });
    expect((await viewerOf(main.url, token)).role).toBe('ADMIN');
  });

  it.each([
    ['admin', 'ADMIN'],
    ['reader', 'READER'],
    [undefined, 'READER'],
    ['Admin', 'READER'],
    ['owner', 'READER'],
    [['admin'], 'READER'],
    [true, 'READER'],
  ])('role claim %j → %s', async (role, expected) => {
    expect((await viewerOf(main.url, await tokenFor({ sub: 'role-user', role }))).role).toBe(expected);
  });

  it('OIDC_ROLE_CLAIM and OIDC_ACCOUNT_CLAIM name the claims read', async () => {
    const custom = await served({ oidc: oidcOf(provider, { accountClaim: 'https://example.com/account', roleClaim: 'app_role' }) });
    const token = await provider.token({ sub: 'custom-claims', 'https://example.com/account': tenant.accountId, app_role: 'admin', role: 'reader' });
    expect(await viewerOf(custom.url, token)).toMatchObject({ accountId: tenant.accountId, role: 'ADMIN' });
    // The default claims mean nothing there.
    const defaults = await provider.token({ sub: 'custom-claims', account_id: tenant.accountId, role: 'admin' });
    expect((await send(custom.url, graphql(`Bearer ${defaults}`, VIEWER))).status).toBe(401);
  });
});

describe('refused tokens are the same 401 as a bad API key, everywhere', () => {
  const badKey = () => `Bearer ${newId('ApiKey')}.${'A'.repeat(43)}`;

  /** One request of each path: a compiled query (fast path, then yoga), a mutation (yoga), a REST read (fast path, then fets), a REST change (fets). */
  const requests = (authorization: string): Sent[] => [
    graphql(authorization, VIEWER),
    graphql(authorization, DISABLE, { id: modelIds[0] }),
    { method: 'GET', path: `/v1/workspaces/${tenant.workspaceId}/models`, headers: { authorization, origin: ORIGIN } },
    {
      method: 'PUT',
      path: `/v1/workspaces/${tenant.workspaceId}/models/${modelIds[0]}/status`,
      headers: { authorization, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'MODEL_STATUS_DISABLED' }),
    },
  ];

  async function expectRefusedLikeABadKey(authorization: string, reason: RegExp | null) {
    const reference = await Promise.all(requests(badKey()).map((sent) => send(main.url, sent)));
    expect(reference.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    const answers: Answer[] = [];
    for (const sent of requests(authorization)) answers.push(await send(main.url, sent));
    answers.forEach((answer, i) => expect(answer).toEqual({ ...reference[i], requestId: answer.requestId }));
    // yoga.fetch, without the front door, answers the same way.
    const direct = await main.app.fetch('http://test/graphql', { method: 'POST', ...graphql(authorization, VIEWER) });
    expect(direct.status).toBe(401);
    expect((await direct.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    for (const answer of answers) {
      const lines = logLines.filter((line) => line.requestId === answer.requestId && line.msg === 'access token refused');
      if (reason === null) {
        expect(lines).toEqual([]);
        continue;
      }
      // Once per request, even when a fast path handed it on.
      expect(lines).toHaveLength(1);
      expect(lines[0]!.reason).toMatch(reason);
      expect(answer.body).not.toContain(lines[0]!.reason);
    }
    // Nothing changed.
    const status = await viewerModelStatus(modelIds[0]!);
    expect(status).toBe('MODEL_STATUS_ENABLED');
  }

  const viewerModelStatus = async (id: string) =>
    (await t.gql(`query Status($id: ID!) { model(id: $id) { spec { status } } }`, { key: tenant.adminKey, variables: { id } })).body.data.model.spec.status;

  const now = () => Math.floor(Date.now() / 1000);
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => tokenFor({ exp: now() - 60 }), /"exp" claim timestamp check failed/],
    ['nbf in the future', () => tokenFor({ nbf: now() + 60 }), /"nbf" claim timestamp check failed/],
    ['iat in the future', () => tokenFor({ iat: now() + 60 }), /"iat" claim is in the future/],
    ['no exp', () => tokenFor({ exp: undefined }), /missing required "exp" claim/],
    ['wrong issuer', () => tokenFor({ iss: 'https://elsewhere.example.com' }), /unexpected "iss" claim value/],
    ['issuer with a trailing slash', () => tokenFor({ iss: `${provider.issuer}/` }), /unexpected "iss" claim value/],
    ['wrong audience', () => tokenFor({ aud: 'another-api' }), /unexpected "aud" claim value/],
    ['audience list without ours', () => tokenFor({ aud: ['a', 'b'] }), /unexpected "aud" claim value/],
    ['no sub', () => tokenFor({ sub: undefined }), /missing required "sub" claim/],
    ['empty sub', () => tokenFor({ sub: '' }), /"sub" must be a string/],
    ['a sub that is not a string', () => tokenFor({ sub: 42 }), /"sub" must be a string/],
    ['unknown account', () => tokenFor({ sub: 'no-profile-yet', account_id: newId('Account') }), /names no account/],
    ['account claim not an acct_ id', () => tokenFor({ account_id: tenant.workspaceId }), /must be an account id/],
    ['account claim a name', () => tokenFor({ account_id: 'Signed in' }), /must be an account id/],
    ['no account claim', () => tokenFor({ account_id: undefined }), /must be an account id/],
    [
      'a key outside the key set, under a known kid',
      async () => tokenFor({}, { key: (await generateKeyPair('RS256')).privateKey, kid: provider.kid('RS256') }),
      /signature verification failed/,
    ],
    [
      'a key outside the key set, under an unknown kid',
      async () => tokenFor({}, { alg: 'ES256', key: (await generateKeyPair('ES256')).privateKey, kid: 'not-in-the-set' }),
      /no applicable key found in the JSON Web Key Set \(alg "ES256", kid "not-in-the-set"\)/,
    ],
    [
      'alg none',
      async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ iss: provider.issuer, aud: provider.audience, sub: 'user-1', account_id: tenant.accountId, role: 'admin', exp: now() + 600 })}.`,
      /"alg" \(Algorithm\) Header Parameter value not allowed \(alg "none", kid none\)/,
    ],
    [
      'HS256 signed with the public key as the secret (algorithm confusion)',
      async () => {
        const jwk = provider.publishedKeys().find((key) => key.kid === provider.kid('RS256'))!;
        const pem = await exportSPKI(createPublicKey({ key: jwk as never, format: 'jwk' }) as never);
        return tokenFor({}, { alg: 'HS256', key: new TextEncoder().encode(pem), kid: provider.kid('RS256') });
      },
      /"alg" \(Algorithm\) Header Parameter value not allowed/,
    ],
    [
      'an allowed key type, a disallowed algorithm (PS256)',
      async () => tokenFor({}, { alg: 'PS256', key: (await generateKeyPair('PS256')).privateKey, kid: provider.kid('RS256') }),
      /"alg" \(Algorithm\) Header Parameter value not allowed/,
    ],
    [
      'the right shape, broken base64',
      async () => {
        const [, payload, signature] = (await tokenFor()).split('.');
        return `eyJhbGciOiJSUzI1NiJ9x.${payload}.${signature}`;
      },
      /^JWS Protected Header is invalid$/,
    ],
    [
      'the right shape, a header that is not JSON',
      async () => {
        const [, payload, signature] = (await tokenFor()).split('.');
        return `${Buffer.from('not json').toString('base64url')}.${payload}.${signature}`;
      },
      /^JWS Protected Header is invalid$/,
    ],
    [
      'a payload altered after signing',
      async () => {
        const [header, , signature] = (await tokenFor({ role: 'reader' })).split('.');
        return `${header}.${base64url({ iss: provider.issuer, aud: provider.audience, sub: 'user-1', account_id: tenant.accountId, role: 'admin', exp: now() + 600 })}.${signature}`;
      },
      /signature verification failed/,
    ],
  ])('%s', async (_case, token, reason) => {
    await expectRefusedLikeABadKey(`Bearer ${await token()}`, reason);
  });

  it.each([
    ['garbage', 'Bearer garbage'],
    ['two segments', 'Bearer abc.def'],
    ['five segments (an encrypted JWT)', 'Bearer a.b.c.d.e'],
    ['characters outside base64url', 'Bearer ab+c.de/f.gh='],
    ['a token without "Bearer"', 'token'],
  ])('%s: refused as a bad credential, without a token to log', async (_case, authorization) => {
    await expectRefusedLikeABadKey(authorization, null);
  });

  it('without OIDC_ISSUER a well-formed, valid token is refused alike', async () => {
    const keysOnly = await served({ oidc: null });
    const token = await tokenFor();
    const keyAnswer = await send(keysOnly.url, graphql(badKey(), VIEWER));
    const tokenAnswer = await send(keysOnly.url, graphql(`Bearer ${token}`, VIEWER));
    expect(tokenAnswer).toEqual({ ...keyAnswer, requestId: tokenAnswer.requestId });
    expect(logLines.find((line) => line.requestId === tokenAnswer.requestId)?.reason).toMatch(/OIDC_ISSUER is not set/);
  });

  it('a 401 carries the CORS headers, so a browser frontend can read it', async () => {
    const answer = await send(main.url, { ...graphql('Bearer garbage', VIEWER), headers: { 'content-type': 'application/json', authorization: 'Bearer garbage', origin: ORIGIN } });
    expect(answer.status).toBe(401);
    expect(Object.fromEntries(answer.headers)).toMatchObject({ 'access-control-allow-origin': ORIGIN, 'access-control-expose-headers': 'x-request-id' });
  });
});

describe('profiles: one per (issuer, sub)', () => {
  const profileRows = (subject: string) =>
    t.db.select().from(profiles).where(and(eq(profiles.issuer, provider.issuer), eq(profiles.subject, subject)));

  it('is made once under concurrent first requests, in two processes, and stays the same', async () => {
    const second = await served();
    const subject = `concurrent-${newId('Profile')}`;
    // Distinct tokens (jti), so no cache shares a verification: every request reaches the database.
    const tokens = await Promise.all(Array.from({ length: 16 }, (_, i) => tokenFor({ sub: subject, jti: `t${i}` })));
    const viewers = await Promise.all(tokens.map((token, i) => viewerOf(i % 2 ? second.url : main.url, token)));
    const profileIds = new Set(viewers.map((v) => v.profileId));
    expect(profileIds.size).toBe(1);
    const rows = await profileRows(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: [...profileIds][0], accountId: tenant.accountId, kind: 'USER', issuer: provider.issuer, subject });
    // A later token of the same user: the same profile.
    expect((await viewerOf(main.url, await tokenFor({ sub: subject, jti: 'later' }))).profileId).toBe([...profileIds][0]);
  });

  it('a profile belongs to one account: the same sub naming another account is refused, and nothing is made', async () => {
    const subject = `one-account-${newId('Profile')}`;
    const first = await viewerOf(main.url, await tokenFor({ sub: subject }));
    const answer = await send(main.url, graphql(`Bearer ${await tokenFor({ sub: subject, account_id: other.accountId })}`, VIEWER));
    expect(answer.status).toBe(401);
    expect(logLines.find((line) => line.requestId === answer.requestId)?.reason).toBe(
      `the profile of this "sub" belongs to account ${tenant.accountId}, the token names ${other.accountId}`,
    );
    expect(await profileRows(subject)).toEqual([expect.objectContaining({ id: first.profileId, accountId: tenant.accountId })]);
    // The first account's tokens still work.
    expect((await viewerOf(main.url, await tokenFor({ sub: subject, jti: 'again' }))).profileId).toBe(first.profileId);
  });

  it('the same sub from another issuer is another profile', async () => {
    const elsewhere = await startIdentityProvider();
    try {
      const app = await served({ oidc: oidcOf(elsewhere) });
      const subject = `two-issuers-${newId('Profile')}`;
      const here = await viewerOf(main.url, await tokenFor({ sub: subject }));
      const there = await viewerOf(app.url, await elsewhere.token({ sub: subject, account_id: tenant.accountId }));
      expect(there.profileId).not.toBe(here.profileId);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('the key set', () => {
  it('is fetched on the first token, not at start; a provider that is down is retried, and its failure is not a 401', async () => {
    const idp = await startIdentityProvider();
    try {
      idp.unavailable = true;
      const app = await served({ oidc: oidcOf(idp) });
      expect(idp.fetches).toEqual({ discovery: 0, jwks: 0 });
      const token = await idp.token({ sub: 'early-user', account_id: tenant.accountId, role: 'admin' });

      const gql = await send(app.url, graphql(`Bearer ${token}`, VIEWER));
      expect(gql.status).toBe(500);
      expect(JSON.parse(gql.body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: '<id>' } }] });
      const rest = await send(app.url, { method: 'GET', path: `/v1/workspaces/${tenant.workspaceId}/models`, headers: { authorization: `Bearer ${token}` } });
      expect(rest.status).toBe(503);
      expect(JSON.parse(rest.body)).toMatchObject({ code: 14 });
      expect(logLines.find((line) => line.requestId === rest.requestId && line.msg === 'unexpected error')?.err?.message).toMatch(/OIDC discovery .* failed: HTTP 503/);
      expect(idp.fetches.discovery).toBeGreaterThanOrEqual(2);

      idp.unavailable = false;
      expect((await viewerOf(app.url, token)).role).toBe('ADMIN');
      expect(idp.fetches.jwks).toBe(1);
      // Discovered once: later tokens use the key set it named.
      const discovered = idp.fetches.discovery;
      await viewerOf(app.url, await idp.token({ sub: 'early-user', account_id: tenant.accountId, jti: 'second' }));
      expect(idp.fetches).toEqual({ discovery: discovered, jwks: 1 });
    } finally {
      await idp.close();
    }
  });

  it('a discovery document naming another issuer is not trusted', async () => {
    const idp = await startIdentityProvider();
    try {
      // The document says http://127.0.0.1:<port>, without the slash.
      const app = await served({ oidc: oidcOf(idp, { issuer: `${idp.issuer}/` }) });
      const token = await idp.token({ iss: `${idp.issuer}/`, sub: 'impostor', account_id: tenant.accountId });
      const rest = await send(app.url, { method: 'GET', path: `/v1/workspaces/${tenant.workspaceId}/models`, headers: { authorization: `Bearer ${token}` } });
      expect(rest.status).toBe(503);
      expect(logLines.find((line) => line.requestId === rest.requestId && line.msg === 'unexpected error')?.err?.message).toBe(
        `OIDC discovery at ${idp.issuer}/.well-known/openid-configuration failed: the document names the issuer "${idp.issuer}", not "${idp.issuer}/"`,
      );
      expect(idp.fetches.jwks).toBe(0);
    } finally {
      await idp.close();
    }
  });

  it('OIDC_JWKS_URL skips discovery', async () => {
    const idp = await startIdentityProvider();
    try {
      const app = await served({ oidc: oidcOf(idp, { jwksUrl: idp.jwksUrl }) });
      await viewerOf(app.url, await idp.token({ sub: 'direct-keys', account_id: tenant.accountId }));
      expect(idp.fetches).toEqual({ discovery: 0, jwks: 1 });
    } finally {
      await idp.close();
    }
  });

  it('rotation: a new kid refetches the set, at most once every 30 s; a removed kid is refused', async () => {
    const idp = await startIdentityProvider();
    try {
      const app = await served({ oidc: oidcOf(idp) });
      const claims = { sub: 'rotating-user', account_id: tenant.accountId, role: 'admin' };
      const beforeRotation = await idp.token({ ...claims, jti: 'old-unused' });
      await viewerOf(app.url, await idp.token({ ...claims, jti: 'old' }));
      expect(idp.fetches.jwks).toBe(1);

      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      const [newKid] = await idp.rotate({ alg: 'RS256', keepOld: false });
      const rotated = await idp.token({ ...claims, jti: 'new' });
      expect(rotated.split('.')[0]).toBe(Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: newKid })).toString('base64url'));

      // Within 30 s of the last fetch: the unknown kid is refused without asking the provider.
      vi.setSystemTime(Date.now() + 29_000);
      const early = await send(app.url, graphql(`Bearer ${rotated}`, VIEWER));
      expect(early.status).toBe(401);
      expect(logLines.find((line) => line.requestId === early.requestId)?.reason).toMatch(/no applicable key found/);
      expect(idp.fetches.jwks).toBe(1);

      // After 30 s: one refetch, and the new key is known.
      vi.setSystemTime(Date.now() + 2_000);
      expect((await viewerOf(app.url, rotated)).role).toBe('ADMIN');
      expect(idp.fetches.jwks).toBe(2);

      // The removed key's tokens are refused now; a burst of unknown kids refetches nothing.
      const stale = await send(app.url, graphql(`Bearer ${beforeRotation}`, VIEWER));
      expect(stale.status).toBe(401);
      const unknownKids = await Promise.all(
        Array.from({ length: 5 }, async (_, i) => idp.token({ ...claims, jti: `u${i}` }, { key: (await generateKeyPair('RS256')).privateKey, kid: `unknown-${i}` })),
      );
      for (const token of unknownKids) expect((await send(app.url, graphql(`Bearer ${token}`, VIEWER))).status).toBe(401);
      expect(idp.fetches.jwks).toBe(2);
    } finally {
      await idp.close();
    }
  });
});

describe('a browser frontend, signed in', () => {
  /** What a browser sends from the frontend's origin: fetch with the user's token. */
  const browser = (token: string) => async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${main.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { origin: ORIGIN, authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    return { status: response.status, body: await response.json() };
  };

  it('preflights allow the Authorization header from the allowed origin', async () => {
    for (const path of ['/graphql', `/v1/workspaces/${tenant.workspaceId}/models/${modelIds[0]}/status`]) {
      const response = await fetch(`${main.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': path === '/graphql' ? 'POST' : 'PUT', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    }
  });

  it('an admin user lists, pages and changes models, on GraphQL and REST, as its own profile', async () => {
    const subject = `admin-${newId('Profile')}`;
    const call = browser(await tokenFor({ sub: subject, role: 'admin' }));
    const { body: me } = await call('/graphql', { body: { query: VIEWER } });
    expect(me.data.viewer).toEqual({ accountId: tenant.accountId, profileId: expect.stringMatching(/^prof_/), role: 'ADMIN' });
    const { profileId } = me.data.viewer;

    const PAGE = /* GraphQL */ `query Page($w: ID!, $after: String) { workspace(id: $w) { models(first: 4, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    const first = await call('/graphql', { body: { query: PAGE, variables: { w: tenant.workspaceId } } });
    const next = await call('/graphql', { body: { query: PAGE, variables: { w: tenant.workspaceId, after: first.body.data.workspace.models.pageInfo.endCursor } } });
    const pageIds = [...first.body.data.workspace.models.nodes, ...next.body.data.workspace.models.nodes].map((n: { id: string }) => n.id);
    expect(new Set(pageIds).size).toBe(8);

    const changed = await call('/graphql', { body: { query: DISABLE, variables: { id: modelIds[1] } } });
    expect(changed.body.data.setModelStatus).toEqual({ model: { id: modelIds[1], spec: { status: 'MODEL_STATUS_DISABLED' } }, userErrors: [] });

    const page1 = await call(`/v1/workspaces/${tenant.workspaceId}/models?limit=4`);
    expect(page1.status).toBe(200);
    const page2 = await call(`/v1/workspaces/${tenant.workspaceId}/models?limit=4&cursor=${encodeURIComponent(page1.body.pagination.next_cursor)}`);
    expect([...page1.body.items, ...page2.body.items].map((m: { metadata: { id: string } }) => m.metadata.id)).toEqual(pageIds);
    const put = await call(`/v1/workspaces/${tenant.workspaceId}/models/${modelIds[1]}/status`, { method: 'PUT', body: { status: 'MODEL_STATUS_ENABLED' } });
    expect(put).toMatchObject({ status: 200, body: { metadata: { id: modelIds[1] }, spec: { status: 'MODEL_STATUS_ENABLED' } } });

    // The actor of what the user creates is the user's profile.
    const CREATE = /* GraphQL */ `mutation Create($name: String!) { createWorkspace(input: { name: $name }) { workspace { id models(first: 1) { nodes { metadata { profileId } } } } userErrors { code } } }`;
    const created = await call('/graphql', { body: { query: CREATE, variables: { name: `Made by ${subject}` } } });
    expect(created.body.data.createWorkspace.userErrors).toEqual([]);
    expect(created.body.data.createWorkspace.workspace.models.nodes[0].metadata.profileId).toBe(profileId);
    const [row] = await t.db.select().from(profiles).where(eq(profiles.id, profileId));
    expect(row).toMatchObject({ subject, kind: 'USER', accountId: tenant.accountId });
  });

  it('a reader user reads, and is FORBIDDEN (GraphQL) / 403 (REST) to change', async () => {
    const call = browser(await tokenFor({ sub: `reader-${newId('Profile')}`, role: 'reader' }));
    expect((await call(`/v1/workspaces/${tenant.workspaceId}/models?limit=1`)).status).toBe(200);
    const refused = await call('/graphql', { body: { query: DISABLE, variables: { id: modelIds[0] } } });
    expect(refused.body.data.setModelStatus).toEqual({
      model: null,
      userErrors: [{ code: 'FORBIDDEN', field: null, message: 'The caller has the READER role; changes need the ADMIN role.' }],
    });
    const put = await call(`/v1/workspaces/${tenant.workspaceId}/models/${modelIds[0]}/status`, { method: 'PUT', body: { status: 'MODEL_STATUS_DISABLED' } });
    expect(put).toEqual({ status: 403, body: { code: 7, message: 'The caller has the READER role; changes need the ADMIN role.', details: [] } });
  });

  it("another account's user sees none of this account's objects", async () => {
    const account = unwrap(await createAccount(t.db, { name: 'Elsewhere' }));
    const call = browser(await tokenFor({ sub: `outsider-${newId('Profile')}`, account_id: account.accountId }));
    expect((await call(`/v1/workspaces/${tenant.workspaceId}/models`)).status).toBe(404);
    const { body } = await call('/graphql', { body: { query: `query Foreign($id: ID!) { model(id: $id) { id } }`, variables: { id: modelIds[0] } } });
    expect(body.data.model).toBeNull();
  });
});

describe('the development issuer and the server, as an operator runs them', () => {
  afterAll(killAll);

  it('npm run dev:issuer prints settings and tokens the server accepts', async () => {
    const issuer = start('npm', ['run', '-s', 'dev:issuer', '--', '--port', '0', '--role', 'reader'], {});
    while (!/Serving until stopped/.test(issuer.stdout())) {
      if (await within(issuer, 50)) throw new Error(`dev:issuer exited:\n${issuer.stdout()}\n${issuer.stderr()}`);
    }
    const setting = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(issuer.stdout())![1]!;
    const server = await startServer('pglite://memory', { OIDC_ISSUER: setting('OIDC_ISSUER'), OIDC_AUDIENCE: setting('OIDC_AUDIENCE'), LOG_LEVEL: 'silent' });
    try {
      expect(server.stdout()).toContain(`Access tokens accepted from ${setting('OIDC_ISSUER')}`);
      const account = /account: +(acct_\S+)/.exec(server.stdout())![1]!;
      const workspace = /workspace: +(ws_\S+)/.exec(server.stdout())![1]!;
      const minted = await (await fetch(`${setting('OIDC_ISSUER')}/token?account=${account}&role=admin&sub=readme-user`)).json();
      expect(minted).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      const base = server.url.replace(/\/graphql$/, '');
      const response = await fetch(`${base}/v1/workspaces/${workspace}/models?limit=1`, { headers: { authorization: `Bearer ${minted.access_token}`, origin: 'http://localhost:5173' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const viewer = await fetch(server.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${minted.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: VIEWER }),
      });
      expect((await viewer.json()).data.viewer).toMatchObject({ accountId: account, role: 'ADMIN' });
    } finally {
      await server.stop();
      issuer.process.kill('SIGTERM');
      await within(issuer, 5_000);
    }
  });
});
