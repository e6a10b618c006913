/**
 * The command line as an operator runs it: `npm run cli -- …` in a real child
 * process, against the database of the run (the PostgreSQL server in
 * DATABASE_URL, else a fresh PGlite directory). What the CLI wrote is then
 * checked in-process through the app, after the CLI has exited (PGlite allows
 * one process per data directory).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { catalog } from '../src/domain/catalog.ts';
import type { DatabaseTarget } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { models } from '../src/db/schema.ts';
import { createApp, type App } from '../src/http/app.ts';
import { testTarget } from './helpers.ts';
import { killAll, runCli as runCliIn, type CliResult } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The database of the run: PostgreSQL as given, else a PGlite directory of this file's own.
const target: DatabaseTarget = testTarget().kind === 'postgres' ? testTarget() : { kind: 'pglite', dataDir: path.join(tmp, 'db') };
const DATABASE_URL = target.kind === 'postgres' ? target.url : `pglite://${target.dataDir}`;

// ---------------------------------------------------------------------------
// Running the CLI

afterAll(killAll);
const runCli = (args: string[], databaseUrl = DATABASE_URL) => runCliIn(args, databaseUrl);

/** A success: exit 0, no error on stderr, and stdout exactly one line holding one JSON object. */
function succeeded(result: CliResult): Record<string, unknown> {
  const report = JSON.stringify(result);
  expect(result.code, report).toBe(0);
  expect(result.stderr, report).not.toMatch(/error/i);
  expect(result.stdout, report).toMatch(/^[^\n]+\n$/);
  const value: unknown = JSON.parse(result.stdout);
  expect(value).toBeTypeOf('object');
  expect(value).not.toBeNull();
  expect(Array.isArray(value)).toBe(false);
  return value as Record<string, unknown>;
}

/** A failure: non-zero exit (not a kill), nothing on stdout, a message on stderr. */
function failed(result: CliResult, message: RegExp): void {
  const report = JSON.stringify(result);
  expect(result.signal, report).toBeNull();
  expect(result.code, report).not.toBe(0);
  expect(result.stdout, report).toBe('');
  expect(result.stderr, report).toMatch(message);
}

// ---------------------------------------------------------------------------
// Checking in-process what the CLI did (never while a CLI process runs)

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = await openDatabase(target);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

const withApp = <T>(fn: (app: App) => Promise<T>): Promise<T> => withDb((db) => fn(createApp({ db })));

async function viewer(app: App, key: string) {
  const response = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: 'query { viewer { role profileId accountId } }' }),
  });
  const body = (await response.json()) as { data?: { viewer: { role: string; profileId: string; accountId: string } } | null; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, body };
}

const KEY_ID = /^key_[0-9A-Z]{26}$/;

// ---------------------------------------------------------------------------

// The tests below run in order and share what the earlier ones created.
let account: { accountId: string; profileId: string; apiKeyId: string; apiKey: string };
const keys = {} as Record<'reader' | 'admin', { apiKeyId: string; apiKey: string }>;

describe('account create', () => {
  it('prints the account, its owner profile and an admin key', async () => {
    const out = succeeded(await runCli(['account', 'create', '--name', 'CLI Corp']));
    expect(Object.keys(out).sort()).toEqual(['accountId', 'apiKey', 'apiKeyId', 'profileId']);
    expect(out.accountId).toMatch(/^acct_[0-9A-Z]{26}$/);
    expect(out.profileId).toMatch(/^prof_[0-9A-Z]{26}$/);
    expect(out.apiKeyId).toMatch(KEY_ID);
    expect(out.apiKey).toMatch(new RegExp(`^${out.apiKeyId}\\.`));
    account = out as typeof account;
  });
});

