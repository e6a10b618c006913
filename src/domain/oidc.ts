import { and, eq, sql } from 'drizzle-orm';
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify, type FetchImplementation, type JWTVerifyGetKey } from 'jose';
import type { OidcOptions } from '../config.ts';
import type { Database } from '../db/client.ts';
import { isIdOf, newId } from '../db/ids.ts';
import { accounts, profiles } from '../db/schema.ts';
import { preparedOnce } from '../db/sql.ts';
import type { Role, Viewer } from './auth.ts';

/** A token's verdict: its viewer, or why it is refused (for the log, never for the client). */
export type TokenCheck = { viewer: Viewer; expiresAt: number } | { refused: string };

export type VerifyToken = (token: string) => Promise<TokenCheck>;

/**
 * The identity provider could not be asked: its discovery document or key set
 * did not arrive, or made no sense. Not the caller's fault, so not a 401: the
 * request fails as unavailable (and the next token tries again).
 */
export class IdentityProviderUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityProviderUnavailable';
  }
}

/** `exp`, `nbf` and `iat` are judged with this much slack for clocks that disagree. */
const CLOCK_TOLERANCE_S = 30;
/** A token with an unknown `kid` refetches the key set at most this often. */
const REFETCH_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;
/** OpenID Connect Core: `sub` is at most 255 ASCII characters. */
const MAX_SUBJECT_LENGTH = 255;

/** jose's errors about the key set's response itself: the provider's failure, not the token's. */
const PROVIDER_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

export interface TokenVerifierOptions {
  /** At most this many verified tokens are remembered; the oldest go first. */
  maxEntries?: number;
}

/**
 * Verifies OpenID Connect access tokens (docs/authentication.md lists every
 * check) and finds, or makes, the profile of their (issuer, sub).
 *
 * The provider's key set is fetched on the first token, not at start (a
 * provider that is down does not stop the server; the next token tries
 * again), through its discovery document unless OIDC_JWKS_URL names it.
 * jose keeps it for 10 minutes, and a token whose `kid` it does not know
 * refetches it at most once every 30 s.
 *
 * A verified token is remembered until its `exp`, so a busy frontend costs
 * one verification and one profile lookup per token, not per request;
 * concurrent requests with one token share one verification. Refused tokens
 * are not remembered.
 */
export function createTokenVerifier(db: Database, oidc: OidcOptions, { maxEntries = 10_000 }: TokenVerifierOptions = {}): VerifyToken {
  const keys = keySet(oidc);
  const verified = new Map<string, { check: Promise<TokenCheck>; expires: number }>();

  const verify = async (token: string): Promise<TokenCheck> => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: oidc.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (isProviderFailure(error)) throw error;
      return { refused: `${(error as Error).message}${headerOf(token)}` };
    }
    const { sub, iat, exp } = payload;
    if (typeof sub !== 'string' || sub === '' || sub.length > MAX_SUBJECT_LENGTH) return { refused: `"sub" must be a string of 1 to ${MAX_SUBJECT_LENGTH} characters` };
    // jose checks `iat` only against a maximum age; the contract also refuses one from the future.
    if (iat !== undefined && iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) return { refused: '"iat" claim is in the future' };
    const accountId = payload[oidc.accountClaim];
    if (typeof accountId !== 'string' || !isIdOf('Account', accountId)) return { refused: `"${oidc.accountClaim}" claim must be an account id (acct_…)` };
    const profile = await profileOf(db, oidc.issuer, sub, accountId);
    if (profile === null) return { refused: `"${oidc.accountClaim}" claim names no account: ${accountId}` };
    if (profile.accountId !== accountId) {
      return { refused: `the profile of this "sub" belongs to account ${profile.accountId}, the token names ${accountId}` };
    }
    const role: Role = payload[oidc.roleClaim] === 'admin' ? 'ADMIN' : 'READER';
    // Shared by every request with this token: frozen.
    const viewer: Viewer = Object.freeze({ accountId, profileId: profile.id, apiKeyId: null, role });
    return { viewer, expiresAt: exp! * 1000 };
  };

  return (token) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.expires > now) return known.check;
    const entry = { check: verify(token), expires: Number.POSITIVE_INFINITY };
    verified.delete(token);
    verified.set(token, entry);
    if (verified.size > maxEntries) verified.delete(verified.keys().next().value!);
    const forget = () => verified.get(token) === entry && verified.delete(token);
    entry.check.then((check) => ('viewer' in check ? (entry.expires = check.expiresAt) : forget()), forget);
    return entry.check;
  };
}

