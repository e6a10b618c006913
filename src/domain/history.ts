import type { ModelRow, ModelStatusChangeRow } from '../db/schema.ts';

/**
 * The audit trail of model statuses. Rows are written only by the trigger of
 * drizzle/0005, in the transaction of the change, from the actor and request
 * the changing statement names; see model-changes.ts and catalog.ts.
 */

/** The NOTIFY channel the trigger announces each recorded change on, after its commit. */
export const STATUS_CHANGES_CHANNEL = 'model_status_changes';

/** A NOTIFY payload: ids only (a NOTIFY carries at most 8,000 bytes). */
export interface StatusChangeNotice {
  seq: number;
  accountId: string;
  workspaceId: string;
  modelId: string;
}

/** The notice in a NOTIFY payload, or null for anything the trigger did not write. */
export function parseStatusChangeNotice(payload: string): StatusChangeNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { seq, accountId, workspaceId, modelId } = value as Record<string, unknown>;
  return typeof seq === 'number' && typeof accountId === 'string' && typeof workspaceId === 'string' && typeof modelId === 'string'
    ? { seq, accountId, workspaceId, modelId }
    : null;
}

/**
 * What ModelStatusChange resolves from: a row of the trail, with the model
 * when whoever produced it already holds the row (a live event carries the
 * model as it was just after the change, read once for every subscriber);
 * otherwise `model` is read through the request's loader.
 */
export type StatusChange = ModelStatusChangeRow & { model?: ModelRow };

/** The id of the catalog's system profile: the actor of every change the catalog sync makes. Not a row of profiles. */
export const CATALOG_PROFILE_ID = 'prof_00000000000000000000000000';
