import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { DatabaseTarget, PoolOptions } from '../config.ts';
import * as schema from './schema.ts';

/** One type for both drivers: everything above this file is driver-agnostic. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseTarget['kind'];
  /** Statements sent so far, and the pool's state (PostgreSQL only), for /metrics. */
  stats(): DatabaseStats;
  /**
   * LISTENs on `channel`: `onNotify` gets each payload once its transaction
   * has committed, in commit order. On PostgreSQL it is one connection of its
   * own, which postgres.js reconnects (and LISTENs again) after losing it;
   * `onListen` runs each time listening starts, the first time included. On
   * PGlite the notifications come from the same, in-process database.
   * Resolves, once listening, to a function that stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseStats {
  statements: number;
  /** postgres.js's pool (patched in: patches/postgres+3.4.9.patch); null on PGlite, which has one connection. */
  pool: PoolStats | null;
}

/** postgres.js's connections by state (see the patch), and the queries waiting for one. */
export interface PoolStats {
  max: number;
  connecting: number;
  /** Connected and taking queries: postgres.js pipelines several on one connection. */
  open: number;
  /** Connected and taking no more for now. */
  saturated: number;
  reserved: number;
  /** Not connected (yet, or any more). */
  closed: number;
  queued: number;
}

/** Drizzle's logger sees every statement: count them, and pass them on to the caller's logger. */
function counting(logger: DrizzleLogger | undefined) {
  const counted = {
    statements: 0,
    logQuery(query: string, params: unknown[]) {
      counted.statements++;
      logger?.logQuery(query, params);
    },
  };
  return counted;
}

export interface OpenOptions {
  /** Sees every statement Drizzle sends (tests count them). */
  logger?: DrizzleLogger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  pool?: PoolOptions;
}

/**
 * The directory of this package's package.json: two levels above this file
 * when it runs from src/db/, one above the bundled dist/server.js.
 */
function packageRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

const migrationsFolder = path.join(packageRoot(), 'drizzle');
const migrationCount = (JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] })
  .entries.length;
// Any constant shared by every process of this product; it serializes migrators.
const MIGRATION_LOCK_KEY = 7_240_611_019;

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another process (pid ${pid}). ` +
        'Embedded PGlite allows one process per data directory: stop that process, ' +
        'or point DATABASE_URL at another directory or a PostgreSQL server.',
    );
    this.name = 'DataDirInUseError';
  }
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<DatabaseHandle> {
  return target.kind === 'pglite' ? openPglite(target.dataDir, options) : openPostgres(target.url, options);
}

// Each driver is loaded only when used: a server on PostgreSQL never loads PGlite.
async function openPglite(dataDir: string | null, options: OpenOptions): Promise<DatabaseHandle> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    const client = await PGlite.create(dataDir ?? undefined);
    const logger = counting(options.logger);
    const db = drizzlePglite({ client, schema, logger });
    if (options.migrate !== false) await migratePglite(db, { migrationsFolder });
    return {
      db,
      kind: 'pglite',
      stats: () => ({ statements: logger.statements, pool: null }),
      async listen(channel, onNotify, onListen) {
        const unlisten = await client.listen(channel, onNotify);
        onListen();
        return unlisten;
      },
      async close() {
        try {
          if (!client.closed) await client.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openPostgres(url: string, options: OpenOptions): Promise<DatabaseHandle> {
  const [{ default: postgres }, { drizzle: drizzlePostgres }, { migrate: migratePostgres }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
    import('drizzle-orm/postgres-js/migrator'),
  ]);
  const client = postgres(url, {
    max: options.pool?.max ?? 10,
    idle_timeout: options.pool?.idleTimeoutSeconds || undefined,
    onnotice: () => {},
    // Fail fast while the server is unreachable, and reconnect within half a
    // second once it is back (the default backoff grows to many seconds and is
    // shared by the whole pool, so a short outage stalled requests long after).
    connect_timeout: 5,
    backoff: (attempt) => Math.min(0.05 * 2 ** attempt, 0.5),
  });
  const logger = counting(options.logger);
  const db = drizzlePostgres({ client, schema, logger });
  try {
    if (options.migrate !== false) {
      // Drizzle's migrator takes no lock; a session-level advisory lock held on
      // one reserved connection lets several processes start at once.
      const lockConnection = await client.reserve();
      try {
        await lockConnection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(db, { migrationsFolder });
      } finally {
        await lockConnection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
        lockConnection.release();
      }
    }
  } catch (error) {
    await client.end({ timeout: 1 });
    throw error;
  }
  const pool = () => (client as unknown as { pool: PoolStats }).pool;
  return {
    db,
    kind: 'postgres',
    stats: () => ({ statements: logger.statements, pool: pool() }),
    async listen(channel, onNotify, onListen) {
      const { unlisten } = await client.listen(channel, onNotify, onListen);
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * PGlite does not lock its data directory, and two processes on one directory
 * corrupt it. The lock is a file beside the directory holding the owner's pid;
 * a lock whose process is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        fs.rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the database answers and has every migration of this build applied (for /ready). */
export async function isReady(db: Database): Promise<boolean> {
  const [row] = await db.select({ applied: sql<number>`count(*)::int` }).from(sql`drizzle.__drizzle_migrations`);
  return (row?.applied ?? 0) >= migrationCount;
}
