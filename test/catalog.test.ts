import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { catalog, syncCatalog, syncCatalogIfChanged } from '../src/domain/catalog.ts';
import { newId } from '../src/db/ids.ts';
import { models, workspaces } from '../src/db/schema.ts';
import { setupTestApp } from './helpers.ts';

const app = await setupTestApp();

describe('the catalog', () => {
  it('holds at least 15 models across anthropic, openai, google and two more providers', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(15);
    const providers = new Set(catalog.map((m) => m.provider));
    for (const provider of ['anthropic', 'openai', 'google']) expect(providers).toContain(provider);
    expect(providers.size).toBeGreaterThanOrEqual(5);
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

    const [restored] = await app.db.select().from(models).where(inWorkspace(drifted!));
    expect(restored).toMatchObject({ name: drifted!.name, inputPricePerMillionTokens: drifted!.inputPricePerMillionTokens, maxOutputTokens: drifted!.maxOutputTokens });
    const [added] = await app.db.select().from(models).where(inWorkspace(missing!));
    expect(added).toMatchObject({ name: missing!.name, status: 'MODEL_STATUS_ENABLED', externalId: `${missing!.provider}/${missing!.family}` });
    const [kept] = await app.db.select().from(models).where(inWorkspace(disabled!));
    expect(kept).toMatchObject({ status: 'MODEL_STATUS_DISABLED', labels: { team: 'a' } });
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
    // The update, the search for workspaces missing entries, one insert.
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

describe('catalog sync at start', () => {
  it('runs once per catalog: a start with the same catalog reads nothing but the fingerprint', async () => {
    // The first call may sync (or find the fingerprint left by another test file's start).
    await syncCatalogIfChanged(app.db);
    const again = await app.countStatements(() => syncCatalogIfChanged(app.db));
    expect(again.result).toBeNull();
    expect(again.statements).toBe(1);
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
