/**
 * Seeds the benchmark database: 50 accounts × 20 workspaces × 100 models, plus
 * one account whose single workspace holds 1,000,000 models.
 *
 * Accounts, keys and workspaces (with their 20 catalog models) are made by the
 * product's own code; the synthetic models are added with set-based SQL
 * (generate_series, one statement per batch). Idempotent: a completed seed
 * leaves its BenchData in `bench.seed`, and a later call that finds it (with
 * the rows it describes) returns it without touching anything.
 *
 *   node --import tsx bench/seed.ts [DATABASE_URL]   # prints progress, then the summary
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { createAccount } from '../src/domain/auth.ts';
import { syncCatalogIfChanged } from '../src/domain/catalog.ts';
import { openDatabase } from '../src/db/client.ts';
import { encodeCursor } from '../src/domain/pagination.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import type { BenchData } from './scenarios.ts';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bench';

export const ACCOUNTS = 50;
export const WORKSPACES_PER_ACCOUNT = 20;
export const MODELS_PER_WORKSPACE = 100;
export const BIG_MODELS = 1_000_000;
/** Catalog models the product seeds into each workspace (checked against what it really did). */
const CATALOG_SIZE = 20;
const SAMPLE_MODELS = 5_000;
const BIG_BATCH = 100_000;
/** Deep cursors: rows at these offsets of the big workspace in default order. */
const DEEP_FROM = 490_000;
const DEEP_TO = 510_000;
const DEEP_STEP = 1_000;
/** Bump when the seeded shape changes: an older marker then means "reseed". 2: sampled models carry their workspaceId (REST paths). */
const SEED_VERSION = 2;
const SEED_LOCK_KEY = 7_240_611_020;

const log = (message: string) => console.log(`[seed] ${message}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Creates the database named in the URL when it does not exist, through the `postgres` database. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${databaseUrl}`);
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as found from pg_database where datname = ${name}`;
    if (!row) {
      await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      log(`created database ${name}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The stored BenchData of a completed seed whose rows are still there, or null. */
