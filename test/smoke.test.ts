import { describe, expect, it } from 'vitest';
import { setupTestApp } from './helpers.ts';

const app = await setupTestApp();

describe('smoke', () => {
  it('answers viewer for an admin key', async () => {
    const t = await app.tenant();
    const res = await app.gql(/* GraphQL */ `query Me { viewer { accountId profileId role } }`, { key: t.adminKey });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer).toEqual({ accountId: t.accountId, profileId: t.profileId, role: 'ADMIN' });
  });
});
