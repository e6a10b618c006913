import { createHash } from 'node:crypto';
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { newId } from '../db/ids.ts';
import { catalogSyncs, models, workspaces, type ModelRow } from '../db/schema.ts';
import { CATALOG_PROFILE_ID } from './history.ts';

/** A model as the catalog names it, in every workspace: its externalId is `provider/family`. */
export interface CatalogPair {
  provider: string;
  family: string;
}

export interface CatalogModel extends CatalogPair {
  name: string;
  /** Cents per million tokens, as a decimal string: "300" is $3.00. */
  inputPricePerMillionTokens: string;
  outputPricePerMillionTokens: string;
  maxInputTokens: number;
  maxOutputTokens: number;
}

/**
 * The supported models: reviewed data. List prices of each provider's public
 * API (standard tier, text, shortest context band), in cents per million tokens.
 * A change here reaches every workspace at the next start or `catalog sync` (see syncCatalog).
 */
export const catalog: readonly CatalogModel[] = [
  { provider: 'anthropic', family: 'claude-opus-4.6', name: 'Claude Opus 4.6', inputPricePerMillionTokens: '500', outputPricePerMillionTokens: '2500', maxInputTokens: 200_000, maxOutputTokens: 128_000 },
  { provider: 'anthropic', family: 'claude-sonnet-4.6', name: 'Claude Sonnet 4.6', inputPricePerMillionTokens: '300', outputPricePerMillionTokens: '1500', maxInputTokens: 200_000, maxOutputTokens: 64_000 },
  { provider: 'anthropic', family: 'claude-haiku-4.5', name: 'Claude Haiku 4.5', inputPricePerMillionTokens: '100', outputPricePerMillionTokens: '500', maxInputTokens: 200_000, maxOutputTokens: 64_000 },
  { provider: 'openai', family: 'gpt-5.4', name: 'GPT-5.4', inputPricePerMillionTokens: '250', outputPricePerMillionTokens: '1500', maxInputTokens: 1_050_000, maxOutputTokens: 128_000 },
  { provider: 'openai', family: 'gpt-5-mini', name: 'GPT-5 mini', inputPricePerMillionTokens: '25', outputPricePerMillionTokens: '200', maxInputTokens: 400_000, maxOutputTokens: 128_000 },
  { provider: 'openai', family: 'gpt-5-nano', name: 'GPT-5 nano', inputPricePerMillionTokens: '5', outputPricePerMillionTokens: '40', maxInputTokens: 400_000, maxOutputTokens: 128_000 },
  { provider: 'openai', family: 'gpt-4.1', name: 'GPT-4.1', inputPricePerMillionTokens: '200', outputPricePerMillionTokens: '800', maxInputTokens: 1_047_576, maxOutputTokens: 32_768 },
  { provider: 'openai', family: 'o4-mini', name: 'o4-mini', inputPricePerMillionTokens: '110', outputPricePerMillionTokens: '440', maxInputTokens: 200_000, maxOutputTokens: 100_000 },
  { provider: 'google', family: 'gemini-3-pro', name: 'Gemini 3 Pro', inputPricePerMillionTokens: '200', outputPricePerMillionTokens: '1200', maxInputTokens: 1_048_576, maxOutputTokens: 65_536 },
  { provider: 'google', family: 'gemini-2.5-pro', name: 'Gemini 2.5 Pro', inputPricePerMillionTokens: '125', outputPricePerMillionTokens: '1000', maxInputTokens: 1_048_576, maxOutputTokens: 65_536 },
  { provider: 'google', family: 'gemini-2.5-flash', name: 'Gemini 2.5 Flash', inputPricePerMillionTokens: '30', outputPricePerMillionTokens: '250', maxInputTokens: 1_048_576, maxOutputTokens: 65_536 },
  { provider: 'google', family: 'gemini-2.5-flash-lite', name: 'Gemini 2.5 Flash-Lite', inputPricePerMillionTokens: '10', outputPricePerMillionTokens: '40', maxInputTokens: 1_048_576, maxOutputTokens: 65_536 },
  { provider: 'google', family: 'gemini-2.0-flash-lite', name: 'Gemini 2.0 Flash-Lite', inputPricePerMillionTokens: '7.5', outputPricePerMillionTokens: '30', maxInputTokens: 1_048_576, maxOutputTokens: 8_192 },
  { provider: 'mistral', family: 'mistral-large-2.1', name: 'Mistral Large 2.1', inputPricePerMillionTokens: '200', outputPricePerMillionTokens: '600', maxInputTokens: 131_072, maxOutputTokens: 131_072 },
  { provider: 'mistral', family: 'mistral-medium-3', name: 'Mistral Medium 3', inputPricePerMillionTokens: '40', outputPricePerMillionTokens: '200', maxInputTokens: 131_072, maxOutputTokens: 131_072 },
  { provider: 'mistral', family: 'codestral-2508', name: 'Codestral', inputPricePerMillionTokens: '30', outputPricePerMillionTokens: '90', maxInputTokens: 256_000, maxOutputTokens: 256_000 },
  { provider: 'deepseek', family: 'deepseek-chat', name: 'DeepSeek-V3.2 (chat)', inputPricePerMillionTokens: '28', outputPricePerMillionTokens: '42', maxInputTokens: 128_000, maxOutputTokens: 8_192 },
  { provider: 'deepseek', family: 'deepseek-reasoner', name: 'DeepSeek-V3.2 (reasoner)', inputPricePerMillionTokens: '28', outputPricePerMillionTokens: '42', maxInputTokens: 128_000, maxOutputTokens: 65_536 },
  { provider: 'xai', family: 'grok-4', name: 'Grok 4', inputPricePerMillionTokens: '300', outputPricePerMillionTokens: '1500', maxInputTokens: 256_000, maxOutputTokens: 256_000 },
  { provider: 'meta', family: 'llama-4-maverick', name: 'Llama 4 Maverick', inputPricePerMillionTokens: '27', outputPricePerMillionTokens: '85', maxInputTokens: 1_048_576, maxOutputTokens: 1_048_576 },
];

