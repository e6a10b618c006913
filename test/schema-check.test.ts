import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, print, visit } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { compareSchemas, previousSchema, type PreviousSchema } from '../scripts/schema-check.ts';
import { printedSchema } from '../src/print-schema.ts';

const BASE = /* GraphQL */ `
  """The root."""
  type Query {
    """A model."""
    model(
      """Its id."""
      id: ID!
    ): Model
  }
  """A model."""
  type Model {
    """Its id."""
    id: ID!
    """Its family."""
    family: String!
    """Its status."""
    status: ModelStatus!
  }
  """A status."""
  enum ModelStatus {
    """On."""
    ENABLED
    """Off."""
    DISABLED
  }
`;
const previous: PreviousSchema = { revision: 'HEAD~1 (abc)', sdl: BASE };

const changelog = (version: string, breaking: string[]) => `# Changelog

Format notes.

## [${version}]

### Breaking

${breaking.join('\n')}

### Added

- \`Model.other\` is not breaking and not under Breaking.

## [0.0.1]

### Breaking

- \`Model.status\` — an older version's entry.
`;

const check = (current: string, log: string | null = null, version = '0.2.0', base: PreviousSchema = previous) =>
  compareSchemas({ previous: base, current, changelog: log, version });

describe('compareSchemas', () => {
  it('fails on a removed field that CHANGELOG.md does not record, naming it', async () => {
    const result = await check(BASE.replace('"""Its family."""\n    family: String!', ''), changelog('0.2.0', []));
    expect(result.ok).toBe(false);
    expect(result.report).toContain("  BREAKING  Model.family: Field 'family' was removed from object type 'Model'");
    expect(result.report).toContain("  `Model.family`: Field 'family' was removed from object type 'Model'");
  });

  it('passes a removed field recorded under Breaking of the current version', async () => {
    const result = await check(
      BASE.replace('"""Its family."""\n    family: String!', ''),
      changelog('0.2.0', ['- `Model.family` — removed (deprecated since 0.1.0); read `Model.id`.']),
    );
    expect(result).toEqual({
      ok: true,
      report: [
        'schema.graphql since HEAD~1 (abc): 1 breaking, 0 dangerous, 0 safe (0 of them descriptions).',
        "  BREAKING  Model.family: Field 'family' was removed from object type 'Model' (recorded in CHANGELOG.md for 0.2.0)",
        'Schema check passed.',
      ],
    });
  });

  it('counts only the current version: an entry of another version, or elsewhere than Breaking, records nothing', async () => {
    const removed = BASE.replace('"""Its status."""\n    status: ModelStatus!', '');
    const other = await check(removed, changelog('0.2.0', []));
    expect(other.ok).toBe(false);
    expect(other.report).toContain("  `Model.status`: Field 'status' was removed from object type 'Model'");
    // Model.other is listed under Added: a removal of it is still unrecorded.
    const withOther = BASE.replace('family: String!', 'family: String!\n    """Other."""\n    other: Int');
    const underAdded = await compareSchemas({ previous: { revision: 'base', sdl: withOther }, current: BASE, changelog: changelog('0.2.0', []), version: '0.2.0' });
    expect(underAdded.ok).toBe(false);
    expect(underAdded.report).toContain("  `Model.other`: Field 'other' was removed from object type 'Model'");
  });

  it('names every unrecorded breaking change: argument, enum value, type change', async () => {
    const current = BASE.replace('"""Its id."""\n      id: ID!\n    ', '"""Its id."""\n      key: ID!\n    ')
      .replace('"""Off."""\n    DISABLED', '')
      .replace('family: String!', 'family: Int!');
    const result = await check(current, changelog('0.2.0', ['- `Model.family` — now a number.']));
    expect(result.ok).toBe(false);
    const failures = result.report.slice(result.report.indexOf('Schema check FAILED:') + 1).filter((line) => line.startsWith('  `'));
    expect(failures.map((line) => line.slice(2, line.indexOf('`', 3) + 1)).sort()).toEqual([
      '`ModelStatus.DISABLED`',
      '`Query.model.id`',
      '`Query.model.key`',
    ]);
  });

  it('passes an added optional argument', async () => {
    const result = await check(BASE.replace('id: ID!\n    ): Model', 'id: ID!\n      """Optional."""\n      workspaceId: ID\n    ): Model'));
    expect(result.ok).toBe(true);
    expect(result.report[0]).toBe('schema.graphql since HEAD~1 (abc): 0 breaking, 1 dangerous, 0 safe (0 of them descriptions).');
    expect(result.report[1]).toMatch(/^ {2}DANGEROUS Query\.model\.workspaceId: Argument 'workspaceId: ID' added to field 'Query\.model'/);
  });

  it('prints a dangerous change (an added enum value) and passes', async () => {
    const result = await check(BASE.replace('DISABLED\n', 'DISABLED\n    """Retired."""\n    RETIRED\n'));
    expect(result.ok).toBe(true);
    expect(result.report).toEqual([
      // inspector counts the new value's description as a change of its own
      'schema.graphql since HEAD~1 (abc): 0 breaking, 1 dangerous, 1 safe (1 of them descriptions).',
      expect.stringMatching(/^ {2}DANGEROUS ModelStatus\.RETIRED: Enum value 'RETIRED' was added to enum 'ModelStatus' — Adding an enum value may break/),
      'Schema check passed.',
    ]);
  });

  it('lists a safe addition and passes', async () => {
    const result = await check(BASE.replace('family: String!', 'family: String!\n    """Its name."""\n    name: String'));
    expect(result).toEqual({
      ok: true,
      report: [
        'schema.graphql since HEAD~1 (abc): 0 breaking, 0 dangerous, 2 safe (1 of them descriptions).',
        "  safe      Model.name: Field 'name' was added to object type 'Model'",
        'Schema check passed.',
      ],
    });
  });

  it('passes description-only changes of the real schema, both ways', async () => {
    const real = printedSchema();
    const bare = print(visit(parse(real), { enter: (node) => ('description' in node && node.description ? { ...node, description: undefined } : undefined) }));
    expect(bare).not.toContain('"""');
    for (const [from, to] of [[bare, real], [real, bare]] as const) {
      const result = await check(to, null, '0.1.0', { revision: 'base', sdl: from });
      expect(result.ok).toBe(true);
      expect(result.report).toHaveLength(2);
      expect(result.report[0]).toMatch(/^schema\.graphql since base: 0 breaking, 0 dangerous, (\d+) safe \(\1 of them descriptions\)\.$/);
      expect(result.report[1]).toBe('Schema check passed.');
    }
  });

  it('passes with a message when there is no previous schema', async () => {
    const result = await check(BASE, null, '0.1.0', { skipped: 'HEAD has no previous commit: no earlier schema to compare with.' });
    expect(result).toEqual({ ok: true, report: ['HEAD has no previous commit: no earlier schema to compare with.', 'Schema check passed.'] });
  });

  it('reports no change', async () => {
    expect(await check(BASE)).toEqual({ ok: true, report: ['schema.graphql: no change since HEAD~1 (abc).', 'Schema check passed.'] });
  });

  it('fails on a Breaking bullet of the current version that names no path', async () => {
    const result = await check(BASE, changelog('0.2.0', ['- Removed the family field.']));
    expect(result.ok).toBe(false);
    expect(result.report).toContain('  CHANGELOG.md, ## [0.2.0], ### Breaking: "- Removed the family field." does not start with a schema path in backticks.');
  });
});

