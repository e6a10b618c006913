/**
 * `npm run codegen:check`: generates in memory what `npm run codegen` would
 * write (from the schema.graphql and operations in the current directory)
 * and fails, naming each file, when a committed generated file differs, is
 * missing, or is left over in an output directory although codegen no longer
 * writes it (a manifest that outlived its config would still be trusted).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { executeCodegen } from '@graphql-codegen/cli';
import config from './codegen.ts';

interface Staleness {
  /** On disk, but not what codegen generates now. */
  stale: string[];
  /** Generated, but not on disk. */
  missing: string[];
  /** On disk in an output directory, but no longer generated. */
  extra: string[];
}

async function checkGenerated(cwd: string): Promise<Staleness> {
  const { result, error } = await executeCodegen({ ...config, cwd, silent: true });
  // An operation that no longer validates against the schema, for instance.
  if (error) throw new Error(`Codegen failed, so the generated client cannot be current:\n${error.message}`);
  const generated = new Map(result.map((file) => [path.normalize(file.filename), file.content]));
  const staleness: Staleness = { stale: [], missing: [], extra: [] };
  for (const [file, content] of generated) {
    const absolute = path.resolve(cwd, file);
    if (!existsSync(absolute)) staleness.missing.push(file);
    else if (readFileSync(absolute, 'utf8') !== content) staleness.stale.push(file);
  }
  for (const output of Object.keys(config.generates).filter((key) => key.endsWith('/'))) {
    const directory = path.resolve(cwd, output);
    if (!existsSync(directory)) continue;
    for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.relative(cwd, path.join(entry.parentPath, entry.name));
      if (!generated.has(file)) staleness.extra.push(file);
    }
  }
  for (const list of Object.values(staleness)) list.sort();
  return staleness;
}

function describeStaleness({ stale, missing, extra }: Staleness): string | null {
  const lines = [
    ...stale.map((file) => `  stale:     ${file}`),
    ...missing.map((file) => `  missing:   ${file}`),
    ...extra.map((file) => `  left over: ${file} (no longer generated: delete it)`),
  ];
  if (lines.length === 0) return null;
  return [
    'The generated client is not what schema.graphql and examples/operations/ generate now:',
    ...lines,
    'Run `npm run codegen` and commit the result.',
  ].join('\n');
}

try {
  const problem = describeStaleness(await checkGenerated(process.cwd()));
  if (problem) throw new Error(problem);
  console.log('The generated client is up to date.');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
