import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A small OpenID Connect identity provider for development and tests: it
 * serves discovery (`/.well-known/openid-configuration`) and its key set
 * (`/jwks`) over node:http, signs access tokens with RS256 and ES256 keys
 * made by jose, and can rotate its keys while running. It has no users and
 * no sign-in: `token()` (and `GET /token`, for a frontend under development)
 * mints a token with whatever claims and headers the caller asks for.
 *
 * Never run it where the server it feeds accepts real users.
 */
export interface IdentityProvider {
  /** The issuer: the base URL, as tokens' `iss` and OIDC_ISSUER say it. */
  issuer: string;
  /** The key set's URL (discovery's `jwks_uri`). */
  jwksUrl: string;
  /** The audience tokens carry unless told otherwise. */
  audience: string;
  /** Signs a token: default claims (iss, aud, iat, exp in 1 h) under `claims` (an undefined claim is left out), and the current key of `alg`. */
  token(claims?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A new key for `alg` (default: every algorithm), signing from now on; `keepOld: false` also drops the old one from the key set. Returns the new kids. */
  rotate(options?: { alg?: SigningAlgorithm; keepOld?: boolean }): Promise<string[]>;
  /** The kid of the current key of `alg`. */
  kid(alg: SigningAlgorithm): string;
  /** The public keys served now. */
  publishedKeys(): JWK[];
  /** How often discovery and the key set were fetched. */
  fetches: { discovery: number; jwks: number };
  /** While true, discovery and the key set answer 503. */
  unavailable: boolean;
  close(): Promise<void>;
}

export type SigningAlgorithm = 'RS256' | 'ES256';

export interface SignOptions {
  /** Default RS256. Any other value (e.g. HS256) needs `key`. */
  alg?: string;
  /** Default: the current key's kid; null: no kid. */
  kid?: string | null;
  /** Sign with this key instead of the provider's (e.g. one outside its key set, or an HMAC secret). */
  key?: CryptoKey | Uint8Array;
  /** More protected header parameters. */
  header?: Record<string, unknown>;
}

export interface ProviderOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `workspace-models-api`. */
  audience?: string;
}

interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  jwk: JWK;
}

const ALGORITHMS: SigningAlgorithm[] = ['RS256', 'ES256'];

async function makeKey(alg: SigningAlgorithm): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startIdentityProvider({ port = 0, host = '127.0.0.1', audience = 'workspace-models-api' }: ProviderOptions = {}): Promise<IdentityProvider> {
  const current = new Map<SigningAlgorithm, SigningKey>();
  let published: SigningKey[] = [];
  for (const alg of ALGORITHMS) {
    const key = await makeKey(alg);
    current.set(alg, key);
    published.push(key);
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', provider.issuer);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return json(405, { error: 'method not allowed' });
    const served = url.pathname === '/.well-known/openid-configuration' ? 'discovery' : url.pathname === '/jwks' ? 'jwks' : null;
    if (served) {
      provider.fetches[served]++;
      if (provider.unavailable) return json(503, { error: 'temporarily unavailable' });
      if (served === 'jwks') return json(200, { keys: provider.publishedKeys() });
      return json(200, {
        issuer: provider.issuer,
        jwks_uri: provider.jwksUrl,
        token_endpoint: `${provider.issuer}/token`,
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ALGORITHMS,
      });
    }
    if (url.pathname === '/token') {
      // A stand-in for a real provider's sign-in, for a frontend under development: any browser origin may ask.
      const account = url.searchParams.get('account');
      const role = url.searchParams.get('role') ?? 'reader';
      const sub = url.searchParams.get('sub') ?? 'dev-user';
      const lifetime = Number(url.searchParams.get('expires_in') ?? 3600);
      const cors = { 'access-control-allow-origin': '*' };
      if (!account || !Number.isInteger(lifetime) || lifetime <= 0) return json(400, { error: 'invalid_request', error_description: 'account is required; expires_in is a positive number of seconds' }, cors);
      const now = Math.floor(Date.now() / 1000);
      void provider
        .token({ sub, account_id: account, role, exp: now + lifetime })
        .then((token) => json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime }, cors));
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;

  const provider: IdentityProvider = {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    audience,
    fetches: { discovery: 0, jwks: 0 },
    unavailable: false,
    async token(claims = {}, { alg = 'RS256', kid, key, header = {} } = {}) {
      const signing = current.get(alg as SigningAlgorithm);
      if (!key && !signing) throw new Error(`the provider has no ${alg} key: pass one`);
      const now = Math.floor(Date.now() / 1000);
      const payload = Object.fromEntries(
        Object.entries({ iss: base, aud: audience, iat: now, exp: now + 3600, ...claims }).filter(([, value]) => value !== undefined),
      ) as JWTPayload;
      const usedKid = kid === undefined ? signing?.kid : kid;
      return new SignJWT(payload)
        .setProtectedHeader({ alg, typ: 'JWT', ...(usedKid === null || usedKid === undefined ? {} : { kid: usedKid }), ...header })
        .sign(key ?? signing!.privateKey);
    },
    async rotate({ alg, keepOld = true } = {}) {
      const kids: string[] = [];
      for (const which of alg ? [alg] : ALGORITHMS) {
        const old = current.get(which)!;
        const next = await makeKey(which);
        current.set(which, next);
        if (!keepOld) published = published.filter((key) => key !== old);
        published.push(next);
        kids.push(next.kid);
      }
      return kids;
    },
    kid: (alg) => current.get(alg)!.kid,
    publishedKeys: () => published.map((key) => key.jwk),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return provider;
}
