import { monotonicFactory } from 'ulid';

/** The id prefix of each type; the prefix is what makes an id a Relay global id. */
export const idPrefixes = {
  Account: 'acct',
  Profile: 'prof',
  Workspace: 'ws',
  Model: 'model',
  ApiKey: 'key',
} as const;

export type IdKind = keyof typeof idPrefixes;

// A ULID is 26 Crockford characters; the first is at most 7 (48-bit time).
const ULID_PATTERN = '[0-7][0-9A-HJKMNP-TV-Z]{25}';
const ID_PATTERN = new RegExp(`^(${Object.values(idPrefixes).join('|')})_(${ULID_PATTERN})$`);
const kindByPrefix = new Map<string, IdKind>(Object.entries(idPrefixes).map(([kind, prefix]) => [prefix, kind as IdKind]));
/** One pattern per kind: every read tests its ids, and a test allocates no match. */
const patternOf = Object.fromEntries(
  Object.entries(idPrefixes).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_${ULID_PATTERN}$`)]),
) as Record<IdKind, RegExp>;

/**
 * Monotonic: ids made in the same millisecond by this process keep
 * increasing, so rows inserted together (a seeded workspace shares one
 * created_at) order by id in the order they were made.
 */
const ulid = monotonicFactory();

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid()}`;
}

/** The kind of a well-formed id, or null for anything else. */
export function idKind(id: string): IdKind | null {
  const match = ID_PATTERN.exec(id);
  return match ? (kindByPrefix.get(match[1]!) ?? null) : null;
}

export function isIdOf(kind: IdKind, id: string): boolean {
  return patternOf[kind].test(id);
}