describe('workspace create', () => {
  it('prints the workspace and the number of catalog models it was seeded with', async () => {
    const out = succeeded(await runCli(['workspace', 'create', '--account', account.accountId, '--name', 'My Workspace']));
    expect(Object.keys(out).sort()).toEqual(['modelCount', 'workspaceId']);
    expect(out.workspaceId).toMatch(/^ws_[0-9A-Z]{26}$/);
    expect(out.modelCount).toBe(catalog.length);
  });

  it('refuses the same name again, in another case and with extra spaces', async () => {
    failed(await runCli(['workspace', 'create', '--account', account.accountId, '--name', '  my WORKSPACE  ']), /already exists/i);
  });

  it('refuses an unknown account', async () => {
    failed(await runCli(['workspace', 'create', '--account', 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', '--name', 'Elsewhere']), /account/i);
  });
});

describe('api-key create', () => {
  it('prints a reader key and an admin key', async () => {
    for (const role of ['reader', 'admin'] as const) {
      const out = succeeded(await runCli(['api-key', 'create', '--account', account.accountId, '--role', role]));
      expect(Object.keys(out).sort()).toEqual(['apiKey', 'apiKeyId']);
      expect(out.apiKeyId).toMatch(KEY_ID);
      expect(out.apiKey).toMatch(new RegExp(`^${out.apiKeyId}\\.`));
      keys[role] = out as (typeof keys)[typeof role];
    }
  });

  it('gives each key its role and a service-account profile of its own', async () => {
    await withApp(async (app) => {
      const owner = await viewer(app, account.apiKey);
      const reader = await viewer(app, keys.reader.apiKey);
      const admin = await viewer(app, keys.admin.apiKey);
      expect(owner.body.data?.viewer).toEqual({ role: 'ADMIN', profileId: account.profileId, accountId: account.accountId });
      expect(reader.body.data?.viewer).toMatchObject({ role: 'READER', accountId: account.accountId });
      expect(admin.body.data?.viewer).toMatchObject({ role: 'ADMIN', accountId: account.accountId });
      const profiles = new Set([account.profileId, reader.body.data?.viewer.profileId, admin.body.data?.viewer.profileId]);
      expect(profiles.size).toBe(3);
    });
  });

  it('refuses an unknown account', async () => {
    failed(await runCli(['api-key', 'create', '--account', 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', '--role', 'reader']), /account/i);
  });
});

describe('api-key revoke', () => {
  it('revokes a key, and revoking it again is the same success', async () => {
    const expected = { apiKeyId: keys.reader.apiKeyId, revoked: true };
    expect(succeeded(await runCli(['api-key', 'revoke', '--id', keys.reader.apiKeyId]))).toEqual(expected);
    expect(succeeded(await runCli(['api-key', 'revoke', '--id', keys.reader.apiKeyId]))).toEqual(expected);
  });

  it('refuses an unknown id, well-formed or not', async () => {
    failed(await runCli(['api-key', 'revoke', '--id', 'key_01ARZ3NDEKTSV4RRFFQ69G5FAV']), /key_01ARZ3NDEKTSV4RRFFQ69G5FAV/);
    failed(await runCli(['api-key', 'revoke', '--id', 'not-a-key']), /not-a-key/);
  });

  it('leaves a revoked key UNAUTHENTICATED (HTTP 401) and the others working', async () => {
    await withApp(async (app) => {
      const revoked = await viewer(app, keys.reader.apiKey);
      expect(revoked.status).toBe(401);
      expect(revoked.body.data ?? null).toBeNull();
      expect(revoked.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await viewer(app, keys.admin.apiKey)).body.data?.viewer.role).toBe('ADMIN');
    });
  });
});

describe('catalog sync', () => {
  it('repairs a drifted workspace and prints exactly {"added","updated","retired"}', async () => {
    const workspaceId = succeeded(await runCli(['workspace', 'create', '--account', account.accountId, '--name', 'Drifted'])).workspaceId as string;
    const [renamed, removed] = catalog;
    const inWorkspace = (entry: (typeof catalog)[number]) =>
      and(eq(models.workspaceId, workspaceId), eq(models.provider, entry.provider), eq(models.family, entry.family));
    await withDb(async (db) => {
      await db.update(models).set({ name: 'Drifted name' }).where(inWorkspace(renamed!));
      await db.delete(models).where(inWorkspace(removed!));
    });

    const result = await runCli(['catalog', 'sync']);
    const out = succeeded(result);
    expect(result.stdout).toMatch(/^\{"added":\d+,"updated":\d+,"retired":\d+\}\n$/);
    expect(out.added).toBeGreaterThanOrEqual(1);
    expect(out.updated).toBeGreaterThanOrEqual(1);

    await withDb(async (db) => {
      const rows = await db.select().from(models).where(eq(models.workspaceId, workspaceId));
      expect(rows).toHaveLength(catalog.length);
      expect(rows.find((row) => row.family === renamed!.family)?.name).toBe(renamed!.name);
      expect(rows.find((row) => row.family === removed!.family)?.status).toBe('MODEL_STATUS_ENABLED');
    });
  });
});

describe('bad arguments', () => {
  // Each case gets a PGlite directory that must never come into existence:
  // a bad argument is found before any database is opened.
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /no command/i],
    ['an unknown command', ['frobnicate', 'all'], /unknown command/i],
    ['an unknown catalog subcommand', ['catalog', 'resync'], /unknown command "catalog resync"/i],
    ['catalog alone', ['catalog'], /unknown command "catalog"/i],
    ['an option catalog sync does not take', ['catalog', 'sync', '--name', 'X'], /does not take --name/],
    ['a missing --name', ['account', 'create'], /--name/],
    ['an unknown option', ['account', 'create', '--name', 'X', '--foo', 'bar'], /--foo/],
    ['--role owner', ['api-key', 'create', '--account', 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', '--role', 'owner'], /--role|owner/],
    ['an empty --name', ['account', 'create', '--name', ''], /name/],
    ['a whitespace-only --name', ['account', 'create', '--name', '   '], /name/],
  ];

  // Nothing is shared between the cases, so they run at once.
  it.concurrent.each(cases.map(([label, args, message], i) => ({ label, args, message, i })))(
    'refuses $label without touching the database',
    async ({ args, message, i }) => {
      const dataDir = path.join(tmp, `untouched-${i}`);
      const result = await runCli(args, `pglite://${dataDir}`);
      failed(result, message);
      expect(fs.existsSync(dataDir), `${dataDir} was created`).toBe(false);
      expect(fs.existsSync(`${dataDir}.lock`), `${dataDir}.lock was created`).toBe(false);
    },
  );
});

describe('migrations', () => {
  it('are applied first: the CLI works on a brand-new empty database', async () => {
    if (target.kind === 'pglite') {
      const fresh = path.join(tmp, 'fresh');
      succeeded(await runCli(['account', 'create', '--name', 'Fresh'], `pglite://${fresh}`));
      expect(fs.existsSync(`${fresh}.lock`)).toBe(false);
      return;
    }
    const admin = new URL(target.url);
    admin.pathname = '/postgres';
    const name = `cli_fresh_${process.pid}_${Date.now()}`;
    const fresh = new URL(target.url);
    fresh.pathname = `/${name}`;
    const sql = postgres(admin.href, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`create database "${name}"`);
      succeeded(await runCli(['account', 'create', '--name', 'Fresh'], fresh.href));
    } finally {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end({ timeout: 5 });
    }
  });
});
