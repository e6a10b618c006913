import { describe, expect, it } from 'vitest';
import { setupTestApp } from './helpers.ts';

// This file closes its database on purpose: it has one of its own, like every test file.
const app = await setupTestApp();
const LEAKS = /stack|Failed query|select |api_keys|postgres|pglite|CONNECTION|ECONN/i;
// Run once while the database is up, `Me` is compiled: the last test's run of
// it takes the compiled path, which authenticates on its own.
const meWhileUp = await app.gql(/* GraphQL */ `query Me { viewer { role } }`, { key: (await app.tenant()).adminKey });

describe('errors that are not the caller’s fault', () => {
  it('a database that goes away during execution: the field is masked and carries the request id', async () => {
    const tenant = await app.tenant();
    let statements = 0;
    // Authentication succeeds; the database is gone by the next statement.
    app.onStatement(() => {
      if (++statements === 2) void app.close();
    });
    const res = await app.gql(/* GraphQL */ `query Name($id: ID!) { workspace(id: $id) { name } }`, {
      key: tenant.adminKey,
      variables: { id: tenant.workspaceId },
    });
    app.onStatement(null);
    expect(res.body.data).toEqual({ workspace: null });
    expect(res.body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 24 }],
        path: ['workspace'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: res.headers.get('x-request-id') },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
  });

  it('a database that is gone: HTTP 500, one masked error with the request id of the x-request-id header', async () => {
    expect(meWhileUp.body.data.viewer.role).toBe('ADMIN');
    await app.close();
    const res = await app.gql(/* GraphQL */ `query Me { viewer { role } }`, { key: `key_01M8HTMBHMM4B4QMSFB4VCVYQW.${'a'.repeat(43)}` });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    expect(JSON.stringify(res.body)).not.toMatch(LEAKS);
  });
});
