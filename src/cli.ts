import { parseArgs } from 'node:util';
import { createAccount, createApiKey, ownerProfile, revokeApiKey, type Role } from './domain/auth.ts';
import { syncCatalog } from './domain/catalog.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError, openDatabase, type Database } from './db/client.ts';
import { idPrefixes, isIdOf, type IdKind } from './db/ids.ts';
import { normalizeName, type Result } from './domain/validation.ts';
import { createWorkspace } from './domain/workspaces.ts';

const USAGE = `Usage: npm run cli -- <command>

  account create --name <name>
  workspace create --account <accountId> --name <name>
  api-key create --account <accountId> --role admin|reader
  api-key revoke --id <apiKeyId>
  catalog sync      brings every workspace up to the built-in catalog: adds missing
                    models, updates names, prices and limits, disables retired models

Each command prints one JSON object on stdout. DATABASE_URL chooses the database.`;

class UsageError extends Error {}

interface Command {
  options: readonly string[];
  /** A problem with the options, found before the database is opened. */
  check?(values: Record<string, string>): string | null;
  run(db: Database, values: Record<string, string>): Promise<Result<object>>;
}

const nameProblem = (name: string) => {
  const checked = normalizeName(name, ['--name']);
  return checked.ok ? null : checked.problem.message;
};
const idProblem = (option: string, kind: IdKind, value: string) =>
  isIdOf(kind, value) ? null : `--${option} must be ${kind === 'ApiKey' ? 'an API key' : 'an account'} id (${idPrefixes[kind]}_…), got "${value}"`;

const commands: Record<string, Command> = {
  'account create': {
    options: ['name'],
    check: ({ name }) => nameProblem(name!),
    run: (db, { name }) => createAccount(db, { name: name! }),
  },
  'workspace create': {
    options: ['account', 'name'],
    check: ({ account, name }) => idProblem('account', 'Account', account!) ?? nameProblem(name!),
    run: async (db, { account, name }) => {
      const profileId = await ownerProfile(db, account!);
      if (!profileId) return { ok: false, problem: { code: 'NOT_FOUND', field: ['account'], message: `No account ${account}` } };
      const created = await createWorkspace(db, { accountId: account!, profileId, name: name! });
      return created.ok ? { ok: true, value: { workspaceId: created.value.workspace.id, modelCount: created.value.modelCount } } : created;
    },
  },
  'api-key create': {
    options: ['account', 'role'],
    check: ({ account, role }) =>
      idProblem('account', 'Account', account!) ?? (role === 'admin' || role === 'reader' ? null : `--role must be admin or reader, got "${role}"`),
    run: async (db, { account, role }) => {
      const created = await createApiKey(db, { accountId: account!, role: role!.toUpperCase() as Role });
      return created.ok ? { ok: true, value: { apiKeyId: created.value.apiKeyId, apiKey: created.value.apiKey } } : created;
    },
  },
  'api-key revoke': {
    options: ['id'],
    check: ({ id }) => idProblem('id', 'ApiKey', id!),
    run: (db, { id }) => revokeApiKey(db, id!),
  },
  // Always the full sync, whatever was synced before: the operator's way to
  // bring every workspace up to date on demand.
  'catalog sync': {
    options: [],
    run: async (db) => ({ ok: true, value: await syncCatalog(db) }),
  },
};

/** Parses argv into a command and its options, before any database is opened. */
function parse(argv: string[]): { command: Command; values: Record<string, string> } {
  const { positionals, values } = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: { name: { type: 'string' }, account: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' } },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const name = positionals.join(' ');
  const command = commands[name];
  if (!command) throw new UsageError(name ? `Unknown command "${name}"` : 'No command given');
  const options: Record<string, string | undefined> = values;
  const given = Object.keys(options);
  const extra = given.filter((option) => !command.options.includes(option));
  if (extra.length > 0) throw new UsageError(`"${name}" does not take ${extra.map((o) => `--${o}`).join(', ')}`);
  const missing = command.options.filter((option) => !options[option]);
  if (missing.length > 0) throw new UsageError(`"${name}" needs ${missing.map((o) => `--${o}`).join(', ')}`);
  const problem = command.check?.(options as Record<string, string>);
  if (problem) throw new UsageError(problem);
  return { command, values: options as Record<string, string> };
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`Error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const database = await openDatabase(loadConfig().database);
  try {
    const result = await parsed.command.run(database.db, parsed.values);
    if (!result.ok) {
      console.error(`Error: ${result.problem.message}`);
      return 1;
    }
    console.log(JSON.stringify(result.value));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirInUseError;
    console.error(known ? `Error: ${(error as Error).message}` : error);
    process.exit(1);
  },
);
