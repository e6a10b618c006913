import type { ModelRow } from '../db/schema.ts';
import { isoString } from '../domain/time.ts';

/**
 * A model as the REST resource has always written it: `metadata` then
 * `spec`, keys in the seed's order, optional ones omitted when unset (labels
 * when empty), prices as exact decimal strings.
 */
export function modelJson(row: ModelRow) {
  const metadata: Record<string, unknown> = {
    id: row.id,
    accountId: row.accountId,
    createdAt: isoString(row.createdAt),
    name: row.name,
    profileId: row.profileId,
    workspaceId: row.workspaceId,
  };
  if (row.bundleKey !== null) metadata.bundleKey = row.bundleKey;
  if (row.externalId !== null) metadata.externalId = row.externalId;
  // jsonb hands keys back shortest first: the seed's JSON has them sorted.
  const keys = Object.keys(row.labels);
  if (keys.length > 0) metadata.labels = Object.fromEntries(keys.sort().map((key) => [key, row.labels[key]!]));
  const spec: Record<string, unknown> = { family: row.family };
  if (row.inputPricePerMillionTokens !== null) spec.inputPricePerMillionTokens = row.inputPricePerMillionTokens;
  if (row.maxInputTokens !== null) spec.maxInputTokens = row.maxInputTokens;
  if (row.maxOutputTokens !== null) spec.maxOutputTokens = row.maxOutputTokens;
  if (row.outputPricePerMillionTokens !== null) spec.outputPricePerMillionTokens = row.outputPricePerMillionTokens;
  spec.provider = row.provider;
  spec.status = row.status;
  return { metadata, spec };
}
