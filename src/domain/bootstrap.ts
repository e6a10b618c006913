import { count } from 'drizzle-orm';
import { createAccount, type IssuedKey } from './auth.ts';
import { syncCatalogIfChanged, type CatalogSyncResult } from './catalog.ts';
import type { Database } from '../db/client.ts';
import { accounts } from '../db/schema.ts';
import { createWorkspace } from './workspaces.ts';

export interface Demo extends IssuedKey {
  accountId: string;
  workspaceId: string;
}

/**
 * Run at every start, after migrations: syncs the catalog into every workspace
 * unless this catalog was synced before (null then; `catalog sync` always
 * runs the full sync), and on an empty database creates a
 * demo account and workspace so a newcomer can query at once. Returns the demo's one-time key when it made one.
 */
export async function prepareDatabase(db: Database): Promise<{ synced: CatalogSyncResult | null; demo: Demo | null }> {
  const synced = await syncCatalogIfChanged(db);
  const [row] = await db.select({ accounts: count() }).from(accounts);
  if ((row?.accounts ?? 0) > 0) return { synced, demo: null };
  const account = await createAccount(db, { name: 'Demo' });
  if (!account.ok) throw new Error(account.problem.message);
  const workspace = await createWorkspace(db, { accountId: account.value.accountId, profileId: account.value.profileId, name: 'Demo workspace' });
  if (!workspace.ok) throw new Error(workspace.problem.message);
  return {
    synced,
    demo: {
      accountId: account.value.accountId,
      workspaceId: workspace.value.workspace.id,
      apiKeyId: account.value.apiKeyId,
      apiKey: account.value.apiKey,
    },
  };
}