/**
 * Models the catalog no longer supports: reviewed data, like `catalog`. The
 * sync disables every enabled one in every workspace (never deleting it, so
 * its history and labels stay), and no workspace is given one again. Empty
 * in this version: retiring a model is a reviewed change of its own.
 *
 * To retire a model, move its pair from `catalog` to here. If a retired pair
 * comes back into `catalog`, it is added to the workspaces that lack it, but
 * the sync re-enables nothing: it sets a status only to retire, so a
 * workspace's admin decides whether to enable the model again.
 */
export const retiredModels: readonly CatalogPair[] = [];

/** What a sync brings every workspace up to: the supported models and the retired pairs. */
export interface Catalog {
  models: readonly CatalogModel[];
  retired: readonly CatalogPair[];
}

export const builtInCatalog: Catalog = { models: catalog, retired: retiredModels };

/** How many models a sync changed, per kind of change. */
export interface CatalogSyncResult {
  added: number;
  updated: number;
  retired: number;
}

/** A catalog that contradicts itself; thrown before anything is changed. */
export class CatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid catalog:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

const externalIdOf = (pair: CatalogPair) => `${pair.provider}/${pair.family}`;

/** Every contradiction in a catalog (a pair listed twice, or both supported and retired), one line each. */
export function catalogProblems(source: Catalog): string[] {
  const problems: string[] = [];
  const twice = (pairs: readonly CatalogPair[], list: string) => {
    const seen = new Set<string>();
    for (const key of pairs.map(externalIdOf)) {
      if (seen.has(key)) problems.push(`${key} is listed twice in ${list}`);
      seen.add(key);
    }
    return seen;
  };
  const supported = twice(source.models, 'the supported models');
  const retired = twice(source.retired, 'the retired models');
  for (const key of retired) if (supported.has(key)) problems.push(`${key} is both supported and retired`);
  return problems;
}

