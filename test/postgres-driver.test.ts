/**
 * The postgres.js patch (patches/postgres+3.4.9.patch) against the real
 * server: a backend that dies mid-transaction must neither crash the process
 * (porsager/postgres#1208) nor leave its error to the next query (#1223).
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { testTarget } from './helpers.ts';

const target = testTarget();

describe.skipIf(target.kind !== 'postgres')('postgres.js with a backend terminated mid-query', () => {
  const url = target.kind === 'postgres' ? target.url : '';
  const sql = postgres(url, { max: 2, onnotice: () => {}, backoff: () => 0.05 });
  const killer = postgres(url, { max: 1 });
  afterAll(async () => {
    await sql.end({ timeout: 1 });
    await killer.end({ timeout: 1 });
  });

  const uncaught: unknown[] = [];
  const record = (error: unknown) => void uncaught.push(error);

  /** Runs `work` with the backend pid it reports, terminating that backend once it is known. */
  async function terminateDuring(work: (reportPid: (pid: number) => void) => Promise<unknown>) {
    let pid: number | null = null;
    const running = work((p) => (pid = p));
    while (pid === null) await new Promise((resolve) => setTimeout(resolve, 10));
    await killer`select pg_terminate_backend(${pid})`;
    return running.then(
      () => 'resolved',
      (error: { code?: string }) => error.code ?? 'error',
    );
  }

  it('a transaction whose backend dies rejects, and nothing throws afterwards', async () => {
    process.on('uncaughtException', record);
    try {
      for (let round = 0; round < 5; round++) {
        const outcome = await terminateDuring((reportPid) =>
          sql.begin(async (tx) => {
            const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
            reportPid(row!.pid);
            await tx`select pg_sleep(2)`;
          }),
        );
        expect(outcome).not.toBe('resolved');
        // The crash of #1208 came from a timer right after the rejection.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });

  it('the next queries on the pool succeed: no stale error, no wedged connection', async () => {
    for (let round = 0; round < 5; round++) {
      await terminateDuring(async (reportPid) => {
        const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
        reportPid(row!.pid);
        await sql`select pg_sleep(2)`;
      });
      const results = await Promise.all(Array.from({ length: 4 }, () => sql<{ one: number }[]>`select 1 as one`));
      expect(results.map((r) => r[0]!.one)).toEqual([1, 1, 1, 1]);
    }
  });
});
