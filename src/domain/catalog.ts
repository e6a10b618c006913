import { createHash } from 'node:crypto';
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { newId } from '../db/ids.ts';
import { catalogSyncs, models, workspaces, type ModelRow } from '../db/schema.ts';
import { textArray } from '../db/sql.ts';

export interface CatalogModel {
  provider: string;
  family: string;
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
 * A change here reaches every workspace at the next start (see syncCatalog).
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

type Owner = { accountId: string; workspaceId: string; profileId: string };

function catalogRow(entry: CatalogModel, owner: Owner, createdAt: Date): ModelRow {
  return {
    id: newId('Model'),
    ...owner,
    ...entry,
    createdAt,
    bundleKey: null,
    externalId: `${entry.provider}/${entry.family}`,
    labels: {},
    status: 'MODEL_STATUS_ENABLED',
    revision: 1,
  };
}

const modelColumns = Object.entries(getTableColumns(models));

/**
 * The catalog models of these workspaces as rows of `models`, for
 * `insert into models select * from <this>`: one jsonb parameter whose keys are
 * the column names, so the statement text is the same whatever the workspaces.
 */
export function catalogRowsFor(owners: readonly Owner[], createdAt: Date): SQL {
  const rows = owners.flatMap((owner) =>
    catalog.map((entry) => {
      const row = catalogRow(entry, owner, createdAt);
      return Object.fromEntries(modelColumns.map(([key, column]) => [column.name, row[key as keyof ModelRow]]));
    }),
  );
  return sql`jsonb_populate_recordset(null::${models}, ${JSON.stringify(rows)}::jsonb)`;
}

/**
 * Brings every workspace up to the catalog: updates names, prices and limits
 * that changed, and adds catalog models a workspace lacks. Never touches a
 * status and never deletes. Returns how many rows it changed.
 */
export async function syncCatalog(db: Database): Promise<{ updated: number; added: number }> {
  // No transaction: each statement is idempotent, so an interrupted sync is
  // finished by the next start.
  // The catalog travels as one jsonb parameter, so the statement text never changes.
  const entries = sql`jsonb_to_recordset(${JSON.stringify(catalog)}::jsonb) as c(
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
    })
    .from(entries)
    .where(
      and(
        eq(models.provider, sql`c.provider`),
        eq(models.family, sql`c.family`),
        sql`(${models.name}, ${models.inputPricePerMillionTokens}, ${models.outputPricePerMillionTokens}, ${models.maxInputTokens}, ${models.maxOutputTokens})
          is distinct from (c.name, c."inputPricePerMillionTokens", c."outputPricePerMillionTokens", c."maxInputTokens", c."maxOutputTokens")`,
      ),
    )
    .returning({ id: models.id });
  const updated = changed.length;

  // Workspaces missing some catalog entry; usually none, so this is one cheap statement.
  const missing = await db
    .select({ workspaceId: workspaces.id, accountId: workspaces.accountId, profileId: workspaces.profileId })
    .from(workspaces)
    .leftJoin(models, eq(models.workspaceId, workspaces.id))
    .groupBy(workspaces.id)
    .having(sql`count(${models.id}) filter (where (${models.provider} || '/' || ${models.family}) = any(${textArray(catalog.map((e) => `${e.provider}/${e.family}`))})) < ${catalog.length}`);
  if (missing.length === 0) return { updated, added: 0 };
  // Every missing entry of every such workspace in one statement; the unique
  // (workspace, provider, family) index skips the entries a workspace has.
  const inserted = await db
    .insert(models)
    .select(sql`select * from ${catalogRowsFor(missing, new Date())}`)
    .onConflictDoNothing()
    .returning({ id: models.id });
  return { updated, added: inserted.length };
}

/** The catalog's identity: when it equals the last synced one, there is nothing to sync. */
export const catalogFingerprint = createHash('sha256').update(JSON.stringify(catalog)).digest('hex');

/**
 * What a start runs: syncCatalog, only when this build's catalog differs from
 * the last one synced (a full sync reads every model, which would make every
 * start as slow as the database is large). Returns null when it had nothing to do.
 */
export async function syncCatalogIfChanged(db: Database): Promise<{ updated: number; added: number } | null> {
  const [synced] = await db.select().from(catalogSyncs).where(eq(catalogSyncs.fingerprint, catalogFingerprint));
  if (synced) return null;
  const result = await syncCatalog(db);
  await db.insert(catalogSyncs).values({ fingerprint: catalogFingerprint }).onConflictDoNothing();
  return result;
}