type Owner = { accountId: string; workspaceId: string; profileId: string };

function catalogRow(entry: CatalogModel, owner: Owner, createdAt: Date): ModelRow {
  return {
    id: newId('Model'),
    ...owner,
    ...entry,
    createdAt,
    bundleKey: null,
    externalId: externalIdOf(entry),
    labels: {},
    status: 'MODEL_STATUS_ENABLED',
    revision: 1,
  };
}

const modelColumns = Object.entries(getTableColumns(models));

/**
 * Rows of `models` for `insert into models select * from <this>`: one jsonb
 * parameter whose keys are the column names, so the statement text is the
 * same whatever the rows.
 */
function modelRows(rows: readonly ModelRow[]): SQL {
  const records = rows.map((row) => Object.fromEntries(modelColumns.map(([key, column]) => [column.name, row[key as keyof ModelRow]])));
  return sql`jsonb_populate_recordset(null::${models}, ${JSON.stringify(records)}::jsonb)`;
}

/** The catalog models of these workspaces as rows of `models` (see modelRows). */
export function catalogRowsFor(owners: readonly Owner[], createdAt: Date): SQL {
  return modelRows(owners.flatMap((owner) => catalog.map((entry) => catalogRow(entry, owner, createdAt))));
}

/**
 * Brings every workspace up to the catalog: disables the enabled models of
 * retired pairs, updates names, prices and limits that changed, and adds the
 * supported models a workspace lacks. Never deletes, and sets no status but
 * DISABLED on a retired pair. Returns how many models it changed of each kind.
 *
 * Each step is one set-based statement whose conditions hold only for rows
 * still to change (status still enabled, values still distinct, the unique
 * (workspace, provider, family) index for inserts): so a second run changes
 * nothing, and two syncs at once (two processes starting together) change
 * each row once between them, PostgreSQL re-checking a row's conditions after
 * waiting for the other's update of it.
 */
export async function syncCatalog(db: Database, source: Catalog = builtInCatalog): Promise<CatalogSyncResult> {
  const problems = catalogProblems(source);
  if (problems.length > 0) throw new CatalogError(problems);
  // No transaction: each statement is idempotent, so an interrupted sync is
  // finished by the next one.
  const retired = await retire(db, source.retired);
  const updated = await updateValues(db, source.models);
  const added = await addMissing(db, source.models);
  return { added, updated, retired };
}

/**
 * Disables every enabled model of the retired pairs, as the catalog's system
 * profile: the trigger of drizzle/0005 records and announces each one.
 */
async function retire(db: Database, pairs: readonly CatalogPair[]): Promise<number> {
  if (pairs.length === 0) return 0;
  // The pairs travel as one jsonb parameter, joined on both columns (raw SQL:
  // the builder has no table-valued function).
  const retiredPairs = sql`jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as r(provider text, family text)`;
  const disabled = await db
    .update(models)
    .set({
      status: 'MODEL_STATUS_DISABLED',
      revision: sql`${models.revision} + 1`,
      statusProfileId: CATALOG_PROFILE_ID,
      statusRequestId: null,
    })
    .from(retiredPairs)
    .where(and(eq(models.provider, sql`r.provider`), eq(models.family, sql`r.family`), eq(models.status, 'MODEL_STATUS_ENABLED')))
    .returning({ id: models.id });
  return disabled.length;
}

