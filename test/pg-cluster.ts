/**
 * A private PostgreSQL cluster for the fault tests: the same installation as
 * the shared server on 5432, its own data directory, port and socket
 * directory, so stopping or restarting it disturbs no other test file.
 * Tests run as root and PostgreSQL refuses root: every server-side command
 * runs as the `postgres` OS user.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const run = promisify(execFile);

/** The newest installed major version, e.g. /usr/lib/postgresql/15/bin (PG_BIN overrides). */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error(`No PostgreSQL installation under ${root}`);
  return path.join(root, versions[0], 'bin');
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PgCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** `pg_ctl start`; with `wait: false` it returns before the server accepts connections. */
  start(options?: { wait?: boolean }): Promise<void>;
  /** `pg_ctl stop -m fast`, waiting until it is down. */
  stop(): Promise<void>;
  /** Whether `pg_isready` on the private port says it accepts connections. */
  isReady(): Promise<boolean>;
  createDatabase(name: string): Promise<void>;
  /** The server's own log (for failure messages). */
  log(): string;
  /** Stops the cluster (immediate) and removes its directory. */
  destroy(): Promise<void>;
}

export async function createCluster(): Promise<PgCluster> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const { uid, gid } = await postgresUser();
  fs.chownSync(dir, uid, gid);
  const port = await freePort();

  const asPostgres = (command: string, args: string[], timeout = 60_000) =>
    run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { cwd: dir, timeout });
  const pgCtl = (args: string[]) => asPostgres('pg_ctl', ['-D', dataDir, '-l', logFile, ...args]);

  await asPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  fs.appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    [
      '',
      '# faults.test.ts: a private, disposable cluster',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const cluster: PgCluster = {
    port,
    url,
    async start({ wait = true } = {}) {
      await pgCtl(wait ? ['-w', '-t', '30', 'start'] : ['-W', 'start']);
    },
    async stop() {
      await pgCtl(['-m', 'fast', '-w', '-t', '30', 'stop']);
    },
    async isReady() {
      try {
        await run(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '1'], { timeout: 5_000 });
        return true;
      } catch {
        return false;
      }
    },
    async createDatabase(name) {
      const admin = postgres(url('postgres'), { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database "${name}"`);
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      await pgCtl(['-m', 'immediate', '-w', '-t', '30', 'stop']).catch(() => {}); // already stopped: fine
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    const log = cluster.log();
    await cluster.destroy();
    throw new Error(`The private PostgreSQL cluster did not start: ${(error as Error).message}\n${log}`);
  }
  return cluster;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
