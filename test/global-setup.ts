import { parseDatabaseUrl } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';

/**
 * Against a PostgreSQL server, migrate once before the files start (each file
 * would otherwise queue on the migration lock). PGlite files each start from
 * an empty in-memory database and migrate it themselves.
 */
export default async function setup() {
  const target = parseDatabaseUrl(process.env.DATABASE_URL || 'pglite://memory');
  if (typeof target === 'string') throw new Error(target);
  console.log(`Tests run against ${target.kind === 'postgres' ? 'the PostgreSQL server in DATABASE_URL' : 'embedded PGlite (in memory)'}`);
  if (target.kind === 'postgres') await (await openDatabase(target)).close();
}