/** Sets the catalog's names, prices and limits where they differ; each changed model's revision grows by one. */
async function updateValues(db: Database, entries: readonly CatalogModel[]): Promise<number> {
  if (entries.length === 0) return 0;
  // The catalog travels as one jsonb parameter, so the statement text never changes.
  const values = sql`jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as c(
    provider text, family text, name text, "inputPricePerMillionTokens" numeric,
    "outputPricePerMillionTokens" numeric, "maxInputTokens" integer, "maxOutputTokens" integer)`;
  const changed = await db
    .update(models)
    .set({
      name: sql`c.name`,
      inputPricePerMillionTokens: sql`c."inputPricePerMillionTokens"`,
      outputPricePerMillionTokens: sql`c."outputPricePerMillionTokens"`,
      maxInputTokens: sql`c."maxInputTokens"`,
      maxOutputTokens: sql`c."maxOutputTokens"`,
      revision: sql`${models.revision} + 1`,
    })
    .from(values)
    .where(
      and(
        eq(models.provider, sql`c.provider`),
        eq(models.family, sql`c.family`),
        sql`(${models.name}, ${models.inputPricePerMillionTokens}, ${models.outputPricePerMillionTokens}, ${models.maxInputTokens}, ${models.maxOutputTokens})
          is distinct from (c.name, c."inputPricePerMillionTokens", c."outputPricePerMillionTokens", c."maxInputTokens", c."maxOutputTokens")`,
      ),
    )
    .returning({ id: models.id });
  return changed.length;
}

/** Adds the supported models each workspace lacks, enabled, as a new workspace is seeded. */
async function addMissing(db: Database, entries: readonly CatalogModel[]): Promise<number> {
  if (entries.length === 0) return 0;
  // Each (workspace, entry) without its model: usually none, so this is one
  // cheap statement (an anti-join the planner runs over one scan of models;
  // raw SQL for the table-valued function).
  const missing = await db
    .select({ accountId: workspaces.accountId, workspaceId: workspaces.id, profileId: workspaces.profileId, entry: sql<number>`c.entry` })
    .from(workspaces)
    .crossJoin(sql`jsonb_to_recordset(${JSON.stringify(entries.map(({ provider, family }, entry) => ({ provider, family, entry })))}::jsonb) as c(provider text, family text, entry integer)`)
    .leftJoin(models, and(eq(models.workspaceId, workspaces.id), eq(models.provider, sql`c.provider`), eq(models.family, sql`c.family`)))
    .where(sql`${models.id} is null`)
    // One order for every sync, so two inserting at once take the index's locks in the same order.
    .orderBy(workspaces.id, sql`c.entry`);
  if (missing.length === 0) return 0;
  const createdAt = new Date();
  // Every missing model in one statement; the unique (workspace, provider,
  // family) index skips any another sync inserted meanwhile.
  const inserted = await db
    .insert(models)
    .select(sql`select * from ${modelRows(missing.map(({ entry, ...owner }) => catalogRow(entries[entry]!, owner, createdAt)))}`)
    .onConflictDoNothing()
    .returning({ id: models.id });
  return inserted.length;
}

/** A catalog's identity: when it equals one already synced, a sync of it has nothing to do. */
export function catalogFingerprint(source: Catalog): string {
  return createHash('sha256').update(JSON.stringify([source.models, source.retired])).digest('hex');
}

/**
 * What a start runs: the full sync, unless this build's catalog has already
 * been synced into this database. A full sync reads every model twice (about
 * 1.5 s over a million models), which would make every start as slow as the
 * database is large; and an older version starting during a rolling deploy
 * finds its catalog synced before and leaves the newer one's values alone.
 * What this skips that a full sync would do: undo hand edits, and disable again
 * a retired model an admin re-enabled; `catalog sync` does both. Returns null
 * when it had nothing to do.
 */
export async function syncCatalogIfChanged(db: Database, source: Catalog = builtInCatalog): Promise<CatalogSyncResult | null> {
  const fingerprint = catalogFingerprint(source);
  const [synced] = await db.select().from(catalogSyncs).where(eq(catalogSyncs.fingerprint, fingerprint));
  if (synced) return null;
  const result = await syncCatalog(db, source);
  await db.insert(catalogSyncs).values({ fingerprint }).onConflictDoNothing();
  return result;
}
