/**
 * `npm run schema:check [-- <base revision>]`: codegen'd clients in other
 * repositories build against the committed schema.graphql, so a change that
 * breaks them must be deliberate. The check fails when schema.graphql is not
 * what the code prints, or when it breaks something relative to the base
 * revision's schema.graphql (default HEAD~1) that CHANGELOG.md does not list
 * under "### Breaking" of the version in package.json. Dangerous changes are
 * printed and pass. CHANGELOG.md's header documents its format.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { printedSchema, SCHEMA_FILE } from '../src/print-schema.ts';

/** The base revision's schema, or why there is none to compare with (which passes). */
export type PreviousSchema = { revision: string; sdl: string } | { skipped: string };

export interface SchemaCheck {
  ok: boolean;
  /** What to print, one line each. */
  report: string[];
}

/** Changes with no path (the root operation types) are recorded under this name. */
const ROOT_PATH = 'schema';
const pathOf = (change: Change) => change.path ?? ROOT_PATH;
const isDescriptionOnly = (change: Change) => change.type.includes('DESCRIPTION');

/**
 * Compares the base revision's schema with the current one. Every breaking
 * change must be listed, by path, under "### Breaking" of `version` in the
 * changelog (null: there is no CHANGELOG.md).
 */
export async function compareSchemas(input: {
  previous: PreviousSchema;
  current: string;
  changelog: string | null;
  version: string;
}): Promise<SchemaCheck> {
  const { previous, current, version } = input;
  const entries = breakingEntries(input.changelog, version);
  const report: string[] = [];
  const failures: string[] = [...entries.problems];
  if ('skipped' in previous) {
    report.push(previous.skipped);
  } else {
    const changes = await diff(buildSchema(previous.sdl), buildSchema(current));
    const of = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level);
    const breaking = of(CriticalityLevel.Breaking);
    const dangerous = of(CriticalityLevel.Dangerous);
    const safe = of(CriticalityLevel.NonBreaking);
    const descriptions = safe.filter(isDescriptionOnly).length;
    report.push(
      changes.length === 0
        ? `schema.graphql: no change since ${previous.revision}.`
        : `schema.graphql since ${previous.revision}: ${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe (${descriptions} of them descriptions).`,
    );
    for (const change of breaking) {
      const recorded = entries.paths.has(pathOf(change));
      report.push(`  BREAKING  ${pathOf(change)}: ${change.message}${recorded ? ` (recorded in CHANGELOG.md for ${version})` : ''}`);
      if (!recorded) failures.push(`\`${pathOf(change)}\`: ${change.message}`);
    }
    for (const change of dangerous) {
      report.push(`  DANGEROUS ${pathOf(change)}: ${change.message}${change.criticality.reason ? ` — ${change.criticality.reason}` : ''}`);
    }
    for (const change of safe.filter((change) => !isDescriptionOnly(change))) {
      report.push(`  safe      ${pathOf(change)}: ${change.message}`);
    }
  }
  if (failures.length === 0) {
    report.push('Schema check passed.');
    return { ok: true, report };
  }
  report.push(
    `Schema check FAILED:`,
    ...failures.map((failure) => `  ${failure}`),
    `A breaking change on purpose is listed in CHANGELOG.md under "## [${version}]" (package.json's version), "### Breaking", one bullet each starting with its path in backticks, e.g.`,
    `  - \`Model.foo\` — removed (deprecated since 0.2.0); read \`Model.bar\` instead.`,
    `Otherwise keep the old schema working: add beside it and deprecate (see README, "Schema stability").`,
  );
  return { ok: false, report };
}

/**
 * The paths listed under "### Breaking" of `## [version]`, and any bullet
 * there that does not start with a path in backticks.
 */
function breakingEntries(changelog: string | null, version: string): { paths: Set<string>; problems: string[] } {
  const paths = new Set<string>();
  const problems: string[] = [];
  let inVersion = false;
  let inBreaking = false;
  for (const line of (changelog ?? '').split(/\r?\n/)) {
    const versionHeading = /^## \[([^\]]+)\]/.exec(line);
    if (line.startsWith('## ')) {
      inVersion = versionHeading?.[1] === version;
      inBreaking = false;
    } else if (line.startsWith('### ')) {
      inBreaking = inVersion && line.trim() === '### Breaking';
    } else if (inBreaking && line.startsWith('- ')) {
      const path = /^- `([^`]+)`/.exec(line)?.[1];
      if (path) paths.add(path);
      else problems.push(`CHANGELOG.md, ## [${version}], ### Breaking: "${line}" does not start with a schema path in backticks.`);
    }
  }
  return { paths, problems };
}

/** `git` in `cwd`: its output, or null when it fails. */
function git(cwd: string, args: string[]): string | null {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return run.status === 0 ? run.stdout : null;
}

/**
 * schema.graphql as of `base` (default HEAD~1) in the repository at `cwd`.
 * No previous commit, a shallow clone without it, or a base without
 * schema.graphql skip the comparison; an unknown explicit base is an error.
 */
export function previousSchema(cwd: string, base?: string): PreviousSchema {
  if (git(cwd, ['rev-parse', '--is-inside-work-tree'])?.trim() !== 'true') throw new Error(`${cwd} is not inside a git work tree.`);
  const revision = base ?? 'HEAD~1';
  const commit = git(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])?.trim() ?? null;
  const shallow = git(cwd, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
  if (commit === null) {
    if (base !== undefined) {
      throw new Error(`Unknown revision "${base}"${shallow ? ' (this is a shallow clone: fetch it first)' : ''}: pass a commit, branch or tag.`);
    }
    return {
      skipped: shallow
        ? 'Shallow clone without HEAD~1: skipped the comparison with the previous commit (fetch the history, e.g. `git fetch --unshallow`, to run it).'
        : 'HEAD has no previous commit: no earlier schema to compare with.',
    };
  }
  const label = `${revision} (${commit.slice(0, 12)})`;
  const sdl = git(cwd, ['show', `${commit}:./schema.graphql`]);
  return sdl === null ? { skipped: `${label} has no schema.graphql: no earlier schema to compare with.` } : { revision: label, sdl };
}

async function main(base: string | undefined): Promise<boolean> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  if (committed !== printedSchema()) {
    console.log('schema.graphql is stale: it is not what src/graphql/schema prints. Run `npm run schema:print` and commit it.');
    return false;
  }
  console.log('schema.graphql is what src/graphql/schema prints.');
  const changelogFile = `${root}CHANGELOG.md`;
  const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  const check = await compareSchemas({
    previous: previousSchema(root, base),
    current: committed,
    changelog: existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : null,
    version,
  });
  for (const line of check.report) console.log(line);
  return check.ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv[2]).then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(`schema:check: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
