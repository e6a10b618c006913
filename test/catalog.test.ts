import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/domain/auth.ts';
import {
  builtInCatalog,
  catalog,
  catalogProblems,
  catalogRowsFor,
  CatalogError,
  retiredModels,
  syncCatalog,
  syncCatalogIfChanged,
  type Catalog,
  type CatalogModel,
  type CatalogSyncResult,
} from '../src/domain/catalog.ts';
import { CATALOG_PROFILE_ID, parseStatusChangeNotice, STATUS_CHANGES_CHANNEL } from '../src/domain/history.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../src/db/client.ts';
import { newId } from '../src/db/ids.ts';
import { models, modelStatusChanges, workspaces, type ModelRow } from '../src/db/schema.ts';
import { setupTestApp, testTarget, unwrap } from './helpers.ts';

const app = await setupTestApp();

describe('the catalog', () => {
  it('holds at least 15 models across anthropic, openai, google and two more providers', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(15);
    const providers = new Set(catalog.map((m) => m.provider));
    for (const provider of ['anthropic', 'openai', 'google']) expect(providers).toContain(provider);
    expect(providers.size).toBeGreaterThanOrEqual(5);
  });

  it('retires nothing it supports, and lists no pair twice', () => {
    expect(catalogProblems(builtInCatalog)).toEqual([]);
    expect(builtInCatalog).toEqual({ models: catalog, retired: retiredModels });
  });

  it('is well-formed: unique provider/family, decimal prices, positive int32 limits', () => {
    const keys = catalog.map((m) => `${m.provider}/${m.family}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const model of catalog) {
      expect(model.name.trim()).toBe(model.name);
      expect(model.inputPricePerMillionTokens).toMatch(/^\d+(\.\d+)?$/);
      expect(model.outputPricePerMillionTokens).toMatch(/^\d+(\.\d+)?$/);
      for (const limit of [model.maxInputTokens, model.maxOutputTokens]) {
        expect(Number.isInteger(limit) && limit > 0 && limit <= 2 ** 31 - 1).toBe(true);
      }
    }
  });

  it('seeds a workspace with every catalog model, enabled, externalId provider/family, no labels', async () => {
    const tenant = await app.tenant();
    const rows = await app.db.select().from(models).where(eq(models.workspaceId, tenant.workspaceId));
    expect(rows).toHaveLength(catalog.length);
    for (const entry of catalog) {
      const row = rows.find((r) => r.provider === entry.provider && r.family === entry.family);
      expect(row).toMatchObject({
        name: entry.name,
        status: 'MODEL_STATUS_ENABLED',
        externalId: `${entry.provider}/${entry.family}`,
        labels: {},
        inputPricePerMillionTokens: entry.inputPricePerMillionTokens,
        outputPricePerMillionTokens: entry.outputPricePerMillionTokens,
        maxInputTokens: entry.maxInputTokens,
        maxOutputTokens: entry.maxOutputTokens,
      });
    }
    // One statement seeded them all: they share one creation time.
    expect(new Set(rows.map((r) => r.createdAt.getTime())).size).toBe(1);
  });

  it('sync adds missing models and restores names, prices and limits, never a status, never deleting', async () => {
    const tenant = await app.tenant();
    const [drifted, missing, disabled] = catalog;
    const inWorkspace = (entry: (typeof catalog)[number]) =>
      and(eq(models.workspaceId, tenant.workspaceId), eq(models.provider, entry!.provider), eq(models.family, entry!.family));
    await app.db.update(models).set({ name: 'Old name', inputPricePerMillionTokens: '1.25', maxOutputTokens: 1 }).where(inWorkspace(drifted!));
    await app.db.delete(models).where(inWorkspace(missing!));
    await app.db.update(models).set({ status: 'MODEL_STATUS_DISABLED', statusProfileId: tenant.profileId, labels: { team: 'a' } }).where(inWorkspace(disabled!));

    const result = await syncCatalog(app.db);
    expect(result.added).toBeGreaterThanOrEqual(1);
    expect(result.updated).toBeGreaterThanOrEqual(1);
    expect(result.retired).toBe(0);

    const [restored] = await app.db.select().from(models).where(inWorkspace(drifted!));
    // A change of the model: its revision grows by one.
    expect(restored).toMatchObject({ name: drifted!.name, inputPricePerMillionTokens: drifted!.inputPricePerMillionTokens, maxOutputTokens: drifted!.maxOutputTokens, revision: 2 });
    const [added] = await app.db.select().from(models).where(inWorkspace(missing!));
    expect(added).toMatchObject({ name: missing!.name, status: 'MODEL_STATUS_ENABLED', externalId: `${missing!.provider}/${missing!.family}` });
    const [kept] = await app.db.select().from(models).where(inWorkspace(disabled!));
    expect(kept).toMatchObject({ status: 'MODEL_STATUS_DISABLED', labels: { team: 'a' }, revision: 1 });
    expect(await app.db.select().from(models).where(eq(models.workspaceId, tenant.workspaceId))).toHaveLength(catalog.length);
  });

  it('sync fills in the models missing from many workspaces with one insert, whatever their number', async () => {
    const tenants = await Promise.all([app.tenant(), app.tenant(), app.tenant()]);
    for (const [i, tenant] of tenants.entries()) {
      const gone = catalog.slice(i, i + 2);
      for (const entry of gone) {
        await app.db
          .delete(models)
          .where(and(eq(models.workspaceId, tenant.workspaceId), eq(models.provider, entry.provider), eq(models.family, entry.family)));
      }
    }
    const { statements, result, sql } = await app.countStatements(() => syncCatalog(app.db));
    expect(result.added).toBe(6);
    // The update, the search for workspaces missing entries, one insert (nothing retired, so no retirement statement).
    expect(statements, sql.join('\n')).toBe(3);
    for (const tenant of tenants) {
      expect(await app.db.select().from(models).where(eq(models.workspaceId, tenant.workspaceId))).toHaveLength(catalog.length);
    }
  });

  it('sync leaves models that are not in the catalog alone', async () => {
    const tenant = await app.tenant();
    const [template] = await app.db.select().from(models).where(eq(models.workspaceId, tenant.workspaceId)).limit(1);
    const extra = { ...template!, id: newId('Model'), provider: 'local', family: 'custom-1', name: 'Custom' };
    await app.db.insert(models).values(extra);
    await syncCatalog(app.db);
    const [after] = await app.db.select().from(models).where(eq(models.id, extra.id));
    expect(after).toMatchObject({ name: 'Custom', provider: 'local' });
  });
});

describe('catalog sync of the built-in catalog', () => {
  it('is idempotent: a second run changes nothing and returns zeros', async () => {
    await syncCatalog(app.db);
    expect(await syncCatalog(app.db)).toEqual({ added: 0, updated: 0, retired: 0 });
  });

  it('keeps workspaces.model_count equal to the models of each workspace (triggers)', async () => {
    const tenant = await app.tenant();
    const count = async () => (await app.db.select({ n: workspaces.modelCount }).from(workspaces).where(eq(workspaces.id, tenant.workspaceId)))[0]!.n;
    expect(await count()).toBe(catalog.length);
    await app.db.delete(models).where(and(eq(models.workspaceId, tenant.workspaceId), eq(models.provider, catalog[0]!.provider)));
    const left = await app.db.select().from(models).where(eq(models.workspaceId, tenant.workspaceId));
    expect(await count()).toBe(left.length);
    await syncCatalog(app.db);
    expect(await count()).toBe(catalog.length);
  });
});

// ---------------------------------------------------------------------------
// Syncing other catalogs: on a database of this describe's own, since a sync
// reaches every workspace of its database (other files share a PostgreSQL one).

/** A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server under test. */
async function privateDatabase(): Promise<{ open(): Promise<DatabaseHandle>; drop(): Promise<void> }> {
  const target = testTarget();
  if (target.kind === 'pglite') {
    // One in-memory instance serves every opener: PGlite has one connection, so "two processes" share it.
    const handle = await openDatabase(target);
    return { open: async () => handle, drop: () => handle.close() };
  }
  const name = `catalog_sync_${process.pid}_${Date.now()}`;
  const admin = new URL(target.url);
  admin.pathname = '/postgres';
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  const server = postgres(admin.href, { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${name}"`);
  const handles: DatabaseHandle[] = [];
  return {
    async open() {
      const handle = await openDatabase({ kind: 'postgres', url: url.href });
      handles.push(handle);
      return handle;
    },
    async drop() {
      await Promise.all(handles.map((handle) => handle.close()));
      await server.unsafe(`drop database if exists "${name}" with (force)`);
      await server.end({ timeout: 5 });
    },
  };
}

const WORKSPACES = 1000;
const NEXT: CatalogModel = {
  provider: 'acme',
  family: 'acme-next-1',
  name: 'Acme Next 1',
  inputPricePerMillionTokens: '120',
  outputPricePerMillionTokens: '480.5',
  maxInputTokens: 500_000,
  maxOutputTokens: 32_000,
};
const withNext: Catalog = { models: [...catalog, NEXT], retired: [] };
const nextRetired: Catalog = { models: catalog, retired: [{ provider: NEXT.provider, family: NEXT.family }] };
const ZERO: CatalogSyncResult = { added: 0, updated: 0, retired: 0 };

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  console.log(`${label} (${testTarget().kind}): ${((performance.now() - start) / 1000).toFixed(3)} s`);
  return result;
}

describe(`catalog sync over ${WORKSPACES} workspaces`, () => {
  let database: Awaited<ReturnType<typeof privateDatabase>>;
  let handle: DatabaseHandle;
  let db: Database;
  let owner: { accountId: string; profileId: string };
  let workspaceIds: string[];

  const nextRows = async (): Promise<ModelRow[]> =>
    db.select().from(models).where(and(eq(models.provider, NEXT.provider), eq(models.family, NEXT.family))).orderBy(models.workspaceId);
  const lastSeq = async () => (await db.select({ seq: sql<number>`coalesce(max(${modelStatusChanges.seq}), 0)::int` }).from(modelStatusChanges))[0]!.seq;
  const changesAfter = (seq: number) => db.select().from(modelStatusChanges).where(gt(modelStatusChanges.seq, seq));
  const setStatus = (ids: string[], status: ModelRow['status']) =>
    db.update(models).set({ status, statusProfileId: owner.profileId, revision: sql`${models.revision} + 1` }).where(inArray(models.id, ids));

  beforeAll(async () => {
    database = await privateDatabase();
    handle = await database.open();
    db = handle.db;
    owner = unwrap(await createAccount(db, { name: 'Catalog sync' }));
    // The workspaces and their seeded catalog in two statements, as createWorkspace would seed each.
    const createdAt = new Date();
    const rows = Array.from({ length: WORKSPACES }, (_, i) => ({ id: newId('Workspace'), ...owner, name: `Workspace ${i}`, labels: {}, createdAt, modelCount: 0 }));
    await db.insert(workspaces).values(rows);
    await db.insert(models).select(sql`select * from ${catalogRowsFor(rows.map((w) => ({ ...owner, workspaceId: w.id })), createdAt)}`);
    workspaceIds = rows.map((w) => w.id).sort();
  });
  afterAll(() => database?.drop());

  it('adds a new catalog model to every workspace, enabled, with the catalog values; a second run returns zeros', async () => {
    expect(await timed(`sync adding 1 model to ${WORKSPACES} workspaces`, () => syncCatalog(db, withNext))).toEqual({ added: WORKSPACES, updated: 0, retired: 0 });
    const rows = await nextRows();
    expect(rows.map((row) => row.workspaceId)).toEqual(workspaceIds);
    for (const row of rows) {
      expect(row).toMatchObject({
        accountId: owner.accountId,
        name: NEXT.name,
        inputPricePerMillionTokens: NEXT.inputPricePerMillionTokens,
        outputPricePerMillionTokens: NEXT.outputPricePerMillionTokens,
        maxInputTokens: NEXT.maxInputTokens,
        maxOutputTokens: NEXT.maxOutputTokens,
        status: 'MODEL_STATUS_ENABLED',
        externalId: 'acme/acme-next-1',
        labels: {},
        revision: 1,
      });
    }
    const counts = await db.select({ n: workspaces.modelCount }).from(workspaces).where(eq(workspaces.accountId, owner.accountId));
    expect(new Set(counts.map((c) => c.n))).toEqual(new Set([catalog.length + 1]));
    expect(await timed(`sync finding nothing to do over ${WORKSPACES} workspaces`, () => syncCatalog(db, withNext))).toEqual(ZERO);
  });

  it('updates names, prices and limits in every workspace, one revision each, leaving status and labels', async () => {
    const before = await nextRows();
    // An admin's doing in ten workspaces: a label, and a disabled model.
    const touched = before.slice(0, 10).map((row) => row.id);
    await db.update(models).set({ labels: { team: 'ml' } }).where(inArray(models.id, touched));
    await setStatus(touched, 'MODEL_STATUS_DISABLED');
    const revisions = new Map((await nextRows()).map((row) => [row.id, row.revision]));

    const renamed: CatalogModel = { ...NEXT, name: 'Acme Next 1 (2027)', inputPricePerMillionTokens: '99.9', maxOutputTokens: 64_000 };
    expect(await syncCatalog(db, { models: [...catalog, renamed], retired: [] })).toEqual({ added: 0, updated: WORKSPACES, retired: 0 });
    for (const row of await nextRows()) {
      const isTouched = touched.includes(row.id);
      expect(row).toMatchObject({
        name: renamed.name,
        inputPricePerMillionTokens: '99.9',
        outputPricePerMillionTokens: NEXT.outputPricePerMillionTokens,
        maxOutputTokens: 64_000,
        status: isTouched ? 'MODEL_STATUS_DISABLED' : 'MODEL_STATUS_ENABLED',
        labels: isTouched ? { team: 'ml' } : {},
        revision: revisions.get(row.id)! + 1,
      });
    }
    expect(await syncCatalog(db, { models: [...catalog, renamed], retired: [] })).toEqual(ZERO);
    // And back, for the tests below.
    expect(await syncCatalog(db, withNext)).toEqual({ added: 0, updated: WORKSPACES, retired: 0 });
  });

  it('retires: disables every enabled one, audited and announced as the catalog, deleting nothing; a second run retires 0', async () => {
    const before = await nextRows();
    const alreadyDisabled = before.filter((row) => row.status === 'MODEL_STATUS_DISABLED');
    expect(alreadyDisabled).toHaveLength(10);
    const enabled = before.filter((row) => row.status === 'MODEL_STATUS_ENABLED');
    const seq = await lastSeq();

    const announced = new Set<string>();
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const unlisten = await handle.listen(
      STATUS_CHANGES_CHANNEL,
      (payload) => {
        const notice = parseStatusChangeNotice(payload);
        if (notice && notice.seq > seq) announced.add(notice.modelId);
      },
      () => listening(),
    );
    try {
      await ready;
      expect(await syncCatalog(db, nextRetired)).toEqual({ added: 0, updated: 0, retired: enabled.length });
      // Every NOTIFY of the commit, delivered to this listener.
      for (let waited = 0; announced.size < enabled.length && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(announced).toEqual(new Set(enabled.map((row) => row.id)));
    } finally {
      await unlisten();
    }

    const after = await nextRows();
    expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
    const revisionBefore = new Map(before.map((row) => [row.id, row.revision]));
    for (const row of after) {
      const wasEnabled = enabled.some((e) => e.id === row.id);
      expect(row.status).toBe('MODEL_STATUS_DISABLED');
      expect(row.revision).toBe(revisionBefore.get(row.id)! + (wasEnabled ? 1 : 0));
    }
    const changes = await changesAfter(seq);
    expect(changes.map((c) => c.modelId).sort()).toEqual(enabled.map((row) => row.id).sort());
    for (const change of changes) {
      expect(change).toMatchObject({ accountId: owner.accountId, fromStatus: 'MODEL_STATUS_ENABLED', toStatus: 'MODEL_STATUS_DISABLED', profileId: CATALOG_PROFILE_ID, requestId: null });
    }

    expect(await syncCatalog(db, nextRetired)).toEqual(ZERO);
    expect(await changesAfter(seq)).toHaveLength(enabled.length);
  });

  it('never adds a retired model; when it comes back it is added where missing, and nothing is re-enabled', async () => {
    const late = unwrap(await createWorkspace(db, { ...owner, name: 'Created after the retirement' })).workspace.id;
    expect(await syncCatalog(db, nextRetired)).toEqual(ZERO);
    expect((await nextRows()).map((row) => row.workspaceId)).not.toContain(late);

    const seq = await lastSeq();
    expect(await syncCatalog(db, withNext)).toEqual({ added: 1, updated: 0, retired: 0 });
    const rows = await nextRows();
    expect(rows).toHaveLength(WORKSPACES + 1);
    for (const row of rows) expect(row.status).toBe(row.workspaceId === late ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED');
    expect(await changesAfter(seq)).toEqual([]);
  });

  it('refuses a catalog that both supports and retires a model, changing nothing', async () => {
    const seq = await lastSeq();
    await expect(syncCatalog(db, { models: withNext.models, retired: nextRetired.retired })).rejects.toThrow(CatalogError);
    await expect(syncCatalog(db, { models: [...withNext.models, NEXT], retired: [] })).rejects.toThrow(/acme\/acme-next-1 is listed twice/);
    expect(await changesAfter(seq)).toEqual([]);
  });

  it('two syncs at once change each model once between them', async () => {
    // A model every workspace has enabled, retired while another arrives.
    const retiring: CatalogModel = { ...NEXT, family: 'acme-retiring', name: 'Acme Retiring' };
    const arriving: CatalogModel = { ...NEXT, family: 'acme-arriving', name: 'Acme Arriving' };
    const total = (await db.select({ id: workspaces.id }).from(workspaces)).length;
    expect(await syncCatalog(db, { models: [...catalog, retiring], retired: [] })).toMatchObject({ added: total });
    const target: Catalog = { models: [...catalog, arriving], retired: [{ provider: retiring.provider, family: retiring.family }] };
    const seq = await lastSeq();
    // A second handle is a second pool (on PostgreSQL): two processes' worth of connections.
    const second = await database.open();
    const results = await Promise.all([syncCatalog(db, target), syncCatalog(second.db, target)]);
    const sum = (key: keyof CatalogSyncResult) => results.reduce((n, r) => n + r[key], 0);
    expect({ added: sum('added'), updated: sum('updated'), retired: sum('retired') }).toEqual({ added: total, updated: 0, retired: total });
    const changes = await changesAfter(seq);
    expect(changes).toHaveLength(total);
    expect(new Set(changes.map((c) => c.modelId)).size).toBe(total);
    expect(await db.select().from(models).where(eq(models.family, arriving.family))).toHaveLength(total);
    expect(await syncCatalog(db, target)).toEqual(ZERO);
  });

  it('at start, syncs a catalog once: the next start with it skips the full sync, a changed catalog syncs again', async () => {
    const arrivingLater: CatalogModel = { ...NEXT, family: 'acme-at-start', name: 'Acme At Start' };
    const atStart: Catalog = { models: [...catalog, arrivingLater], retired: [] };
    const total = (await db.select({ id: workspaces.id }).from(workspaces)).length;
    expect(await syncCatalogIfChanged(db, atStart)).toMatchObject({ added: total });
    // A hand edit stays: the start found this catalog synced and did not run the full sync.
    const [edited] = await db.select({ id: models.id }).from(models).where(eq(models.family, arrivingLater.family)).limit(1);
    await db.update(models).set({ name: 'Edited by hand' }).where(eq(models.id, edited!.id));
    expect(await syncCatalogIfChanged(db, atStart)).toBeNull();
    expect((await db.select({ name: models.name }).from(models).where(eq(models.id, edited!.id)))[0]!.name).toBe('Edited by hand');
    // `catalog sync` (the full sync) puts it right.
    expect(await syncCatalog(db, atStart)).toMatchObject({ updated: 1 });
    // Another catalog (here: one retiring the model) is synced in full.
    const retiring: Catalog = { models: catalog, retired: [{ provider: arrivingLater.provider, family: arrivingLater.family }] };
    expect(await syncCatalogIfChanged(db, retiring)).toMatchObject({ retired: total });
    expect(await syncCatalogIfChanged(db, retiring)).toBeNull();
  });
});
