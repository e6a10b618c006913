/**
 * setModelStatuses (DESIGN.md, "Live updates and history"): all or nothing,
 * every bad id named by its index, each real change recorded once in the
 * audit trail and announced once on `model_status_changes` after the commit.
 * Everything is read back from the database itself.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { models, modelStatusChanges, type ModelStatus } from '../src/db/schema.ts';
import { parseStatusChangeNotice, STATUS_CHANGES_CHANNEL, type StatusChangeNotice } from '../src/domain/history.ts';
import { changeModelStatuses, statusChange } from '../src/domain/model-changes.ts';
import { createScope } from '../src/domain/scope.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { createLogger } from '../src/logger.ts';
import { fillWorkspace, setupTestApp, unwrap, type Tenant } from './helpers.ts';

const app = await setupTestApp();

const ENABLED = 'MODEL_STATUS_ENABLED';
const DISABLED = 'MODEL_STATUS_DISABLED';

const SET_STATUSES = /* GraphQL */ `
  mutation SetStatuses($input: SetModelStatusesInput!) {
    setModelStatuses(input: $input) {
      models { id metadata { revision } spec { status } }
      userErrors { code field message }
      clientMutationId
    }
  }
`;

const SET_STATUS = /* GraphQL */ `
  mutation SetStatus($input: SetModelStatusInput!) {
    setModelStatus(input: $input) { model { id } userErrors { code } }
  }
`;

interface Payload {
  models: { id: string; metadata: { revision: number }; spec: { status: ModelStatus } }[] | null;
  userErrors: { code: string; field: string[] | null; message: string }[];
  clientMutationId: string | null;
}

