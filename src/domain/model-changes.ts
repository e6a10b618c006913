import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isIdOf } from '../db/ids.ts';
import { modelRowColumns, models, type Labels, type ModelRow, type ModelStatus } from '../db/schema.ts';
import { preparedOnce } from '../db/sql.ts';
import type { Scope } from './scope.ts';
import { fail, normalizeLabels, ok, type Problem, type Result } from './validation.ts';

/** The change a model mutation makes: one column, given as the value SQL compares and stores. */
export type ModelChange = { column: 'status'; value: ModelStatus } | { column: 'labels'; value: Labels };

export const forbidden: Problem = {
  code: 'FORBIDDEN',
  field: null,
  message: 'The caller has the READER role; changes need the ADMIN role.',
};

export const notFound = (field: string[] | null, what: 'model' | 'workspace'): Problem => ({
  code: 'NOT_FOUND',
  field,
  message: `No ${what} with this id exists in this account.`,
});

/** A status a model may be set to: ENABLED or DISABLED. */
export function statusChange(status: ModelStatus): Result<ModelChange> {
  return status === 'MODEL_STATUS_UNSPECIFIED'
    ? fail('INVALID_ARGUMENT', ['status'], 'status must be MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED')
    : ok({ column: 'status', value: status });
}

/** A complete new set of labels (replaces all). */
export function labelsChange(pairs: readonly { key: string; value: string }[]): Result<ModelChange> {
  const labels = normalizeLabels(pairs, ['labels']);
  return labels.ok ? ok({ column: 'labels', value: labels.value }) : labels;
}

/**
 * One prepared UPDATE … RETURNING per changed column. The revision moves only
 * when the value really changes, so repeating a write is a no-op. A status
 * change also names its actor and request, which the trigger of
 * drizzle/0005 records in the audit trail and announces after the commit; a
 * status the model already has leaves them, so nothing is recorded.
 */
const updateOf = (column: ModelChange['column'], type: 'text' | 'jsonb') =>
  preparedOnce((db: Database) => {
    const value = sql`${sql.placeholder('value')}::${sql.raw(type)}`;
    const changes = sql`${models[column]} is distinct from ${value}`;
    const actor =
      column === 'status'
        ? {
            statusProfileId: sql`case when ${changes} then ${sql.placeholder('profileId')} else ${models.statusProfileId} end`,
            statusRequestId: sql`case when ${changes} then ${sql.placeholder('requestId')} else ${models.statusRequestId} end`,
          }
        : {};
    return db
      .update(models)
      .set({ [column]: value, revision: sql`${models.revision} + (${changes})::int`, ...actor })
      .where(and(eq(models.id, sql.placeholder('id')), eq(models.accountId, sql.placeholder('accountId'))))
      .returning(modelRowColumns)
      .prepare(`set_model_${column}`);
  });

const updateStatements = { status: updateOf('status', 'text'), labels: updateOf('labels', 'jsonb') };

/**
 * Changes one of the caller's models: an ADMIN only (FORBIDDEN first, so a
 * reader learns nothing about ids), then the change's own validation, then
 * the id (malformed, unknown, of another type or another account's: NOT_FOUND).
 * Problems' fields are relative to the caller's input. The loaders see the
 * new row.
 */
export async function changeModel(scope: Scope, id: string, change: () => Result<ModelChange>): Promise<Result<ModelRow>> {
  const { viewer } = scope;
  if (viewer?.role !== 'ADMIN') return { ok: false, problem: forbidden };
  const validated = change();
  if (!validated.ok) return validated;
  if (!isIdOf('Model', id)) return { ok: false, problem: notFound(['id'], 'model') };
  const { column, value } = validated.value;
  const [row] = await updateStatements[column](scope.db).execute({
    id,
    accountId: viewer.accountId,
    value: column === 'labels' ? JSON.stringify(value) : value,
    profileId: viewer.profileId,
    requestId: scope.requestId,
  });
  if (!row) return { ok: false, problem: notFound(['id'], 'model') };
  scope.loaders.models.clear(row.id).prime(row.id, row);
  return ok(row);
}
