/**
 * The postgres.js patch (patches/postgres+3.4.9.patch) against the real
 * server: a backend that dies mid-transaction must neither crash the process
 * (porsager/postgres#1208) nor leave its error to the next query (#1223), and
 * a connection lost while it fetches array types must not leave an unhandled
 * rejection behind (#1192).
 */
import net from 'node:net';
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
    // Settled handlers go on at once: the work may reject before the
    // terminating query itself returns.
    const running = work((p) => (pid = p)).then(
      () => 'resolved',
      (error: { code?: string }) => error.code ?? 'error',
    );
    while (pid === null) await new Promise((resolve) => setTimeout(resolve, 10));
    await killer`select pg_terminate_backend(${pid})`;
    return running;
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

  it('a connection lost while it fetches array types retries its query, and nothing is left unhandled', async () => {
    // A proxy that ends the first three connections the moment the driver
    // asks for the array types, as a backend terminated at that point does:
    // with the FATAL 57P01 error, then the socket closed.
    const upstream = new URL(url);
    let drops = 0;
    const proxy = net.createServer((client) => {
      const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
      const drop = () => (client.destroy(), server.destroy());
      client.on('data', (chunk: Buffer) => {
        if (drops < 3 && chunk.includes('typarray')) {
          drops++;
          server.destroy();
          return void client.end(terminatedBackend());
        }
        server.write(chunk);
      });
      server.on('data', (chunk: Buffer) => client.write(chunk));
      for (const socket of [client, server]) socket.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((proxy.address() as net.AddressInfo).port);
    const viaProxy = postgres(proxied.toString(), { max: 1, onnotice: () => {}, backoff: () => 0.01 });

    const unhandled: unknown[] = [];
    const recordRejection = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', recordRejection);
    try {
      // As Drizzle sends it: the parameter's type comes from the server.
      const [row] = await viaProxy.unsafe<{ xs: string[] }[]>('select $1::text[] as xs', [['a', 'b']]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(drops).toBe(3);
      // Parsed into an array: the types were fetched on the connection that stayed.
      expect(row!.xs).toEqual(['a', 'b']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', recordRejection);
      await viaProxy.end({ timeout: 1 });
      proxy.close();
    }
  });
});

/** The ErrorResponse message a backend sends when pg_terminate_backend() ends it. */
function terminatedBackend(): Buffer {
  const fields = Buffer.from(
    ['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'].map((f) => `${f}\0`).join('') + '\0',
  );
  const header = Buffer.alloc(5);
  header.write('E');
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
