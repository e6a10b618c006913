import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { OidcOptions } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { preparedOnce } from '../db/sql.ts';
import { isIdOf, newId } from '../db/ids.ts';
import { accounts, apiKeys, profiles } from '../db/schema.ts';
import { createTokenVerifier, type VerifyToken } from './oidc.ts';
import { fail, normalizeName, ok, type Result } from './validation.ts';

export type Role = 'ADMIN' | 'READER';

/** Who is calling: everything a request may touch is scoped to `accountId`. */
export interface Viewer {
  accountId: string;
  profileId: string;
  /** The API key used; null for a user signed in with an access token. */
  apiKeyId: string | null;
  role: Role;
}

export interface IssuedKey {
  apiKeyId: string;
  /** The secret, shown once: only its hash is stored. */
  apiKey: string;
}

// An API key reads `key_<ULID>.<43 base64url characters>`: the id finds the row,
// the secret is checked against its SHA-256. 256 random bits need no slow hash.
const API_KEY = /^(key_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;
// An access token (a JWT) is three base64url segments; an unsigned one has an empty third,
// and is let through to be refused, with its reason, by the verifier.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

// crypto.hash is the one-shot form: no Hash object per request.
const hashSecret = (secret: string) => hash('sha256', secret, 'buffer');

async function issueKey(db: Database, accountId: string, profileId: string, role: Role): Promise<IssuedKey> {
  const apiKeyId = newId('ApiKey');
  const secret = randomBytes(32).toString('base64url');
  await db.insert(apiKeys).values({ id: apiKeyId, accountId, profileId, role, secretHash: hashSecret(secret).toString('hex') });
  return { apiKeyId, apiKey: `${apiKeyId}.${secret}` };
}

/** A new account with its owner's profile and an admin key for that profile. */
export async function createAccount(
  db: Database,
  input: { name: string },
): Promise<Result<{ accountId: string; profileId: string } & IssuedKey>> {
  const name = normalizeName(input.name, ['name']);
  if (!name.ok) return name;
  return ok(
    await db.transaction(async (tx) => {
      const accountId = newId('Account');
      const profileId = newId('Profile');
      await tx.insert(accounts).values({ id: accountId, name: name.value });
      await tx.insert(profiles).values({ id: profileId, accountId, kind: 'USER', name: name.value });
      return { accountId, profileId, ...(await issueKey(tx, accountId, profileId, 'ADMIN')) };
    }),
  );
}

/** A key with its own service-account profile. */
export async function createApiKey(
  db: Database,
  input: { accountId: string; role: Role },
): Promise<Result<IssuedKey & { profileId: string }>> {
  return db.transaction(async (tx) => {
    const account = isIdOf('Account', input.accountId)
      ? await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.accountId))
      : [];
    if (account.length === 0) return fail('NOT_FOUND', ['account'], `No account ${input.accountId}`);
    const profileId = newId('Profile');
    await tx.insert(profiles).values({
      id: profileId,
      accountId: input.accountId,
      kind: 'SERVICE_ACCOUNT',
      name: `${input.role.toLowerCase()} API key`,
    });
    return ok({ profileId, ...(await issueKey(tx, input.accountId, profileId, input.role)) });
  });
}

/** Revoking twice is a success that changes nothing; an unknown id is NOT_FOUND. */
export async function revokeApiKey(db: Database, apiKeyId: string): Promise<Result<{ apiKeyId: string; revoked: true }>> {
  const rows = isIdOf('ApiKey', apiKeyId)
    ? await db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
        .where(eq(apiKeys.id, apiKeyId))
        .returning({ id: apiKeys.id })
    : [];
  if (rows.length === 0) return fail('NOT_FOUND', ['id'], `No API key ${apiKeyId}`);
  return ok({ apiKeyId, revoked: true });
}

const keyById = preparedOnce((db: Database) =>
  db
    .select({ accountId: apiKeys.accountId, profileId: apiKeys.profileId, role: apiKeys.role, secretHash: apiKeys.secretHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, sql.placeholder('apiKeyId')), isNull(apiKeys.revokedAt)))
    .prepare('api_key_by_id'),
);

/** A live key's row, its stored hash decoded once. */
type KeyRow = { accountId: string; profileId: string; role: Role; secretHash: Buffer };