describe('previousSchema', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
  /** A repository with one commit per entry: the schema.graphql it holds, or null for none. */
  const repository = (...commits: (string | null)[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
    dirs.push(dir);
    git(dir, 'init', '-q', '-b', 'main');
    commits.forEach((sdl, index) => {
      writeFileSync(join(dir, 'README.md'), `commit ${index}\n`);
      if (sdl !== null) writeFileSync(join(dir, 'schema.graphql'), sdl);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', `commit ${index}`);
    });
    return dir;
  };

  it('reads schema.graphql of HEAD~1, or of the revision given', () => {
    const dir = repository('type Query { a: Int }\n', 'type Query { b: Int }\n', 'type Query { c: Int }\n');
    const first = git(dir, 'rev-parse', 'HEAD~2').trim();
    expect(previousSchema(dir)).toEqual({ revision: `HEAD~1 (${git(dir, 'rev-parse', 'HEAD~1').trim().slice(0, 12)})`, sdl: 'type Query { b: Int }\n' });
    expect(previousSchema(dir, first)).toEqual({ revision: `${first} (${first.slice(0, 12)})`, sdl: 'type Query { a: Int }\n' });
  });

  it('skips with a message when HEAD has no previous commit', () => {
    expect(previousSchema(repository('type Query { a: Int }\n'))).toEqual({ skipped: 'HEAD has no previous commit: no earlier schema to compare with.' });
  });

  it('skips with a message when the previous commit has no schema.graphql', () => {
    const dir = repository(null, 'type Query { a: Int }\n');
    expect(previousSchema(dir)).toEqual({
      skipped: `HEAD~1 (${git(dir, 'rev-parse', 'HEAD~1').trim().slice(0, 12)}) has no schema.graphql: no earlier schema to compare with.`,
    });
  });

  it('skips only the comparison in a shallow clone, saying so', () => {
    const origin = repository('type Query { a: Int }\n', 'type Query { b: Int }\n');
    const clone = mkdtempSync(join(tmpdir(), 'schema-check-clone-'));
    dirs.push(clone);
    git(clone, 'clone', '-q', '--depth', '1', `file://${origin}`, '.');
    expect(previousSchema(clone)).toEqual({
      skipped: 'Shallow clone without HEAD~1: skipped the comparison with the previous commit (fetch the history, e.g. `git fetch --unshallow`, to run it).',
    });
    expect(() => previousSchema(clone, 'HEAD~1')).toThrow('Unknown revision "HEAD~1" (this is a shallow clone: fetch it first): pass a commit, branch or tag.');
  });

  it('refuses an unknown revision and a directory outside git', () => {
    expect(() => previousSchema(repository('type Query { a: Int }\n'), 'no-such-branch')).toThrow('Unknown revision "no-such-branch": pass a commit, branch or tag.');
    const plain = mkdtempSync(join(tmpdir(), 'schema-check-plain-'));
    dirs.push(plain);
    expect(() => previousSchema(plain)).toThrow(`${plain} is not inside a git work tree.`);
  });
});