async function completedSeed(sql: postgres.Sql): Promise<BenchData | null> {
  const [table] = await sql`select to_regclass('bench.seed') is not null as present`;
  if (!table?.present) return null;
  const [marker] = await sql<{ data: BenchData; version: number }[]>`select data, version from bench.seed where id = 1`;
  if (!marker || marker.version !== SEED_VERSION) return null;
  const data = marker.data;
  const keyIds = [data.big.adminKey, ...data.accounts.map((a) => a.adminKey)].map((key) => key.split('.')[0]!);
  const workspaceIds = data.accounts.flatMap((a) => a.workspaceIds);
  const [check] = await sql<{ keys: number; workspaces: number; ordinary: number; big: number }[]>`
    select
      (select count(*)::int from api_keys where id = any(${keyIds}::text[]) and revoked_at is null) as keys,
      (select count(*)::int from workspaces where id = any(${workspaceIds}::text[])) as workspaces,
      (select count(*)::int from models where workspace_id = any(${workspaceIds}::text[])) as ordinary,
      (select count(*)::int from models where workspace_id = ${data.big.workspaceId}) as big`;
  const expectedWorkspaces = ACCOUNTS * WORKSPACES_PER_ACCOUNT;
  const complete =
    check !== undefined &&
    check.keys === keyIds.length &&
    check.workspaces === expectedWorkspaces &&
    check.ordinary === expectedWorkspaces * MODELS_PER_WORKSPACE &&
    check.big === BIG_MODELS;
  if (!complete) log(`a seed marker exists but the data does not match it (${JSON.stringify(check)}): reseeding`);
  return complete ? data : null;
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The synthetic columns of model number `i` (1-based within its workspace) with
 * the globally unique number `n` (the id). `w` is the workspaces row alias.
 */
const syntheticSelect = (i: string, n: string, w: string) => `
  select
    'model_01K' || lpad(upper(to_hex(${n})), 23, '0'),
    ${w}.account_id, ${w}.id, ${w}.profile_id,
    'Bench Model ' || lpad(${i}::text, 7, '0'),
    ${w}.created_at + ${i} * interval '1 millisecond',
    case when ${i} % 7 = 0 then 'bundle-' || (${i} % 3)::text end,
    'bench/m-' || lpad(${i}::text, 7, '0'),
    jsonb_build_object('tier', (array['free', 'standard', 'premium'])[${i} % 3 + 1])
      || case when ${i} % 5 = 0 then jsonb_build_object('region', (array['eu', 'us'])[${i} % 2 + 1]) else '{}'::jsonb end,
    'bench',
    'm-' || lpad(${i}::text, 7, '0'),
    trim_scale((${n} % 997)::numeric / 4),
    trim_scale((${n} % 991)::numeric * 5 / 4),
    8192 * (1 + (${n} % 128)::int),
    4096 * (1 + (${n} % 16)::int),
    case when ${i} % 10 = 0 then 'MODEL_STATUS_DISABLED' else 'MODEL_STATUS_ENABLED' end,
    1`;

const MODEL_COLUMNS = `(id, account_id, workspace_id, profile_id, name, created_at, bundle_key, external_id, labels,
  provider, family, input_price_per_million_tokens, output_price_per_million_tokens, max_input_tokens, max_output_tokens, status, revision)`;

export async function seed(databaseUrl: string): Promise<BenchData> {
  const started = performance.now();
  await ensureDatabase(databaseUrl);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  // Two seeds at once (a runner and a check started together) take turns.
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${SEED_LOCK_KEY})`;
    const existing = await completedSeed(sql);
    if (existing) {
      log(`database already seeded (${seconds(started)} to check): reusing it`);
      return existing;
    }

    let step = performance.now();
    const handle = await openDatabase({ kind: 'postgres', url: databaseUrl });
    let data: BenchData;
    try {
      log(`migrations applied (${seconds(step)})`);

      // From scratch: whatever an interrupted seed (or a server's demo) left goes.
      step = performance.now();
      await sql`create schema if not exists bench`;
      await sql`create table if not exists bench.seed (id int primary key, version int not null, data jsonb not null, seeded_at timestamptz not null default now())`;
      await sql`delete from bench.seed`;
      const tables = await sql<{ name: string }[]>`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`;
      if (tables.length > 0) await sql.unsafe(`truncate table ${tables.map((t) => t.name).join(', ')} restart identity cascade`);
      log(`emptied ${tables.length} tables (${seconds(step)})`);

      // Accounts and workspaces, by the product's code.
      step = performance.now();
      const owners: { accountId: string; profileId: string; apiKey: string }[] = [];
      await eachLimited(
        Array.from({ length: ACCOUNTS + 1 }, (_, i) => i),
        8,
        async (i) => {
          const name = i < ACCOUNTS ? `Bench account ${String(i + 1).padStart(2, '0')}` : 'Bench big account';
          const created = await createAccount(handle.db, { name });
          if (!created.ok) throw new Error(`createAccount: ${created.problem.message}`);
          owners[i] = created.value;
        },
      );
      log(`${owners.length} accounts with their admin keys (${seconds(step)})`);

      step = performance.now();
      const jobs = owners.flatMap((owner, a) =>
        Array.from({ length: a < ACCOUNTS ? WORKSPACES_PER_ACCOUNT : 1 }, (_, w) => ({
          owner,
          a,
          w,
          name: a < ACCOUNTS ? `Workspace ${String(w + 1).padStart(2, '0')}` : 'Big workspace',
        })),
      );
      const workspaceIds: string[][] = owners.map(() => []);
      let done = 0;
      await eachLimited(jobs, 8, async ({ owner, a, w, name }) => {
        const created = await createWorkspace(handle.db, { accountId: owner.accountId, profileId: owner.profileId, name });
        if (!created.ok) throw new Error(`createWorkspace: ${created.problem.message}`);
        if (created.value.modelCount !== CATALOG_SIZE) {
          throw new Error(`createWorkspace seeded ${created.value.modelCount} catalog models, the bench expects ${CATALOG_SIZE}`);
        }
        workspaceIds[a]![w] = created.value.workspace.id;
        if (++done % 250 === 0) log(`  ${done}/${jobs.length} workspaces`);
      });
      log(`${jobs.length} workspaces, each with ${CATALOG_SIZE} catalog models (${seconds(step)})`);

      const ordinary = workspaceIds.slice(0, ACCOUNTS).flat();
      const bigWorkspaceId = workspaceIds[ACCOUNTS]![0]!;
      const perWorkspace = MODELS_PER_WORKSPACE - CATALOG_SIZE;

      // Synthetic models of the ordinary workspaces: one statement.
      step = performance.now();
      const [inserted] = await sql.unsafe(
        `with inserted as (
           insert into models ${MODEL_COLUMNS}
           ${syntheticSelect('g.i', `((p.ord - 1) * ${perWorkspace} + g.i)`, 'w')}
           from unnest($1::text[]) with ordinality as p(id, ord)
           join workspaces w on w.id = p.id
           cross join generate_series(1, ${perWorkspace}) as g(i)
           order by p.ord, g.i
           returning 1)
         select count(*)::int as count from inserted`,
        [ordinary],
      );
      log(`${inserted!.count} synthetic models in the ${ordinary.length} ordinary workspaces (${seconds(step)})`);

      // The big workspace, a batch per statement; numbers continue after the ordinary ones.
      step = performance.now();
      const bigSynthetic = BIG_MODELS - CATALOG_SIZE;
      const base = ordinary.length * perWorkspace;
      for (let from = 1; from <= bigSynthetic; from += BIG_BATCH) {
        const to = Math.min(from + BIG_BATCH - 1, bigSynthetic);
        await sql.unsafe(
          `insert into models ${MODEL_COLUMNS}
           ${syntheticSelect('g.i', `(${base} + g.i)`, 'w')}
           from workspaces w
           cross join generate_series($2::int, $3::int) as g(i)
           where w.id = $1
           order by g.i`,
          [bigWorkspaceId, from, to],
        );
        log(`  big workspace: ${to + CATALOG_SIZE} models (${seconds(step)})`);
      }
      log(`${bigSynthetic} synthetic models in the big workspace (${seconds(step)})`);

      // The full catalog sync over the whole database, finding nothing to
      // change, timed here (what `catalog sync` costs on it). It also records
      // this catalog as synced, so the servers' starts skip it, as every start
      // with an unchanged catalog does.
      step = performance.now();
      const synced = await syncCatalogIfChanged(handle.db);
      log(`catalog sync: ${JSON.stringify(synced ?? 'already synced')} (${seconds(step)})`);

      // Settled statistics and visibility map, so no autovacuum wakes up during the benchmark.
      step = performance.now();
      const productTables = await sql<{ name: string }[]>`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`;
      for (const { name } of productTables) await sql.unsafe(`vacuum (analyze) ${name}`);
      log(`vacuum analyze (${seconds(step)})`);

      // BenchData.
      step = performance.now();
      const deep = await sql<{ id: string; created_at: Date }[]>`
        select id, created_at from models where workspace_id = ${bigWorkspaceId}
        order by created_at, id offset ${DEEP_FROM} limit ${DEEP_TO - DEEP_FROM + 1}`;
      const scope = `${bigWorkspaceId}:CREATED_AT:ASC`;
      const deepCursors = deep
        .filter((_, i) => i % DEEP_STEP === 0)
        .map((row) => encodeCursor(scope, [row.created_at.toISOString(), row.id]));
      const keyOfAccount = new Map(owners.map((owner) => [owner.accountId, owner.apiKey]));
      const sample = await sql<{ id: string; workspace_id: string; account_id: string }[]>`
        select id, workspace_id, account_id from models where workspace_id = any(${ordinary}::text[]) order by random() limit ${SAMPLE_MODELS}`;
      data = {
        accounts: owners.slice(0, ACCOUNTS).map((owner, a) => ({ adminKey: owner.apiKey, workspaceIds: workspaceIds[a]! })),
        big: { adminKey: owners[ACCOUNTS]!.apiKey, workspaceId: bigWorkspaceId, deepCursors },
        models: sample.map((row) => ({ id: row.id, workspaceId: row.workspace_id, adminKey: keyOfAccount.get(row.account_id)! })),
      };
      await sql`insert into bench.seed (id, version, data) values (1, ${SEED_VERSION}, ${sql.json(data as unknown as postgres.JSONValue)})`;
      log(`bench data: ${deepCursors.length} deep cursors, ${data.models.length} sampled models (${seconds(step)})`);
    } finally {
      await handle.close();
    }
    log(`seeded in ${seconds(started)}`);
    return data;
  } finally {
    await lock`select pg_advisory_unlock(${SEED_LOCK_KEY})`.catch(() => {});
    lock.release();
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const databaseUrl = process.argv[2] ?? process.env.DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const data = await seed(databaseUrl);
  const counts = await (async () => {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      return await sql`select
        (select count(*)::int from accounts) as accounts,
        (select count(*)::int from api_keys) as api_keys,
        (select count(*)::int from workspaces) as workspaces,
        (select count(*)::int from models) as models,
        pg_size_pretty(pg_database_size(current_database())) as size`;
    } finally {
      await sql.end({ timeout: 5 });
    }
  })();
  log(`rows: ${JSON.stringify(counts[0])}`);
  log(`accounts ${data.accounts.length}, big workspace ${data.big.workspaceId}, deep cursors ${data.big.deepCursors.length}, sampled models ${data.models.length}`);
}