export interface AuthenticatorOptions {
  /** How long a verified key is trusted without asking the database: the contract allows a revocation 1 s to arrive. */
  ttlMs?: number;
  /** At most this many keys (and, apart, this many access tokens) are remembered; the oldest go first. */
  maxEntries?: number;
  /** Accept OpenID Connect access tokens from this provider; null or absent: API keys only. */
  oidc?: OidcOptions | null;
  /** Where a refused access token's reason goes, with the request id (never to the client). */
  log?: Logger;
}

/** The viewer of an Authorization header; null for no or bad credentials (all answered alike). */
export type Authenticate = (authorization: string | null, requestId: string) => Promise<Viewer | null>;

/**
 * Verifies `Authorization: Bearer <credential>` headers: an API key
 * (`key_…`), or an OpenID Connect access token (a JWT, domain/oidc.ts) when
 * an issuer is configured. Anything else is no viewer, like a bad key.
 *
 * A live key's row is remembered for `ttlMs`, so a busy client costs one
 * lookup per second, not one per request, and concurrent requests with one
 * key share one lookup. A header whose secret matched is trusted until that
 * row must be read again, so a revocation still arrives within `ttlMs`; any
 * other header is checked against the hash. Unknown keys and wrong secrets
 * are not remembered.
 */
export function createAuthenticator(db: Database, { ttlMs = 1_000, maxEntries = 10_000, oidc = null, log }: AuthenticatorOptions = {}): Authenticate {
  const rows = new Map<string, { row: Promise<KeyRow | null>; expires: number }>();
  const verified = new Map<string, { viewer: Viewer; expires: number }>();
  const remember = <Value>(cache: Map<string, Value>, key: string, value: Value) => {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };

  const lookup = (apiKeyId: string, now: number) => {
    const cached = rows.get(apiKeyId);
    if (cached && cached.expires > now) return cached;
    const row = keyById(db)
      .execute({ apiKeyId })
      .then(([found]) => (found ? { ...found, secretHash: Buffer.from(found.secretHash, 'hex') } : null));
    const entry = { row, expires: now + ttlMs };
    if (ttlMs > 0) {
      remember(rows, apiKeyId, entry);
      // Neither failures nor unknown keys are remembered.
      row.then(
        (found) => found === null && rows.delete(apiKeyId),
        () => rows.delete(apiKeyId),
      );
    }
    return entry;
  };

  const byKey = async (authorization: string, credential: string, now: number): Promise<Viewer | null> => {
    const parts = API_KEY.exec(credential);
    if (!parts) return null;
    const [, apiKeyId, secret] = parts as unknown as [string, string, string];
    const { row: pending, expires } = lookup(apiKeyId, now);
    const row = await pending;
    if (!row || !timingSafeEqual(row.secretHash, hashSecret(secret))) return null;
    // Shared by every request with this header: frozen.
    const viewer: Viewer = Object.freeze({ accountId: row.accountId, profileId: row.profileId, apiKeyId, role: row.role });
    if (ttlMs > 0) remember(verified, authorization, { viewer, expires });
    return viewer;
  };

  const verifyToken: VerifyToken = oidc
    ? createTokenVerifier(db, oidc, { maxEntries })
    : async () => ({ refused: 'access tokens are not accepted: OIDC_ISSUER is not set' });
  const byToken = async (token: string, requestId: string): Promise<Viewer | null> => {
    const check = await verifyToken(token);
    if ('viewer' in check) return check.viewer;
    log?.info({ requestId, reason: check.refused }, 'access token refused');
    return null;
  };

  return async (authorization, requestId) => {
    if (!authorization) return null;
    const now = performance.now();
    const known = verified.get(authorization);
    if (known && known.expires > now) return known.viewer;
    const credential = BEARER.exec(authorization)?.[1] ?? '';
    if (credential.startsWith('key_')) return byKey(authorization, credential, now);
    if (JWT.test(credential)) return byToken(credential, requestId);
    return null;
  };
}

/** The profile that acts for an account when no key is involved (the CLI): its owner. */
export async function ownerProfile(db: Database, accountId: string): Promise<string | null> {
  if (!isIdOf('Account', accountId)) return null;
  const [row] = await db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.accountId, accountId), eq(profiles.kind, 'USER')))
    .orderBy(asc(profiles.createdAt), asc(profiles.id))
    .limit(1);
  return row?.id ?? null;
}
