import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isIdOf } from '../db/ids.ts';
import { modelRowColumns, models, type Labels, type ModelRow, type ModelStatus } from '../db/schema.ts';
import { anyText, preparedOnce } from '../db/sql.ts';
import type { Scope } from './scope.ts';
import { fail, normalizeLabels, ok, type Problem, type Result } from './validation.ts';

/** The change a model mutation makes: one column, given as the value SQL compares and stores. */
export type ModelChange = ModelStatusChange | { column: 'labels'; value: Labels };
export type ModelStatusChange = { column: 'status'; value: ModelStatus };

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
export function statusChange(status: ModelStatus): Result<ModelStatusChange> {
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
 * What an UPDATE of `column` to `value` sets. The revision moves only when the
 * value really changes, so repeating a write is a no-op. A status change also
 * names its actor and request, which the trigger of drizzle/0005 records in
 * the audit trail and announces after the commit; a status the model already
 * has leaves them, so nothing is recorded.
 */
function changedColumns(column: ModelChange['column'], value: SQL, actor: { profileId: SQLWrapper | string; requestId: SQLWrapper | string }) {
  const changes = sql`${models[column]} is distinct from ${value}`;
  const actorColumns =
    column === 'status'
      ? {
          statusProfileId: sql`case when ${changes} then ${actor.profileId} else ${models.statusProfileId} end`,
          statusRequestId: sql`case when ${changes} then ${actor.requestId} else ${models.statusRequestId} end`,
        }
      : {};
  return { [column]: value, revision: sql`${models.revision} + (${changes})::int`, ...actorColumns };
}

/** One prepared UPDATE … RETURNING per changed column. */
const updateOf = (column: ModelChange['column'], type: 'text' | 'jsonb') =>
  preparedOnce((db: Database) =>
    db
      .update(models)
      .set(
        changedColumns(column, sql`${sql.placeholder('value')}::${sql.raw(type)}`, {
          profileId: sql.placeholder('profileId'),
          requestId: sql.placeholder('requestId'),
        }),
      )
      .where(and(eq(models.id, sql.placeholder('id')), eq(models.accountId, sql.placeholder('accountId'))))
      .returning(modelRowColumns)
      .prepare(`set_model_${column}`),
  );

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

/** The most models one setModelStatuses may name. */
export const BULK_IDS_MAX = 1_000;

/** A change of many models: all of them, or nothing and every reason why. */
export type BulkResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const refused = (problem: Problem): BulkResult<never> => ({ ok: false, problems: [problem] });

/**
 * Sets the status of many models of one workspace, all or nothing: an ADMIN
 * only (FORBIDDEN first), then the change's own validation, then 1 to 1,000
 * ids, then the workspace (malformed, unknown, of another type or another
 * account's: NOT_FOUND), then every id — each one that is malformed, unknown,
 * foreign or of another workspace is its own NOT_FOUND naming its index, and
 * then nothing changes. An id may be given more than once: the model changes
 * (and is recorded) once, and is returned at each of its indexes. Models come
 * back in the order of `ids`; those that already had the status are returned
 * unchanged and record nothing. The loaders see the new rows.
 */
export async function changeModelStatuses(
  scope: Scope,
  workspaceId: string,
  ids: readonly string[],
  change: () => Result<ModelStatusChange>,
): Promise<BulkResult<ModelRow[]>> {
  const { viewer } = scope;
  if (viewer?.role !== 'ADMIN') return refused(forbidden);
  const validated = change();
  if (!validated.ok) return refused(validated.problem);
  const { value } = validated.value;
  if (ids.length < 1 || ids.length > BULK_IDS_MAX) {
    return refused({
      code: 'INVALID_ARGUMENT',
      field: ['ids'],
      message: `ids must name 1 to ${BULK_IDS_MAX.toLocaleString('en-US')} models (got ${ids.length}).`,
    });
  }
  const workspace = await scope.loaders.workspaces.load(workspaceId);
  if (!workspace) return refused(notFound(['workspaceId'], 'workspace'));
  const wellFormed = [...new Set(ids.filter((id) => isIdOf('Model', id)))];
  const rows = await scope.db.transaction(async (tx): Promise<BulkResult<ModelRow[]>> => {
    const ofWorkspace = and(eq(models.accountId, viewer.accountId), eq(models.workspaceId, workspace.id), anyText(models.id, wellFormed));
    // Locked in one order (by id) before the UPDATE, which would otherwise lock
    // in whatever order its plan visits rows: two bulk changes over overlapping
    // models then wait for each other instead of deadlocking.
    const locked = new Set((await tx.select({ id: models.id }).from(models).where(ofWorkspace).orderBy(models.id).for('update')).map((row) => row.id));
    const missing = ids.flatMap((id, index) => (locked.has(id) ? [] : [modelNotInWorkspace(index)]));
    // Nothing was written: ending the transaction only releases the locks.
    if (missing.length > 0) return { ok: false, problems: missing };
    const updated = await tx
      .update(models)
      .set(changedColumns('status', sql`${value}::text`, { profileId: viewer.profileId, requestId: scope.requestId }))
      .where(ofWorkspace)
      .returning(modelRowColumns);
    return { ok: true, value: updated };
  });
  if (!rows.ok) return rows;
  const byId = new Map(rows.value.map((row) => [row.id, row]));
  for (const row of rows.value) scope.loaders.models.clear(row.id).prime(row.id, row);
  return { ok: true, value: ids.map((id) => byId.get(id)!) };
}

const modelNotInWorkspace = (index: number): Problem => ({
  code: 'NOT_FOUND',
  field: ['ids', String(index)],
  message: 'No model with this id exists in this workspace of this account.',
});