/** The header's alg and kid, for the log line of a refused token (nothing when it does not decode). */
function headerOf(token: string): string {
  try {
    const { alg, kid } = decodeProtectedHeader(token);
    return ` (alg ${JSON.stringify(alg)}, kid ${kid === undefined ? 'none' : JSON.stringify(kid)})`;
  } catch {
    return '';
  }
}

function isProviderFailure(error: unknown): boolean {
  return error instanceof IdentityProviderUnavailable || PROVIDER_FAILURES.has((error as { code?: unknown } | null)?.code as string);
}

/**
 * The provider's key set, resolved on first use: OIDC_JWKS_URL, or the
 * `jwks_uri` of the issuer's discovery document. A failed discovery is not
 * remembered: the next token asks again.
 */
function keySet(oidc: OidcOptions): JWTVerifyGetKey {
  const remote = (url: string) =>
    createRemoteJWKSet(new URL(url), { cooldownDuration: REFETCH_COOLDOWN_MS, timeoutDuration: FETCH_TIMEOUT_MS, [customFetch]: fetchFromProvider });
  let keys: Promise<JWTVerifyGetKey> | null = oidc.jwksUrl ? Promise.resolve(remote(oidc.jwksUrl)) : null;
  const resolve = () =>
    (keys ??= discoverKeySetUrl(oidc.issuer).then(remote, (error: unknown) => {
      keys = null;
      throw error;
    }));
  return async (header, token) => (await resolve())(header, token);
}

/** A fetch whose failures to reach the provider say so (a timeout stays jose's own). */
const fetchFromProvider: FetchImplementation = async (url, options) => {
  try {
    return await fetch(url, options);
  } catch (error) {
    if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') throw error;
    throw new IdentityProviderUnavailable(`the identity provider's key set could not be fetched from ${url}`, { cause: error });
  }
};

/** OpenID Connect Discovery: the document must name this issuer exactly, and a key set URL. */
async function discoverKeySetUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const unavailable = (why: string, cause?: unknown) => new IdentityProviderUnavailable(`OIDC discovery at ${url} failed: ${why}`, { cause });
  let document: unknown;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (response.status !== 200) throw unavailable(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw error instanceof IdentityProviderUnavailable ? error : unavailable((error as Error).message, error);
  }
  const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  if (named !== issuer) throw unavailable(`the document names the issuer ${JSON.stringify(named)}, not ${JSON.stringify(issuer)}`);
  if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri) || !URL.canParse(jwksUri)) throw unavailable('the document has no valid jwks_uri');
  return jwksUri;
}

const profileBySubject = preparedOnce((db: Database) =>
  db
    .select({ id: profiles.id, accountId: profiles.accountId })
    .from(profiles)
    .where(and(eq(profiles.issuer, sql.placeholder('issuer')), eq(profiles.subject, sql.placeholder('subject'))))
    .prepare('profile_by_subject'),
);

/**
 * The profile of (issuer, sub), made on first use for the account the token
 * names; null when that account does not exist. Concurrent first requests
 * (in this process or others) all insert … on conflict do nothing, then read
 * the one row that won.
 */
async function profileOf(db: Database, issuer: string, subject: string, accountId: string): Promise<{ id: string; accountId: string } | null> {
  const [known] = await profileBySubject(db).execute({ issuer, subject });
  if (known) return known;
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
  if (!account) return null;
  await db
    .insert(profiles)
    .values({ id: newId('Profile'), accountId, kind: 'USER', name: subject, issuer, subject })
    .onConflictDoNothing({ target: [profiles.issuer, profiles.subject] });
  const [made] = await profileBySubject(db).execute({ issuer, subject });
  return made ?? null;
}