async function setStatuses(key: string, input: Record<string, unknown>): Promise<Payload> {
  const res = await app.gql<{ setModelStatuses: Payload }>(SET_STATUSES, { key, variables: { input } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.setModelStatuses;
}

/** The workspace's models as stored, by id. */
const storedModels = (workspaceId: string) =>
  app.db
    .select({ id: models.id, status: models.status, revision: models.revision })
    .from(models)
    .where(eq(models.workspaceId, workspaceId))
    .orderBy(asc(models.id));

const historyOf = (modelIds: string[]) =>
  app.db.select().from(modelStatusChanges).where(inArray(modelStatusChanges.modelId, modelIds)).orderBy(asc(modelStatusChanges.seq));

/**
 * The notices of one account, in delivery order. A marker change made after
 * a bulk change is announced after it (PostgreSQL delivers in commit order),
 * so once the marker's notice is in, every notice of the bulk change is too.
 */
function noticesOf(accountId: string) {
  const notices: StatusChangeNotice[] = [];
  const waiters: (() => void)[] = [];
  const stop = app.listen(STATUS_CHANGES_CHANNEL, (payload) => {
    const notice = parseStatusChangeNotice(payload);
    if (notice?.accountId !== accountId) return;
    notices.push(notice);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    started: stop,
    notices,
    /** Waits (at most 5 s) for the notice of a change of `modelId`, and returns every notice before it. */
    async until(modelId: string): Promise<StatusChangeNotice[]> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const at = notices.findIndex((n) => n.modelId === modelId);
        if (at >= 0) return notices.splice(0, at + 1).slice(0, at);
        if (Date.now() > deadline) throw new Error(`No notice for ${modelId} within 5 s`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe('setModelStatuses over 50 models', () => {
  let tenant: Tenant;
  let ids: string[];
  let marker: string;
  let listener: ReturnType<typeof noticesOf>;

  beforeAll(async () => {
    tenant = await app.tenant();
    ids = await fillWorkspace(app.db, tenant, tenant.workspaceId, 51);
    // The 51st model is the marker: flipped after each bulk change (see noticesOf).
    marker = ids.pop()!;
    listener = noticesOf(tenant.accountId);
    await listener.started;
  });

  const flipMarker = async (status: ModelStatus) => {
    const res = await app.gql(SET_STATUS, { key: tenant.adminKey, variables: { input: { id: marker, status } } });
    expect(res.body.data.setModelStatus.userErrors).toEqual([]);
    return listener.until(marker);
  };

  it('with one foreign id at index 50 changes nothing and names index 50', async () => {
    const other = await app.tenant();
    const [foreign] = await storedModels(other.workspaceId);
    const before = await storedModels(tenant.workspaceId);
    const historyBefore = await historyOf(ids);

    const payload = await setStatuses(tenant.adminKey, { workspaceId: tenant.workspaceId, ids: [...ids, foreign!.id], status: DISABLED });
    expect(payload.models).toBeNull();
    expect(payload.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'ids', '50'], message: expect.any(String) }]);

    expect(await storedModels(tenant.workspaceId)).toEqual(before);
    expect(await storedModels(other.workspaceId)).toEqual(expect.arrayContaining([foreign]));
    expect(await historyOf(ids)).toEqual(historyBefore);
    expect(await flipMarker(DISABLED)).toEqual([]);
  });

  it('without it changes all 50, records exactly 50 changes and announces exactly 50', async () => {
    const before = new Map((await storedModels(tenant.workspaceId)).map((row) => [row.id, row]));
    const viewer = await app.gql(`query { viewer { profileId } }`, { key: tenant.adminKey });
    const res = await app.gql<{ setModelStatuses: Payload }>(SET_STATUSES, {
      key: tenant.adminKey,
      variables: { input: { workspaceId: tenant.workspaceId, ids, status: DISABLED, clientMutationId: 'bulk-1' } },
    });
    const payload = res.body.data!.setModelStatuses;
    expect(payload.userErrors).toEqual([]);
    expect(payload.clientMutationId).toBe('bulk-1');
    // In input order, each after the change.
    expect(payload.models!.map((m) => m.id)).toEqual(ids);
    for (const model of payload.models!) {
      expect(model.spec.status).toBe(DISABLED);
      expect(model.metadata.revision).toBe(before.get(model.id)!.revision + 1);
    }
    const stored = await storedModels(tenant.workspaceId);
    expect(stored.filter((row) => ids.includes(row.id)).every((row) => row.status === DISABLED)).toBe(true);

    const history = await historyOf(ids);
    expect(history).toHaveLength(50);
    expect(new Set(history.map((h) => h.modelId))).toEqual(new Set(ids));
    for (const change of history) {
      expect(change).toMatchObject({
        accountId: tenant.accountId,
        workspaceId: tenant.workspaceId,
        fromStatus: ENABLED,
        toStatus: DISABLED,
        profileId: viewer.body.data.viewer.profileId,
        requestId: res.headers.get('x-request-id'),
      });
    }

    const notices = await flipMarker(ENABLED);
    expect(notices).toHaveLength(50);
    expect(notices.map((n) => n.seq).sort((a, b) => a - b)).toEqual(history.map((h) => h.seq));
    expect(new Set(notices.map((n) => n.modelId))).toEqual(new Set(ids));
  });

  it('again with the same status returns the models unchanged and records and announces nothing', async () => {
    const before = await storedModels(tenant.workspaceId);
    const historyBefore = await historyOf(ids);
    const payload = await setStatuses(tenant.adminKey, { workspaceId: tenant.workspaceId, ids, status: DISABLED });
    expect(payload.userErrors).toEqual([]);
    expect(payload.models!.map((m) => [m.id, m.spec.status])).toEqual(ids.map((id) => [id, DISABLED]));
    expect(await storedModels(tenant.workspaceId)).toEqual(before);
    expect(await historyOf(ids)).toEqual(historyBefore);
    expect(await flipMarker(DISABLED)).toEqual([]);
  });

  it('changes only the models whose status differs, and returns the others as they were', async () => {
    const [a, b] = ids;
    await setStatuses(tenant.adminKey, { workspaceId: tenant.workspaceId, ids: [a], status: ENABLED });
    const historyBefore = await historyOf([a!, b!]);
    const payload = await setStatuses(tenant.adminKey, { workspaceId: tenant.workspaceId, ids: [b, a], status: ENABLED });
    expect(payload.models!.map((m) => [m.id, m.spec.status])).toEqual([
      [b, ENABLED],
      [a, ENABLED],
    ]);
    const added = (await historyOf([a!, b!])).slice(historyBefore.length);
    expect(added.map((h) => [h.modelId, h.fromStatus, h.toStatus])).toEqual([[b, DISABLED, ENABLED]]);
  });

  it('an id given twice changes its model once and returns it at both indexes', async () => {
    const [a] = ids;
    const historyBefore = await historyOf([a!]);
    const payload = await setStatuses(tenant.adminKey, { workspaceId: tenant.workspaceId, ids: [a, a], status: DISABLED });
    expect(payload.models!.map((m) => m.id)).toEqual([a, a]);
    expect(payload.models![0]).toEqual(payload.models![1]);
    expect((await historyOf([a!])).length).toBe(historyBefore.length + 1);
  });
});

describe('setModelStatuses refuses', () => {
  let tenant: Tenant;
  let ids: string[];
  let otherWorkspaceModel: string;
  let foreignModel: string;

  beforeAll(async () => {
    tenant = await app.tenant();
    ids = (await storedModels(tenant.workspaceId)).map((row) => row.id);
    const second = unwrap(await createWorkspace(app.db, { accountId: tenant.accountId, profileId: tenant.profileId, name: 'Second' }));
    otherWorkspaceModel = (await storedModels(second.workspace.id))[0]!.id;
    foreignModel = (await storedModels((await app.tenant()).workspaceId))[0]!.id;
  });

  /** Sends the input, expects exactly these userErrors, and checks that nothing changed. */
  async function expectRefused(key: string, input: Record<string, unknown>, errors: { code: string; field: string[] | null }[]) {
    const before = await app.db.select().from(models).where(eq(models.accountId, tenant.accountId)).orderBy(asc(models.id));
    const history = await app.db.select().from(modelStatusChanges).where(eq(modelStatusChanges.accountId, tenant.accountId));
    const payload = await setStatuses(key, { workspaceId: tenant.workspaceId, status: DISABLED, ...input });
    expect(payload.models).toBeNull();
    expect(payload.userErrors.map(({ code, field }) => ({ code, field }))).toEqual(errors);
    for (const error of payload.userErrors) expect(error.message).not.toBe('');
    expect(await app.db.select().from(models).where(eq(models.accountId, tenant.accountId)).orderBy(asc(models.id))).toEqual(before);
    expect(await app.db.select().from(modelStatusChanges).where(eq(modelStatusChanges.accountId, tenant.accountId))).toEqual(history);
  }

  const at = (i: number) => ({ code: 'NOT_FOUND', field: ['input', 'ids', String(i)] });

  it.each([
    ['malformed', () => 'not-an-id'],
    ['unknown', () => newId('Model')],
    ["another account's model", () => foreignModel],
    ["another workspace's model", () => otherWorkspaceModel],
    ['a workspace id', () => tenant.workspaceId],
    ['empty', () => ''],
  ])('an id that is %s, named by its index', async (_kind, bad) => {
    await expectRefused(tenant.adminKey, { ids: [ids[0], ids[1], bad(), ids[2]] }, [at(2)]);
  });

  it('several bad ids: one error each, in input order', async () => {
    await expectRefused(
      tenant.adminKey,
      { ids: [foreignModel, ids[0], 'model_x', ids[1], otherWorkspaceModel, newId('Model')] },
      [at(0), at(2), at(4), at(5)],
    );
  });

  it('a bad id given twice: both indexes', async () => {
    await expectRefused(tenant.adminKey, { ids: [foreignModel, ids[0], foreignModel] }, [at(0), at(2)]);
  });

  it('0 and 1,001 ids (INVALID_ARGUMENT), while 1,000 bad ids are 1,000 NOT_FOUNDs', async () => {
    const invalid = [{ code: 'INVALID_ARGUMENT', field: ['input', 'ids'] }];
    await expectRefused(tenant.adminKey, { ids: [] }, invalid);
    await expectRefused(tenant.adminKey, { ids: Array.from({ length: 1_001 }, () => ids[0]) }, invalid);
    const unknown = Array.from({ length: 1_000 }, () => newId('Model'));
    await expectRefused(tenant.adminKey, { ids: unknown }, unknown.map((_, i) => at(i)));
  });

  it('MODEL_STATUS_UNSPECIFIED (INVALID_ARGUMENT)', async () => {
    await expectRefused(tenant.adminKey, { ids, status: 'MODEL_STATUS_UNSPECIFIED' }, [{ code: 'INVALID_ARGUMENT', field: ['input', 'status'] }]);
  });

  it('a reader (FORBIDDEN, before anything else is checked)', async () => {
    await expectRefused(tenant.readerKey, { ids: [foreignModel] }, [{ code: 'FORBIDDEN', field: null }]);
    await expectRefused(tenant.readerKey, { ids, status: 'MODEL_STATUS_UNSPECIFIED' }, [{ code: 'FORBIDDEN', field: null }]);
  });

  it.each([
    ['malformed', () => 'ws_nope'],
    ['unknown', () => newId('Workspace')],
    ['a model id', () => ids[0]!],
  ])('a workspaceId that is %s (NOT_FOUND on the workspace alone)', async (_kind, workspaceId) => {
    await expectRefused(tenant.adminKey, { workspaceId: workspaceId(), ids }, [{ code: 'NOT_FOUND', field: ['input', 'workspaceId'] }]);
  });

  it("another account's workspace, even with that account's model ids (NOT_FOUND)", async () => {
    const other = await app.tenant();
    const theirs = (await storedModels(other.workspaceId)).map((row) => row.id);
    const before = await storedModels(other.workspaceId);
    await expectRefused(tenant.adminKey, { workspaceId: other.workspaceId, ids: theirs }, [{ code: 'NOT_FOUND', field: ['input', 'workspaceId'] }]);
    expect(await storedModels(other.workspaceId)).toEqual(before);
  });

  it('a clientMutationId with NUL (INVALID_ARGUMENT)', async () => {
    await expectRefused(tenant.adminKey, { ids, clientMutationId: 'a\u0000b' }, [{ code: 'INVALID_ARGUMENT', field: ['input', 'clientMutationId'] }]);
  });
});

describe('setModelStatuses and the loaders', () => {
  it('a query in the same request sees the new rows', async () => {
    const tenant = await app.tenant();
    const [a, b] = (await storedModels(tenant.workspaceId)).map((row) => row.id);
    const res = await app.gql(
      /* GraphQL */ `
        mutation Bulk($input: SetModelStatusesInput!, $a: ID!) {
          before: setModelLabels(input: { id: $a, labels: [] }) { model { spec { status } } }
          bulk: setModelStatuses(input: $input) { models { id } }
          after: setModelLabels(input: { id: $a, labels: [] }) { model { spec { status } statusHistory(first: 1) { nodes { to } } } }
        }
      `,
      { key: tenant.adminKey, variables: { a, input: { workspaceId: tenant.workspaceId, ids: [a, b], status: DISABLED } } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.before.model.spec.status).toBe(ENABLED);
    expect(res.body.data.after.model).toEqual({ spec: { status: DISABLED }, statusHistory: { nodes: [{ to: DISABLED }] } });
    const [stored] = await app.db.select().from(models).where(and(eq(models.id, a!), eq(models.status, DISABLED)));
    expect(stored).toBeDefined();
  });

  it("the request's model loader answers the new rows after the change", async () => {
    const tenant = await app.tenant();
    const [a, b] = (await storedModels(tenant.workspaceId)).map((row) => row.id);
    const viewer = { accountId: tenant.accountId, profileId: tenant.profileId, apiKeyId: null, role: 'ADMIN' as const };
    const scope = createScope({ db: app.db, log: createLogger('silent'), live: null, stillAuthenticated: async () => true }, viewer, 'request-1');
    expect((await scope.loaders.models.load(a!))?.status).toBe(ENABLED);
    const changed = await changeModelStatuses(scope, tenant.workspaceId, [a!, b!], () => statusChange(DISABLED));
    expect(changed.ok).toBe(true);
    expect((await scope.loaders.models.load(a!))?.status).toBe(DISABLED);
    const [change] = await historyOf([a!]);
    expect(change).toMatchObject({ profileId: tenant.profileId, requestId: 'request-1', toStatus: DISABLED });
  });
});
